using FlowNotebooks.Interactive.Tests.Fixtures;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace FlowNotebooks.Interactive.Tests;

public class FormatterTests
{
    [Fact]
    public async Task A_dataframe_value_containing_script_is_shown_as_text()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"#!flow-load \"{evidence.Folder}\"");
        var result = await kernel.RunAsync("#!flow-sql\nSELECT '<script>alert(1)</script>' AS payload");
        var html = result.Html();
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert", html);
    }

    [Fact]
    public async Task Our_dataframe_formatter_wins_over_one_registered_after_it()
    {
        using var kernel = NotebookKernel.Create();
        // What Microsoft.Data.Analysis's own extension does when its package arrives after ours.
        Formatter.Register<DataFrame>((_, writer) => writer.Write("<table>10,000 rows</table>"), "text/html");
        await kernel.RunAsync("#!flow-case");
        var result = await kernel.RunAsync("flowCase.Query(\"SELECT 1 AS one\")");
        var html = Assert.Single(result.Events.OfType<Microsoft.DotNet.Interactive.Events.ReturnValueProduced>())
            .FormattedValues.Single(v => v.MimeType == "text/html").Value;
        Assert.Contains("flownb-frame", html);
        Assert.Contains("1 of 1 rows shown", html);
    }

    [Fact]
    public async Task The_first_chart_of_a_kernel_embeds_plotly_js_and_later_ones_reuse_it()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"#!flow-load \"{evidence.Folder}\"");
        var first = (await kernel.RunAsync("FlowNotebooks.Presentation.Charts.CaseCharts.Timeline(flowCase)")).Html();
        var second = (await kernel.RunAsync("FlowNotebooks.Presentation.Charts.CaseCharts.HourByHost(flowCase)")).Html();
        Assert.Contains("plotly.js v2", first);
        Assert.DoesNotContain("plotly.js v2", second);
        Assert.Contains("\"type\":\"heatmap\"", second);
    }

    [Fact]
    public async Task A_case_shows_as_its_summary_card()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"#!flow-load \"{evidence.Folder}\"");
        var html = (await kernel.RunAsync("flowCase")).Html();
        Assert.Contains("Flow records", html);
        Assert.Contains(">5<", html);
    }
}
