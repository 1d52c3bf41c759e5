using System.Text.Json.Nodes;
using FlowNotebooks.Cli;
using FlowNotebooks.Notebooks.Tests.Fixtures;
using static FlowNotebooks.Notebooks.Tests.Fixtures.Workspace;

namespace FlowNotebooks.Notebooks.Tests;

public class CliTests
{
    [Fact]
    public void Run_reports_an_unknown_parameter_in_one_line_and_exits_1()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("p.ipynb", Code("var topN = 10;", "parameters"));
        var (exit, _, err) = Cli("run", nb, "-p", "top=3");
        Assert.Equal(1, exit);
        Assert.Equal("flownb: Unknown parameter 'top': the notebook's parameters cell declares topN (int).", err.Trim());
    }

    [Fact]
    public void Run_exits_2_names_the_failed_cell_and_still_writes_the_executed_notebook()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("f.ipynb", Code("var a = 1;"), Code("throw new Exception(\"boom\");"));
        var executed = ws.PathOf("out/f.ipynb");
        var (exit, _, err) = Cli("run", nb, "-o", executed);
        Assert.Equal(2, exit);
        Assert.Contains("flownb: Cell 2 failed (throw new Exception(\"boom\");): ", err);
        Assert.Contains("boom", err);
        Assert.True(File.Exists(executed));
    }

    [Fact]
    public void Demo_without_the_template_says_what_is_missing()
    {
        using var ws = new Workspace();
        var (exit, _, err) = InFolder(ws.Folder, () => Cli("demo"));
        Assert.Equal(1, exit);
        Assert.Contains("No notebooks/02-exfiltration-scoping.ipynb here or above", err);
    }

    [Fact]
    public void Demo_generates_the_scenario_once_and_writes_notebook_report_and_findings()
    {
        // A clone-like folder whose exfiltration template is the stand-in (the real one is tested as a template).
        using var ws = new Workspace();
        Directory.CreateDirectory(ws.PathOf("notebooks"));
        File.Move(ws.Ipynb("standin.ipynb", StandIn.Cells()), ws.PathOf(DemoVerb.Template));

        var (exit, stdout, err) = InFolder(ws.Folder, () => Cli("demo"));
        Assert.True(exit == 0, err + stdout);
        Assert.Contains("Generating the vpc-compromise scenario", stdout);
        Assert.True(File.Exists(ws.PathOf("samples-generated/vpc-compromise/answer-key.json")));
        foreach (var f in new[] { "02-exfiltration-scoping.ipynb", "report.html", "findings.json" }) Assert.True(File.Exists(ws.PathOf("out/demo/" + f)), f);
        var findings = JsonNode.Parse(File.ReadAllText(ws.PathOf("out/demo/findings.json")))!;
        Assert.Equal("../samples-generated/vpc-compromise", (string?)findings["parameters"]!["evidence"]);
        Assert.True(((JsonArray)findings["evidence"]!).Count > 100);
        Assert.NotEmpty((JsonArray)findings["procedures"]![0]!["findings"]!);

        // A second demo reuses the scenario.
        var (again, stdout2, err2) = InFolder(ws.Folder, () => Cli("demo"));
        Assert.True(again == 0, err2);
        Assert.DoesNotContain("Generating", stdout2);
    }

    static T InFolder<T>(string folder, Func<T> action)
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        try { return action(); }
        finally { Environment.CurrentDirectory = previous; }
    }

    internal static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var exit = FlowCli.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }
}
