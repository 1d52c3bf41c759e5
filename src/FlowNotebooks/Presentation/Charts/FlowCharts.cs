using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace FlowNotebooks.Presentation.Charts;

/// <summary>The chart kinds notebooks and reports use, from plain series (so a procedure can chart its own result).
/// <see cref="CaseCharts"/> builds the same charts straight from a case.</summary>
public static class FlowCharts
{
    /// <summary>A line over time (e.g. bytes per bucket).</summary>
    public static FlowChart Timeline(IEnumerable<DateTime> times, IEnumerable<double> values, string title, string valueTitle = "bytes") =>
        Titled(CSharpChart.Line<DateTime, double, string>(times, values, Name: valueTitle, ShowMarkers: true)
            .WithXAxisStyle<double, double, string>(TitleText: "time (UTC)")
            .WithYAxisStyle<double, double, string>(TitleText: valueTitle)
            , title);

    /// <summary>Horizontal bars, the first label on top (a top-N list reads downwards).</summary>
    public static FlowChart Bars(IEnumerable<string> labels, IEnumerable<double> values, string title, string valueTitle = "bytes")
    {
        var l = labels.Reverse().ToList();
        var v = values.Reverse().ToList();
        return Titled(CSharpChart.Bar<double, string, string>(v, Keys: l, Name: valueTitle)
            .WithXAxisStyle<double, double, string>(TitleText: valueTitle)
            , title);
    }

    /// <summary>A heatmap: <paramref name="z"/>[row][column], rows labelled by <paramref name="rows"/>.</summary>
    public static FlowChart Heatmap(IEnumerable<IEnumerable<double>> z, IEnumerable<string> columns, IEnumerable<string> rows, string title,
        string columnTitle = "", string rowTitle = "") =>
        Titled(CSharpChart.Heatmap<double, string, string, string>(z, X: columns.ToList(), Y: rows.ToList())
            .WithXAxisStyle<double, double, string>(TitleText: columnTitle)
            .WithYAxisStyle<double, double, string>(TitleText: rowTitle)
            , title);

    // Plotly.NET's title setter is a curried F# function over a Title whose eleven other options are F# options
    // (null is None); wrapping it keeps the builders above readable.
    static FlowChart Titled(GenericChart chart, string title) =>
        new(Plotly.NET.Chart.withTitle(Title.init(FSharpOption<string>.Some(title), null, null, null, null, null, null, null, null, null, null, null)).Invoke(chart));
}
