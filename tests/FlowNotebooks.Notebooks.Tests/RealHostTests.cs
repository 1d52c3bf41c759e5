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
        // Exercise notebooks (notebooks/training/) run as flownb training new writes them, in TrainingInRealHostTests.
        var notebooks = Directory.EnumerateFiles(templates, "*.ipynb", SearchOption.AllDirectories)
            .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal) && Path.GetFileName(Path.GetDirectoryName(f)) != "training")
            .Order(StringComparer.Ordinal).ToList();
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

    [Fact]
    public async Task Several_csharp_values_on_one_magic_and_a_nuget_reference_beside_a_magic_finish_in_both_hosts()
    {
        using var ws = new Workspace(under: hosts.Work);
        var install = $"#r \"nuget:FlowNotebooks.Interactive, 0.1.0\"";
        (string, string[])[] cells =
        [
            Workspace.Code(install),
            Workspace.Code("var cidrs = \"10.0.0.0/8,192.168.0.0/16\";\nvar from = new DateTime(2025, 11, 18, 0, 0, 0, DateTimeKind.Utc);\nvar minBytes = 1000L;"),
            Workspace.Code("#!flow-case"),
            // Jupyter's kernel used to wait forever here (a form for several @ values that nothing posts).
            Workspace.Code("#!flow-exfil --internal-cidrs @csharp:cidrs --from @csharp:from --min-bytes @csharp:minBytes --result twoValues\n"
                           + "Console.WriteLine($\"bound: {twoValues.Parameters[\"internal_cidrs\"].Replace(\" \", \"\")} from {twoValues.From:yyyy-MM-ddTHH:mm:ssZ} min {twoValues.Parameters[\"min_bytes\"]}\");"),
            // A package reference beside a magic, once the extension is loaded.
            Workspace.Code(install + "\n#!flow-case --name again"),
        ];
        var nb = ws.Ipynb("values.ipynb", cells);
        File.WriteAllText(nb, hosts.ForRealHost(File.ReadAllText(nb)));

        // nbconvert's own per-cell limit: a cell that does not answer within 30 s fails the run.
        var jupyter = await hosts.Nbconvert(nb, cellTimeoutSeconds: 30);
        Assert.True(jupyter.Exit == 0 && jupyter.Errors.Count == 0, $"nbconvert exit {jupyter.Exit}:\n{string.Join("\n", jupyter.Errors)}\n{Tail(jupyter.Log)}");
        Assert.Contains("bound: 10.0.0.0/8,192.168.0.0/16 from 2025-11-18T00:00:00Z min 1000", jupyter.Outputs);

        var repl = await hosts.DotnetRepl(nb);
        Assert.True(repl.Exit == 0 && repl.Failed.Count == 0, $"dotnet-repl exit {repl.Exit}:\n{string.Join("\n---\n", repl.Failed)}\n{Tail(repl.Log)}");
        Assert.Equal(cells.Length, repl.Cells);
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
