using System.Text.Json.Nodes;
using FlowNotebooks.Notebooks.Tests.Fixtures;
using static FlowNotebooks.Notebooks.Tests.Fixtures.Workspace;

namespace FlowNotebooks.Notebooks.Tests;

public class RunTests
{
    [Fact]
    public async Task The_first_failed_cell_stops_the_run_and_is_named_with_its_index_source_and_error()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("fails.ipynb",
            Md("# A notebook that fails"),
            Code("var x = 1;"),
            Code("// check the totals\nthrow new InvalidOperationException(\"totals do not add up\");"),
            Code("Console.Write(\"never\");"));
        var run = await NotebookRunner.RunAsync(nb);

        var failure = Assert.IsType<CellFailure>(run.FirstFailure);
        Assert.Equal(2, failure.Index);
        Assert.Equal("// check the totals", failure.SourceHead);
        Assert.Contains("totals do not add up", failure.Error);
        Assert.False(failure.TimedOut);
        Assert.Equal([CellStatus.Prose, CellStatus.Succeeded, CellStatus.Failed, CellStatus.NotRun], run.Cells.Select(c => c.Status));
        Assert.StartsWith("Cell 3 failed (// check the totals): ", failure.ToString());
        // The executed notebook shows the error where it happened and leaves the rest unrun.
        var cells = (JsonArray)JsonNode.Parse(run.NotebookJson())!["cells"]!;
        var error = Assert.Single((JsonArray)cells[2]!["outputs"]!);
        Assert.Equal("error", (string?)error!["output_type"]);
        Assert.Contains("totals do not add up", (string?)error["evalue"]);
        Assert.Empty((JsonArray)cells[3]!["outputs"]!);
        Assert.Null((int?)cells[3]!["execution_count"]);
    }

    [Fact]
    public async Task Keep_going_runs_every_cell_and_still_reports_the_first_failure()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("keep.ipynb", Code("throw new Exception(\"first\");"), Code("throw new Exception(\"second\");"), Code("Console.Write(\"ran\");"));
        var run = await NotebookRunner.RunAsync(nb, null, new NotebookRunOptions { StopOnError = false });
        Assert.Equal(0, run.FirstFailure!.Index);
        Assert.Equal([CellStatus.Failed, CellStatus.Failed, CellStatus.Succeeded], run.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task A_cell_that_runs_past_the_timeout_stops_the_run_and_is_named()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("slow.ipynb", Code("Console.Write(\"before\");"), Code("await Task.Delay(TimeSpan.FromSeconds(60));"), Code("Console.Write(\"after\");"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await NotebookRunner.RunAsync(nb, null, new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(3), StopOnError = false });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        var failure = Assert.IsType<CellFailure>(run.FirstFailure);
        Assert.True(failure.TimedOut);
        Assert.Equal(1, failure.Index);
        Assert.Equal("The cell did not finish within 3 s (--cell-timeout).", failure.Error);
        // A timed-out cell may still hold the kernel: the run stops even when asked to keep going.
        Assert.Equal([CellStatus.Succeeded, CellStatus.TimedOut, CellStatus.NotRun], run.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task A_dib_notebook_runs_with_its_parameters_cell_marked_by_a_comment()
    {
        using var ws = new Workspace();
        var nb = ws.PathOf("case.dib");
        File.WriteAllText(nb, """
            #!meta

            {"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"name":"csharp"}]}}

            #!markdown

            # Case notes

            #!csharp

            // parameters
            var evidence = "nowhere";

            #!csharp

            #!flow-load --path @csharp:evidence

            #!csharp

            #!flow-sql --name total
            SELECT sum(bytes) AS b FROM flows

            #!csharp

            Console.Write(total.Columns["b"][0]);
            """);
        var run = await NotebookRunner.RunAsync(nb, new Dictionary<string, string> { ["evidence"] = "evidence" });

        Assert.True(run.Succeeded, run.FirstFailure?.ToString());
        Assert.Equal([CellKind.Markdown, CellKind.Code, CellKind.Code, CellKind.Code, CellKind.Code, CellKind.Code], run.Document.Cells.Select(c => c.Kind));
        Assert.Equal("4000013500", Assert.IsType<StreamOutput>(Assert.Single(run.Document.Cells[5].Outputs)).Text);
        Assert.Single(run.Evidence);
    }

    [Fact]
    public async Task The_executed_notebook_holds_every_output_and_is_valid_nbformat()
    {
        using var ws = new Workspace();
        var run = await NotebookRunner.RunAsync(ws.Ipynb("standin.ipynb", StandIn.Cells()), new Dictionary<string, string> { ["topN"] = "2" });
        Assert.True(run.Succeeded, run.FirstFailure?.ToString());
        var executed = ws.PathOf("executed.ipynb");
        File.WriteAllText(executed, run.NotebookJson());

        var cells = (JsonArray)JsonNode.Parse(File.ReadAllText(executed))!["cells"]!;
        string Types(int i) => string.Join(",", ((JsonArray)cells[i]!["outputs"]!).Select(o => (string?)o!["output_type"]));
        string Html(int i) => string.Concat(((JsonArray)cells[i]!["outputs"]!).Select(o => o!["data"]?["text/html"] is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : ""));
        Assert.Equal("injected-parameters", (string?)cells[3]!["id"]);
        Assert.Contains("Load finished", Html(4));                     // #!flow-load's card
        Assert.Contains("10.0.0.9", Html(5));                          // #!flow-sql's table
        Assert.Equal("stream,execute_result", Types(6));               // Console output and the cell's value
        Assert.Contains("window.Plotly.newPlot", Html(7));             // charts, plotly.js inside the first
        Assert.Contains("plotly.js v2", Html(7));
        Assert.Contains("window.Plotly.newPlot", Html(8));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], cells.Skip(1).Select(c => (int)c!["execution_count"]!));
        Assert.DoesNotContain(cells.Where(c => (string?)c!["cell_type"] == "code").SelectMany(c => (JsonArray)c!["outputs"]!), o => (string?)o!["output_type"] == "error");

        // Jupyter's own validator (Debian python3-nbformat, installed with jupyter-nbconvert by build/install-test-deps.sh).
        var (code, output) = await ProcessRunner.RunAsync(ws.Folder, new Dictionary<string, string>(), TimeSpan.FromMinutes(1), "/usr/bin/python3",
            "-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)); print('valid')", executed);
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Two_runs_on_the_same_evidence_give_identical_findings_json_and_reports_but_the_run_time()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("standin.ipynb", StandIn.Cells());
        var parameters = new Dictionary<string, string> { ["topN"] = "3" };
        var first = await NotebookRunner.RunAsync(nb, parameters);
        var second = await NotebookRunner.RunAsync(nb, parameters);
        Assert.True(first.Succeeded && second.Succeeded, first.FirstFailure?.ToString() ?? second.FirstFailure?.ToString());

        var json = FindingsDocument.Write(first);
        Assert.Equal(json, FindingsDocument.Write(second));
        var findings = JsonNode.Parse(json)!;
        var finding = ((JsonArray)findings["procedures"]![0]!["findings"]!).First(f => (string?)f!["severity"] == "high")!;
        var evidence = Assert.Single((JsonArray)finding["evidence"]!)!;
        Assert.Equal("eni-0a1b2c3d.log", (string?)evidence["object"]);
        Assert.Equal((string?)findings["evidence"]![0]!["sha256"], (string?)evidence["sha256"]);
        Assert.Equal(64, ((string?)evidence["sha256"])!.Length);

        string WithoutRunTime(string html) => string.Join("\n", html.Split('\n').Where(l => !l.Contains("id=\"run-time\"", StringComparison.Ordinal)));
        var a = CaseReport.Write(first);
        var b = CaseReport.Write(second);
        Assert.Equal(WithoutRunTime(a), WithoutRunTime(b));
        Assert.Equal(1, a.Split('\n').Count(l => l.Contains("id=\"run-time\"", StringComparison.Ordinal)));

        // No path of this machine in anything written: the temp folder is named nowhere.
        foreach (var text in new[] { json, a, first.NotebookJson() })
        {
            Assert.DoesNotContain(ws.Folder, text);
            Assert.DoesNotContain(Path.GetTempPath(), text);
        }
    }
}
