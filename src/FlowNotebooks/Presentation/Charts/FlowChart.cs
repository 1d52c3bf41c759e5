using System.Text;
using Plotly.NET;

namespace FlowNotebooks.Presentation.Charts;

/// <summary>
/// A Plotly.NET chart with FlowNotebooks' offline HTML: a div and a script that draws it once <c>window.Plotly</c>
/// exists, optionally preceded by plotly.js itself. <see cref="Chart"/> is the Plotly.NET object, to restyle.
/// </summary>
public sealed class FlowChart(GenericChart chart)
{
    /// <summary>The Plotly.NET chart.</summary>
    public GenericChart Chart { get; } = chart;

    /// <summary>data/layout/config as plotly.js takes them.</summary>
    public string ToJson() => GenericChart.toJson(Chart);

    /// <summary>HTML for a page or notebook output. With <paramref name="includePlotlyJs"/> false the page must load
    /// plotly.js elsewhere (once, before or after: the chart waits for it).</summary>
    public string ToHtml(bool includePlotlyJs = true)
    {
        // Labels are evidence text: "<" is escaped so "</script>" in a host name cannot close the script element.
        var json = ToJson().Replace("<", "\\u003c", StringComparison.Ordinal);
        // The element id comes from the chart itself, not a random number: re-running a notebook on the same evidence
        // gives byte-identical outputs (the same chart shown twice on one page would share a div; nothing does that).
        var id = "flownb-chart-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(json)), 0, 8);
        var sb = new StringBuilder();
        if (includePlotlyJs) sb.Append(PlotlyJs.ScriptElement());
        sb.Append("<div id=\"").Append(id).Append("\"></div><script type=\"text/javascript\">(function () {")
          .Append("var fig = ").Append(json).Append("; var tries = 0;")
          .Append("function draw() { if (window.Plotly) { window.Plotly.newPlot('").Append(id).Append("', fig.data, fig.layout, fig.config); }")
          .Append(" else if (tries++ < 600) { setTimeout(draw, 100); } }")
          .Append(" draw(); })();</script>");
        return sb.ToString();
    }

    /// <summary>A whole self-contained HTML document (plotly.js inlined).</summary>
    public string ToHtmlDocument(string title) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{System.Net.WebUtility.HtmlEncode(title)}</title></head><body>{ToHtml()}</body></html>";
}
