using FlowNotebooks.Notebooks.Tests.Fixtures;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Notebooks.Tests;

/// <summary>
/// Notebooks in the real hosts, not only in flownb run: the stand-in and every template under notebooks/ must finish
/// in dotnet-repl and in Jupyter (nbconvert) with no failed cell.
/// </summary>
public class RealHostTests(RealHosts hosts) : IClassFixture<RealHosts>
{
    [Fact]
    public async Task The_stand_in_runs_in_dotnet_repl_and_in_jupyter_with_no_failed_cell()
    {
        using var ws = new Workspace(under: hosts.Work);
        var nb = ws.Ipynb("standin.ipynb", StandIn.Cells());
        File.WriteAllText(nb, hosts.ForRealHost(File.ReadAllText(nb)));

        var repl = await hosts.DotnetRepl(nb);
        Assert.True(repl.Exit == 0 && repl.Failed.Count == 0, $"dotnet-repl exit {repl.Exit}:\n{string.Join("\n---\n", repl.Failed)}\n{repl.Log}");
        Assert.Equal(StandIn.Cells().Length, repl.Cells);   // every cell is reported (markdown ones too), and none failed

        var jupyter = await hosts.Nbconvert(nb);
        Assert.True(jupyter.Exit == 0 && jupyter.Errors.Count == 0, $"nbconvert exit {jupyter.Exit}:\n{string.Join("\n", jupyter.Errors)}\n{jupyter.Log}");
        // The cells really ran in the .NET kernel: the load card and both charts are in the saved outputs.
        Assert.Contains("Load finished", jupyter.Outputs);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(jupyter.Outputs, @"window\.Plotly\.newPlot\((?:'|\\u0027)flownb-chart-"));
    }

    [Fact]
    public async Task Every_template_notebook_runs_in_dotnet_repl_and_in_jupyter_with_no_failed_cell()
    {
        var templates = Path.Combine(hosts.Root, "notebooks");
        if (!Directory.Exists(templates)) return;   // no templates in this clone yet: the stand-in test covers the hosts
        var notebooks = Directory.EnumerateFiles(templates, "*.ipynb", SearchOption.AllDirectories)
            .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(notebooks);

        // The templates read the default scenario from ../samples-generated (as flownb demo leaves it).
        var scenario = Path.Combine(hosts.Root, "samples-generated", ScenarioCatalog.Default.Name);
        if (!Directory.Exists(scenario)) CaseGenerator.Generate(ScenarioCatalog.Default, new ScenarioOptions(), scenario);

        // A mirror of the clone inside the work folder: notebooks/ rewritten for the test feed, everything else linked,
        // so the templates' relative paths mean what they mean in the clone.
        var mirror = Directory.CreateDirectory(Path.Combine(hosts.Work, "clone")).FullName;
        foreach (var entry in Directory.EnumerateFileSystemEntries(hosts.Root))
        {
            var name = Path.GetFileName(entry);
            if (name is "notebooks" or ".git") continue;
            if (Directory.Exists(entry)) Directory.CreateSymbolicLink(Path.Combine(mirror, name), entry);
            else File.CreateSymbolicLink(Path.Combine(mirror, name), entry);
        }
        var problems = new List<string>();
        foreach (var template in notebooks)
        {
            var relative = Path.GetRelativePath(hosts.Root, template);
            var copy = Path.Combine(mirror, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            CopyFolderOnce(Path.GetDirectoryName(template)!, Path.GetDirectoryName(copy)!);
            File.WriteAllText(copy, hosts.ForRealHost(File.ReadAllText(template)));

            var repl = await hosts.DotnetRepl(copy);
            if (repl.Exit != 0 || repl.Failed.Count > 0)
                problems.Add($"{relative} in dotnet-repl (exit {repl.Exit}):\n{string.Join("\n---\n", repl.Failed)}\n{Tail(repl.Log)}");
            var jupyter = await hosts.Nbconvert(copy);
            if (jupyter.Exit != 0 || jupyter.Errors.Count > 0)
                problems.Add($"{relative} in Jupyter nbconvert (exit {jupyter.Exit}):\n{string.Join("\n", jupyter.Errors)}\n{Tail(jupyter.Log)}");
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>Files next to a template (data, helper scripts) come along, once per folder.</summary>
    static void CopyFolderOnce(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            if (!File.Exists(target) && !file.EndsWith(".ipynb", StringComparison.Ordinal)) File.Copy(file, target);
        }
    }

    static string Tail(string s) => s.Length > 3000 ? s[^3000..] : s;
}
