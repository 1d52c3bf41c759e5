using System.Globalization;
using FlowNotebooks.Notebooks;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Interactive.Tests.Notebooks;

/// <summary>Runs a template notebook of the repository's notebooks/ folder through the headless runner (in process) and
/// asserts that no cell failed.</summary>
internal static class TemplateNotebook
{
    public static string Path(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "FlowNotebooks.sln"))) dir = dir.Parent;
        return System.IO.Path.Combine(dir?.FullName ?? throw new InvalidOperationException("No FlowNotebooks.sln above the test folder."), "notebooks", name);
    }

    public static async Task<NotebookRunResult> RunAsync(string name, params (string Key, string Value)[] parameters)
    {
        var result = await NotebookRunner.RunAsync(Path(name), parameters.ToDictionary(p => p.Key, p => p.Value),
            new NotebookRunOptions { CellTimeout = TimeSpan.FromMinutes(3) });
        Assert.True(result.Succeeded, $"{name}: {result.FirstFailure}");
        Assert.DoesNotContain(result.Cells, c => c.Status is not (CellStatus.Succeeded or CellStatus.Prose));
        return result;
    }

    /// <summary>The result of the procedure the notebook ran last under that name.</summary>
    public static ProcedureResult Procedure(this NotebookRunResult run, string procedure) =>
        run.Findings.Results.Last(r => r.Procedure == procedure);

    /// <summary>Everything the notebook's cells printed (stdout) and displayed as text.</summary>
    public static string Text(this NotebookRunResult run) => string.Concat(run.Document.Cells.SelectMany(c => c.Outputs).Select(o => o switch
    {
        StreamOutput s => s.Text,
        DisplayOutput d => d.Text ?? "",
        _ => "",
    }));

    public static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
