using System.Globalization;
using FlowNotebooks.Cli;
using FlowNotebooks.Notebooks.Tests.Fixtures;
using static FlowNotebooks.Notebooks.Tests.Fixtures.Workspace;

namespace FlowNotebooks.Notebooks.Tests;

/// <summary>
/// The notebook-parameter form of the window checks: the exfiltration template run headless
/// (<c>flownb run notebooks/02-exfiltration-scoping.ipynb -p windowFrom=… -p windowTo=…</c>) on the workspace's five
/// records (first start 2024-06-01 00:00:00Z, last end 04:01:00Z). A window that can hold no record stops the run at the
/// first procedure cell with the engine's message naming the span (exit 2), before any "nothing found" is written.
/// </summary>
public sealed class WindowParameterTests
{
    const string Span = "2024-06-01 00:00:00Z to 2024-06-01 04:01:00Z";

    static string Template()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FlowNotebooks.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("No FlowNotebooks.sln above the test folder."), "notebooks", "02-exfiltration-scoping.ipynb");
    }

    [Theory]
    [InlineData("2024-06-01T03:00:00Z", "2024-06-01T01:00:00Z",
        "The window from 2024-06-01 03:00:00Z to 2024-06-01 01:00:00Z is reversed (from is after to). The case's records span " + Span + ".")]
    [InlineData("2024-06-01 02:00", "2024-06-01T02:00:00Z",
        "The window from 2024-06-01 02:00:00Z to 2024-06-01 02:00:00Z is empty (to is exclusive: give a later to). The case's records span " + Span + ".")]
    [InlineData("2024-06-02", "2024-06-03",
        "The window from 2024-06-02 00:00:00Z to 2024-06-03 00:00:00Z lies entirely outside the case's records, which span " + Span + ".")]
    public void A_window_that_holds_no_record_stops_the_template_with_the_span(string from, string to, string message)
    {
        using var ws = new Workspace();
        var executed = ws.PathOf("out/02.ipynb");
        var findings = ws.PathOf("out/findings.json");
        var (exit, output, error) = Cli("run", Template(), "-p", $"evidencePath={ws.PathOf("evidence")}", "-p", $"windowFrom={from}", "-p", $"windowTo={to}",
            "-o", executed, "--findings", findings);

        Assert.Equal(RunVerb.CellFailed, exit);
        // One line on stderr after the progress lines: the failed cell (the first procedure, coverage) and the engine's
        // message, without a stack trace (a refused window is an answer, not a bug).
        var lines = error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Matches(@"^flownb: Cell [0-9]+ failed \(// coverage: .*\): " + System.Text.RegularExpressions.Regex.Escape(message) + "$", lines[^1]);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Contains("stopped at cell", output);
        // Nothing downstream ran: no "No upload" statement among the executed notebook's outputs (its code holds the
        // words), the engine's message is the failed cell's error, and the findings JSON holds no result.
        var cells = (System.Text.Json.Nodes.JsonArray)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(executed))!["cells"]!;
        var outputs = cells.SelectMany(c => (System.Text.Json.Nodes.JsonArray?)c!["outputs"] ?? []).ToList();
        Assert.DoesNotContain(outputs, o => o!.ToJsonString().Contains("No upload", StringComparison.Ordinal));
        var errors = outputs.Where(o => (string?)o!["output_type"] == "error").ToList();
        Assert.Contains(message, (string?)Assert.Single(errors)!["evalue"]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(findings))!;
        Assert.Empty((System.Text.Json.Nodes.JsonArray)json["procedures"]!);
    }

    [Fact]
    public void A_window_without_a_zone_runs_read_as_utc_and_the_report_and_findings_say_so()
    {
        using var ws = new Workspace();
        var html = ws.PathOf("out/report.html");
        var findings = ws.PathOf("out/findings.json");
        var (exit, output, error) = Cli("run", Template(), "-p", $"evidencePath={ws.PathOf("evidence")}", "-p", "windowFrom=2024-06-01 03:30",
            "-p", "internalCidrs=10.0.0.0/8", "--html", html, "--findings", findings);
        Assert.True(exit == 0, error + output);
        const string note = "from '2024-06-01 03:30' names no zone: read as UTC, 2024-06-01T03:30:00Z.";
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(findings))!;
        var exfil = ((System.Text.Json.Nodes.JsonArray)json["procedures"]!).Single(p => (string?)p!["procedure"] == "exfil-ledger")!;
        Assert.Equal(note, (string?)exfil["notes"]![0]);
        Assert.Equal("2024-06-01T03:30:00Z", (string?)exfil["parameters"]!["from"]);
        // The 4 GB upload of 04:00 is inside the window and found.
        Assert.Contains(((System.Text.Json.Nodes.JsonArray)exfil["findings"]!), f => (string?)f!["facts"]?["destination"] == "203.0.113.5");
        Assert.Contains("<i>Note:</i> " + System.Net.WebUtility.HtmlEncode(note), File.ReadAllText(html));
    }

    [Fact]
    public async Task A_DateTime_parameter_without_a_zone_is_read_as_utc_and_the_injected_cell_says_so()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("dt.ipynb", Code("DateTime from = DateTime.MinValue;\nTimeSpan every = TimeSpan.Zero;", "parameters"),
            Code("Console.Write($\"{from.ToString(\"o\", System.Globalization.CultureInfo.InvariantCulture)}|{every.TotalSeconds}\");"));
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var run = await NotebookRunner.RunAsync(nb, new Dictionary<string, string> { ["from"] = "2026-03-01 10:00", ["every"] = "1.5h" });
            Assert.True(run.Succeeded, run.FirstFailure?.ToString());
            Assert.Contains("/* 2026-03-01T10:00:00Z; from '2026-03-01 10:00' names no zone: read as UTC, 2026-03-01T10:00:00Z. */", run.Document.Cells[1].Source);
            Assert.Equal("2026-03-01T10:00:00.0000000Z|5400", Assert.IsType<StreamOutput>(Assert.Single(run.Document.Cells[2].Outputs)).Text);

            var offset = await NotebookRunner.RunAsync(nb, new Dictionary<string, string> { ["from"] = "2026-03-01T10:00:00+02:00" });
            Assert.DoesNotContain("names no zone", offset.Document.Cells[1].Source);
            Assert.StartsWith("2026-03-01T08:00:00.0000000Z|", Assert.IsType<StreamOutput>(Assert.Single(offset.Document.Cells[2].Outputs)).Text);

            // de-DE's own date form is not guessed at.
            var e = await Assert.ThrowsAsync<NotebookParameterException>(() => NotebookRunner.RunAsync(nb, new Dictionary<string, string> { ["from"] = "01.03.2026 10:00" }));
            Assert.StartsWith("Parameter from: '01.03.2026 10:00' is not a time. Accepted: ISO 8601 with Z or an offset", e.Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var exit = FlowCli.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }
}
