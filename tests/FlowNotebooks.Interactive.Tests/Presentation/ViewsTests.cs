using FlowNotebooks.Presentation.Charts;
using FlowNotebooks.Presentation.Html;
using Microsoft.Data.Analysis;

namespace FlowNotebooks.Interactive.Tests.Presentation;

public class ViewsTests
{
    const string Hostile = "<script>alert(1)</script>";

    [Fact]
    public void A_time_series_breaks_where_buckets_are_missing_and_the_same_chart_gets_a_new_id_each_time()
    {
        var t0 = new DateTime(2025, 11, 18, 0, 0, 0, DateTimeKind.Utc);
        // Hourly buckets 00:00, 01:00, then nothing until 05:00: the line must not ramp from 01:00 to 05:00.
        DateTime[] times = [t0, t0.AddHours(1), t0.AddHours(5), t0.AddHours(6)];
        var (t, v) = FlowCharts.WithGaps(times, [10, 20, 30, 40]);
        Assert.Equal([t0, t0.AddHours(1), t0.AddHours(2), t0.AddHours(5), t0.AddHours(6)], t);
        Assert.True(double.IsNaN(v[2]));
        Assert.Equal([10.0, 20, 30, 40], v.Where(x => !double.IsNaN(x)));
        var chart = FlowCharts.Timeline(times, [10, 20, 30, 40], "bytes per hour");
        // plotly.js leaves a gap at a point that is not a number (connectgaps is off by default).
        Assert.Matches(@"""y"":\[10\.0,20\.0,""NaN"",30\.0,40\.0\]", chart.ToJson().Replace(" ", ""));
        var id = new System.Text.RegularExpressions.Regex("flownb-chart-[0-9a-f]{16}");
        Assert.NotEqual(id.Match(chart.ToHtml(false)).Value, id.Match(chart.ToHtml(false)).Value);
    }

    [Fact]
    public void The_html_table_encodes_values_and_names_and_bounds_the_rows()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("<b>name</b>", Enumerable.Repeat(Hostile, 100)),
            new Int64DataFrameColumn("bytes", Enumerable.Range(0, 100).Select(i => (long?)i)));
        var html = DataFrameView.ToHtml(frame, rows: 10);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>name", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Equal(10, html.Split("<tr>").Length - 2);
        Assert.Contains("10 of 100 rows shown, 2 columns", html);
        Assert.Contains("style=\"text-align:right\">9<", html);
    }

    [Fact]
    public void The_text_table_aligns_numbers_right_and_cuts_wide_values()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("s", [new string('x', 100), "y"]),
            new Int64DataFrameColumn("n", [5L, 12345L]));
        var lines = DataFrameView.ToText(frame).Split('\n');
        Assert.EndsWith("…      5", lines[1]);
        Assert.EndsWith("  12345", lines[2]);
        Assert.Contains("2 of 2 rows shown", lines[3]);
    }

    [Fact]
    public void Numeric_ipv4_columns_and_times_read_as_an_analyst_writes_them()
    {
        Assert.Equal("10.0.0.5", CellText.Format(0x0A000005u, "srcaddr_v4"));
        Assert.Equal("167772165", CellText.Format(0x0A000005u, "bytes"));
        Assert.Equal("2024-06-01 12:30:00", CellText.Format(new DateTime(2024, 6, 1, 12, 30, 0)));
    }

    [Fact]
    public void A_chart_carries_plotly_js_inline_and_label_text_cannot_close_its_script()
    {
        var chart = FlowCharts.Bars(["a</script><script>alert(1)//"], [1.0], "top");
        var html = chart.ToHtml();
        Assert.Contains("plotly.js v2", html);
        Assert.DoesNotContain("</script><script>alert", html);
        Assert.DoesNotMatch(@"<script[^>]*\ssrc\s*=", html);
        var withoutLibrary = chart.ToHtml(includePlotlyJs: false);
        Assert.DoesNotContain("plotly.js v2", withoutLibrary);
        Assert.Contains("window.Plotly.newPlot(", withoutLibrary);
    }

    [Fact]
    public void Summary_cards_encode_evidence_text()
    {
        var html = SummaryCards.LoadHtml(new FlowNotebooks.Ingest.IngestSummary { Skipped = [Hostile], RejectReasons = [(Hostile, 1)] });
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
    }
}
