using System.Text.RegularExpressions;
using FlowNotebooks.Cli;
using FlowNotebooks.Notebooks.Tests.Fixtures;

namespace FlowNotebooks.Notebooks.Tests;

/// <summary>The HTML case report as a reviewer opens it: written by <c>flownb run</c>, loaded in headless Chromium with
/// no network.</summary>
public class ReportInChromiumTests
{
    [Fact]
    public async Task The_report_draws_its_charts_offline_with_no_script_error()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("standin.ipynb", StandIn.Cells());
        var report = ws.PathOf("out/report.html");
        var (exit, stdout, stderr) = Cli("run", nb, "-p", "topN=3", "--html", report, "--findings", ws.PathOf("out/findings.json"), "-o", ws.PathOf("out/executed.ipynb"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("no failures; ", stdout);

        var html = File.ReadAllText(report);
        // One copy of plotly.js, nothing to fetch: no script or stylesheet from anywhere.
        Assert.Equal(1, Regex.Count(html, @"plotly\.js v2"));
        Assert.DoesNotMatch(@"<script[^>]*\ssrc\s*=", html);
        Assert.DoesNotMatch(@"<link[^>]*\shref\s*=", html);
        // The header: tool version, parameters, evidence manifest with SHA-256; markdown rendered, its HTML shown as text.
        Assert.Contains("<h1>Exfiltration scoping (stand-in)</h1>", html);
        Assert.Contains("flownb 0.1.0", html);
        Assert.Contains("<td><code>topN</code></td><td><code>3</code></td>", html);
        Assert.Matches("<td>eni-0a1b2c3d.log</td>.*<code>[0-9a-f]{64}</code>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);

        var (dom, console) = await Chromium.DumpDomOffline(report);
        Assert.Empty(console);
        // Both chart divs were drawn by plotly.js (it marks them js-plotly-plot and adds its SVG layers).
        Assert.Equal(2, Regex.Count(dom, "id=\"flownb-chart-[12]\" class=\"flownb-chart js-plotly-plot\""));
        Assert.True(Regex.Count(dom, "class=\"main-svg\"") >= 2, "no SVG plot in the DOM");
        Assert.Contains("Possible exfiltration", dom);
    }

    [Fact]
    public async Task The_report_leads_with_the_answer_and_its_charts_fill_the_page_with_nothing_cut()
    {
        using var ws = new Workspace();
        // The stand-in, plus the same chart shown twice (the second must not stay blank) and the lateral-path chart.
        var cells = StandIn.Cells().Append(Workspace.Code("var again = CaseCharts.Top(flowCase, by: \"dstaddr\");\ndisplay(again);\ndisplay(again);")).ToArray();
        var nb = ws.Ipynb("standin.ipynb", cells);
        var report = ws.PathOf("out/report.html");
        var (exit, _, stderr) = Cli("run", nb, "--html", report, "-o", ws.PathOf("out/executed.ipynb"));
        Assert.True(exit == 0, stderr);
        var html = File.ReadAllText(report);
        // Tables count rows from 1 and group thousands.
        Assert.Contains("<tr><td><i>1</i></td>", html);
        Assert.DoesNotContain("<tr><td><i>0</i></td>", html);
        AssertReadable(report, expectedCharts: 4);
    }

    [Fact]
    public async Task Every_template_report_leads_with_the_answer_and_its_charts_fill_the_page_with_nothing_cut()
    {
        var root = FlowNotebooks.TestShared.RealHostFiles.RepoRoot();
        var scenario = Path.Combine(root, "samples-generated", FlowNotebooks.Scenarios.ScenarioCatalog.Default.Name);
        if (!Directory.Exists(scenario))
            FlowNotebooks.Scenarios.CaseGenerator.Generate(FlowNotebooks.Scenarios.ScenarioCatalog.Default, new FlowNotebooks.Scenarios.ScenarioOptions(), scenario);
        using var ws = new Workspace();
        // Exercise notebooks (notebooks/training/) need a student's case from flownb training new: TrainingInRealHostTests runs them.
        var templates = Directory.EnumerateFiles(Path.Combine(root, "notebooks"), "*.ipynb", SearchOption.AllDirectories)
            .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal) && Path.GetFileName(Path.GetDirectoryName(f)) != "training")
            .Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(templates);
        var problems = new List<string>();
        foreach (var template in templates)
        {
            var name = Path.GetFileNameWithoutExtension(template);
            var report = ws.PathOf($"out/{name}.html");
            var (exit, _, stderr) = Cli("run", template, "--html", report, "-o", ws.PathOf($"out/{name}.ipynb"));
            Assert.True(exit == 0, $"{name}: {stderr}");
            try { AssertReadable(report, expectedCharts: null); }
            catch (Exception e) { problems.Add($"{name}: {e.Message}"); }
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>What a reader sees, measured in Chromium with no network: no script error, every chart drawn, its plot
    /// area at least 80% of the content width and its title whole, no finding cut at the right edge, the summary above
    /// the first table and the evidence manifest after it.</summary>
    static void AssertReadable(string report, int? expectedCharts)
    {
        var (layout, console) = Chromium.MeasureOffline(report).GetAwaiter().GetResult();
        Assert.Empty(console);
        var content = layout.GetProperty("content").GetDouble();
        Assert.True(content > 600, $"content width {content}");
        var charts = layout.GetProperty("charts").EnumerateArray().ToList();
        if (expectedCharts is { } n) Assert.Equal(n, charts.Count);
        var ids = charts.Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var c in charts)
        {
            var what = $"chart {c.GetProperty("id")} '{c.GetProperty("title")}'";
            Assert.True(c.GetProperty("drawn").GetBoolean(), $"{what} is blank");
            Assert.True(c.GetProperty("plot").GetDouble() >= 0.8 * content, $"{what}: plot area {c.GetProperty("plot").GetDouble():0} px of {content:0} px");
            Assert.True(c.GetProperty("titleInside").GetBoolean(), $"{what}: title cut");
        }
        foreach (var f in layout.GetProperty("findings").EnumerateArray())
            Assert.False(f.GetProperty("cut").GetBoolean(), $"finding cut at the right edge: {f.GetProperty("text")}");
        var summary = layout.GetProperty("summary").GetDouble();
        Assert.True(summary >= 0, "no summary");
        var firstTable = layout.GetProperty("firstTable").GetDouble();
        if (firstTable >= 0) Assert.True(summary < firstTable, $"summary at {summary} px, first table at {firstTable} px");
        var manifest = layout.GetProperty("manifest").GetDouble();
        Assert.True(manifest > summary, $"manifest at {manifest} px above the summary at {summary} px");
        if (firstTable >= 0) Assert.True(manifest > firstTable, "the evidence manifest comes before the tables");
    }

    [Fact]
    public async Task A_script_error_in_a_page_is_seen_by_the_check()
    {
        // The control for the test above: the same check reports an error when a page has one.
        using var ws = new Workspace();
        var page = ws.PathOf("broken.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><script>notDefinedAnywhere();</script></body></html>");
        var (_, console) = await Chromium.DumpDomOffline(page);
        Assert.Contains(console, l => l.Contains("notDefinedAnywhere", StringComparison.Ordinal));
    }

    static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var exit = FlowCli.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }
}
