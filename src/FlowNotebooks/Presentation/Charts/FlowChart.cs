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
        // A new id for every output: the same chart shown twice on one page must get two divs, or the second stays blank.
        // (The case report numbers the ids in page order, so two runs still give the same report.)
        var id = "flownb-chart-" + Guid.NewGuid().ToString("N")[..16];
        var sb = new StringBuilder();
        if (includePlotlyJs) sb.Append(PlotlyJs.ScriptElement());
        sb.Append("<div id=\"").Append(id).Append("\" class=\"flownb-chart\" style=\"width:100%\"></div><script type=\"text/javascript\">(function () {")
          .Append("var fig = ").Append(json).Append("; var tries = 0;")
          // The page's width, not a fixed one: the plot area fills the column and a long title starts at its left edge.
          .Append(" fig.layout = fig.layout || {}; delete fig.layout.width; fig.layout.autosize = true;")
          .Append(" if (fig.layout.title) { fig.layout.title.x = 0; fig.layout.title.xanchor = 'left'; }")
          .Append(" fig.config = Object.assign({}, fig.config, { responsive: true });")
          // Room for the plot: narrow side margins (the axis labels claim what they need), a heatmap's colour scale
          // under it instead of beside it, and a Sankey tall enough that its labels do not overlap.
          .Append(" fig.layout.margin = Object.assign({ l: 60, r: 20, t: 60 }, fig.layout.margin);")
          .Append(" ['xaxis', 'yaxis'].forEach(function (a) { fig.layout[a] = Object.assign({ automargin: true }, fig.layout[a]); });")
          .Append(" (fig.data || []).forEach(function (t) {")
          // Horizontal bars carry their labels on the bars: long "asset → destination" labels beside the axis took a
          // quarter of the width.
          .Append(" if (t.type === 'bar' && t.orientation === 'h' && !t.text) { t.text = t.y; t.textposition = 'auto'; t.insidetextanchor = 'start';")
          .Append(" fig.layout.yaxis.showticklabels = false; }")
          .Append(" if (t.type === 'heatmap') { t.colorbar = Object.assign({ orientation: 'h', y: -0.3, yanchor: 'top', thickness: 12 }, t.colorbar); }")
          .Append(" if (t.type === 'sankey') { t.node = Object.assign({ pad: 10 }, t.node); if (!fig.layout.height) { fig.layout.height = Math.max(450, 40 * (t.node.label || []).length); } } });")
          .Append("function draw() { if (window.Plotly) { window.Plotly.newPlot('").Append(id).Append("', fig.data, fig.layout, fig.config); }")
          .Append(" else if (tries++ < 600) { setTimeout(draw, 100); } }")
          .Append(" draw(); })();</script>");
        return sb.ToString();
    }

    /// <summary>A whole self-contained HTML document (plotly.js inlined).</summary>
    public string ToHtmlDocument(string title) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{System.Net.WebUtility.HtmlEncode(title)}</title></head><body>{ToHtml()}</body></html>";
}
