using System.CommandLine;
using System.Globalization;
using FlowNotebooks.Notebooks;

namespace FlowNotebooks.Cli;

/// <summary>
/// <c>flownb run NOTEBOOK [-p name=value …] [-o executed.ipynb] [--html report.html] [--findings findings.json]
/// [--cell-timeout S]</c>: runs a notebook headless and writes what it produced. Exit 0 when every cell ran, 2 when a
/// cell failed or timed out (the outputs are still written, to show where), 1 for a usage error.
/// </summary>
internal static class RunVerb
{
    public const int CellFailed = 2;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var notebook = new Argument<string>("notebook") { Description = "The notebook (.ipynb or .dib)." };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "A value for a variable of the notebook's parameters cell, as name=value (repeatable). Paths are taken from here and handed over relative to the notebook's folder.",
            AllowMultipleArgumentsPerToken = true,
        };
        var executed = new Option<string?>("--output", "-o") { Description = "Write the executed notebook (.ipynb, with outputs) here." };
        var html = new Option<string?>("--html") { Description = "Write a standalone HTML case report here (offline charts, evidence manifest)." };
        var findings = new Option<string?>("--findings") { Description = "Write the findings JSON here (byte-identical for the same evidence and parameters)." };
        var timeout = new Option<double>("--cell-timeout") { Description = "Seconds a cell may run before the run stops.", DefaultValueFactory = _ => 600 };
        var keepGoing = new Option<bool>("--keep-going") { Description = "Run every cell even after one fails (default: stop at the first failure)." };
        var absolute = new Option<bool>("--absolute-paths") { Description = "Keep this machine's absolute paths in the outputs (default: relative to the notebook's folder)." };
        var command = new Command("run", "Run a notebook headless with parameters: executed notebook, HTML report, findings JSON.")
            { notebook, parameters, executed, html, findings, timeout, keepGoing, absolute };
        command.SetAction(parse =>
        {
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0)) throw new CliException("--cell-timeout must be a positive number of seconds.");
            var options = new NotebookRunOptions
            {
                CellTimeout = TimeSpan.FromSeconds(seconds),
                StopOnError = !parse.GetValue(keepGoing),
                KeepAbsolutePaths = parse.GetValue(absolute),
                Progress = new LineProgress(error),
            };
            var outputs = new RunOutputs(parse.GetValue(executed), parse.GetValue(html), parse.GetValue(findings));
            return Run(parse.GetValue(notebook)!, Pairs(parse.GetValue(parameters) ?? []), options, outputs, output, error);
        });
        return command;
    }

    /// <summary>Where a run's products go (null: not written).</summary>
    public sealed record RunOutputs(string? Notebook, string? Html, string? Findings);

    /// <summary>Runs and writes; shared with <c>flownb demo</c>.</summary>
    public static int Run(string notebook, IReadOnlyDictionary<string, string> parameters, NotebookRunOptions options, RunOutputs outputs,
        TextWriter output, TextWriter error)
    {
        if (outputs.Notebook is { } o && !o.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"-o '{o}': the executed notebook is written as .ipynb (outputs do not fit in a .dib).");
        NotebookRunResult result;
        try
        {
            result = NotebookRunner.RunAsync(notebook, parameters, options).GetAwaiter().GetResult();
        }
        catch (FormatException ex)
        {
            throw new CliException(ex.Message);
        }
        Write(outputs.Notebook, result.NotebookJson(), output);
        Write(outputs.Html, CaseReport.Write(result), output);
        Write(outputs.Findings, FindingsDocument.Write(result), output);
        var ran = result.Cells.Count(c => c.Status is CellStatus.Succeeded or CellStatus.Failed or CellStatus.TimedOut);
        var seconds = result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (result.FirstFailure is { } failure)
        {
            error.WriteLine($"flownb: {failure}");
            output.WriteLine($"{result.NotebookName}: {ran} code cells run in {seconds} s; stopped at cell {failure.Index + 1}.");
            return CellFailed;
        }
        var findings = result.Findings.Results.Sum(r => r.Findings.Count) + result.Findings.Notes.Count;
        output.WriteLine($"{result.NotebookName}: {ran} code cells run in {seconds} s, no failures; {findings} findings, {result.Evidence.Count} evidence objects.");
        return 0;
    }

    static void Write(string? path, string text, TextWriter output)
    {
        if (path is null) return;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(false));
        output.WriteLine($"Wrote {path}");
    }

    /// <summary>name=value pairs; a name given twice is a mistake worth stopping for.</summary>
    public static Dictionary<string, string> Pairs(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new CliException($"-p '{pair}': expected name=value.");
            var name = pair[..eq].Trim();
            if (!values.TryAdd(name, pair[(eq + 1)..])) throw new CliException($"-p {name} is given twice.");
        }
        return values;
    }
}
