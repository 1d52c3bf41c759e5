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
    public static FlowChart Timeline(IEnumerable<DateTime> times, IEnumerable<double> values, string title, string valueTitle = "bytes")
    {
        var (t, v) = WithGaps(times.ToList(), values.ToList());
        return Titled(CSharpChart.Line<DateTime, double, string>(t, v, Name: valueTitle, ShowMarkers: true)
            .WithXAxisStyle<double, double, string>(TitleText: "time (UTC)")
            .WithYAxisStyle<double, double, string>(TitleText: valueTitle)
            , title);
    }

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

    /// <summary>Several lines over time on one chart (e.g. outbound, inbound and internal bytes per bucket).</summary>
    public static FlowChart Timelines(IEnumerable<(string Name, IReadOnlyList<DateTime> Times, IReadOnlyList<double> Values)> series, string title,
        string valueTitle = "bytes") =>
        Titled(CSharpChart.Combine(series.Select(s => WithGaps(s.Times, s.Values))
                .Select((s, i) => (s, name: series.ElementAt(i).Name))
                .Select(x => CSharpChart.Line<DateTime, double, string>(x.s.Times, x.s.Values, Name: x.name, ShowMarkers: true)).ToList())
            .WithXAxisStyle<double, double, string>(TitleText: "time (UTC)")
            .WithYAxisStyle<double, double, string>(TitleText: valueTitle)
            , title);

    /// <summary>A Sankey diagram: each flow goes through the stages in order (e.g. asset → egress → destination), its
    /// band as wide as its value. Stage labels are node names; the same name at two stages is two nodes.</summary>
    public static FlowChart Sankey(IEnumerable<(IReadOnlyList<string> Stages, double Value)> flows, string title)
    {
        var nodes = new List<string>();
        var index = new Dictionary<(int, string), int>();
        var links = new Dictionary<(int, int), double>();
        int Node(int stage, string label)
        {
            if (!index.TryGetValue((stage, label), out var i))
            {
                index[(stage, label)] = i = nodes.Count;
                nodes.Add(label);
            }
            return i;
        }
        foreach (var (stages, value) in flows)
            for (var s = 0; s + 1 < stages.Count; s++)
            {
                var key = (Node(s, stages[s]), Node(s + 1, stages[s + 1]));
                links[key] = links.GetValueOrDefault(key) + value;
            }
        var ordered = links.OrderBy(l => l.Key.Item1).ThenBy(l => l.Key.Item2).ToList();
        return Titled(CSharpChart.Sankey<double, string>(nodes, ordered.Select(l => l.Key), ordered.Select(l => l.Value)), title);
    }

    /// <summary>
    /// A time-ordered graph of hops between hosts (lateral movement): one lane per host in the order they were reached,
    /// each hop a segment from its source's lane to its destination's lane at the time it was first seen, labelled.
    /// </summary>
    public static FlowChart HopGraph(IEnumerable<(string Source, string Destination, DateTime Time, string Label)> hops, string title)
    {
        var list = hops.OrderBy(h => h.Time).ToList();
        var lanes = new List<string>();
        foreach (var h in list)
        {
            if (!lanes.Contains(h.Source)) lanes.Add(h.Source);
            if (!lanes.Contains(h.Destination)) lanes.Add(h.Destination);
        }
        var traces = list.Select((h, i) => CSharpChart.Line<DateTime, string, string>(
            [h.Time, h.Time], [h.Source, h.Destination], ShowMarkers: true, Name: $"{i + 1}. {h.Label}",
            MultiText: new[] { "", $"{i + 1}. {h.Label}" }, TextPosition: StyleParam.TextPosition.MiddleRight, ShowLegend: false)).ToList();
        if (traces.Count == 0) traces.Add(CSharpChart.Line<DateTime, string, string>(Array.Empty<DateTime>(), Array.Empty<string>(), Name: "no hops"));
        // Each hop is labelled on the chart: a legend repeating them would take the plot area's width.
        return Titled(CSharpChart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "first seen (UTC)")
            .WithYAxisStyle<double, double, string>(TitleText: "host (in the order reached)")
            , title);
    }

    /// <summary>
    /// A series over time with a gap point (NaN, which plotly.js does not join across) wherever buckets are missing:
    /// a query returns only buckets with traffic, and a line drawn straight from one to the next would show a ramp
    /// of traffic that never was. The bucket width is the series' smallest step.
    /// </summary>
    public static (List<DateTime> Times, List<double> Values) WithGaps(IReadOnlyList<DateTime> times, IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, Math.Min(times.Count, values.Count)).OrderBy(i => times[i]).ToList();
        var steps = order.Zip(order.Skip(1), (a, b) => times[b] - times[a]).Where(d => d > TimeSpan.Zero).ToList();
        var step = steps.Count == 0 ? TimeSpan.Zero : steps.Min();
        var t = new List<DateTime>();
        var v = new List<double>();
        for (var k = 0; k < order.Count; k++)
        {
            if (k > 0 && step > TimeSpan.Zero && times[order[k]] - times[order[k - 1]] > step)
            {
                t.Add(times[order[k - 1]] + step);
                v.Add(double.NaN);
            }
            t.Add(times[order[k]]);
            v.Add(values[order[k]]);
        }
        return (t, v);
    }

    // Plotly.NET's title setter is a curried F# function over a Title whose eleven other options are F# options
    // (null is None); wrapping it keeps the builders above readable.
    static FlowChart Titled(GenericChart chart, string title) =>
        new(Plotly.NET.Chart.withTitle(Title.init(FSharpOption<string>.Some(title), null, null, null, null, null, null, null, null, null, null, null)).Invoke(chart));
}
