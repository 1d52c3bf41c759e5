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
        Assert.Equal(2, Regex.Count(dom, "id=\"flownb-chart-[12]\" class=\"js-plotly-plot\""));
        Assert.True(Regex.Count(dom, "class=\"main-svg\"") >= 2, "no SVG plot in the DOM");
        Assert.Contains("Possible exfiltration", dom);
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
