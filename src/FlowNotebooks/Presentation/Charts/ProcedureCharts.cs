using System.Globalization;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Charts;

/// <summary>
/// The chart that fits each procedure's result, so notebooks, magics and reports show the same picture: coverage as an
/// interface × time matrix (holes are gaps), conversations as a timeline and a client × server matrix, the exfil ledger
/// as a Sankey (asset → egress → destination), lateral movement as a graph of hops in time order, IOC contacts as an
/// asset × IOC matrix, beacons and scans as bars.
/// </summary>
public static class ProcedureCharts
{
    const int MatrixSide = 20, SankeyFlows = 30, BarCount = 20;

    /// <summary>The charts a result's procedure declares (<see cref="Procedure.Charts"/>), each drawn from its table; none
    /// when the tables are empty.</summary>
    public static IReadOnlyList<FlowChart> For(ProcedureResult r) =>
        (ProcedureRegistry.Find(r.Procedure)?.Charts ?? []).SelectMany(spec => Maybe(Draw(r, spec))).ToList();

    static FlowChart? Draw(ProcedureResult r, ProcedureChart spec)
    {
        var table = spec.Table is null ? r.Table : r.Tables.GetValueOrDefault(spec.Table);
        return spec.Kind switch
        {
            ChartKind.CoverageMatrix => table is null ? null : CoverageMatrix(table, spec.Title),
            ChartKind.Timeline => table is null ? null : ConversationTimeline(table, spec.Title),
            ChartKind.EgressSankey => EgressSankey(r.Table, spec),
            ChartKind.HopGraph => LateralGraph(r, table, spec),
            ChartKind.Matrix => table is null ? null : Matrix(table, spec.Y!, spec.X!, spec.Value!, spec.Title),
            ChartKind.Bars => table is null ? null : Bars(table, row => Label(table, row, spec.Label!), spec.Value!, spec.Title),
            _ => null,
        };
    }

    /// <summary>A bar's label: the template with each <c>{column}</c> replaced by the row's value.</summary>
    static string Label(QueryResult t, object?[] row, string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{(?<c>[a-z_]+)\}", m => S(t, row, m.Groups["c"].Value));

    static IReadOnlyList<FlowChart> Maybe(FlowChart? chart) => chart is null ? [] : [chart];

    static FlowChart? CoverageMatrix(QueryResult t, string title)
    {
        if (t.Rows.Count == 0) return null;
        var interfaces = t.Rows.Select(x => S(t, x, "interface_id")).Distinct().Order(StringComparer.Ordinal).ToList();
        var buckets = t.Rows.Select(x => (DateTime)x[t.IndexOf("bucket")]!).Distinct().Order().ToList();
        var z = interfaces.Select(_ => new double[buckets.Count]).ToList();
        foreach (var x in t.Rows)
            z[interfaces.IndexOf(S(t, x, "interface_id"))][buckets.IndexOf((DateTime)x[t.IndexOf("bucket")]!)] = D(x[t.IndexOf("records")]);
        return FlowCharts.Heatmap(z, buckets.Select(b => b.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)), interfaces,
            title, "time (UTC)", "interface");
    }

    static FlowChart? ConversationTimeline(QueryResult t, string title)
    {
        if (t.Rows.Count == 0) return null;
        var series = t.Rows.GroupBy(x => S(t, x, "traffic")).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<DateTime>)g.Select(x => (DateTime)x[t.IndexOf("bucket")]!).ToList(),
                (IReadOnlyList<double>)g.Select(x => D(x[t.IndexOf("bytes")])).ToList()));
        return FlowCharts.Timelines(series, title);
    }

    static FlowChart? EgressSankey(QueryResult t, ProcedureChart spec)
    {
        var flows = t.Rows.Where(x => D(x[t.IndexOf(spec.Value!)]) > 0).Take(SankeyFlows)
            .Select(x => ((IReadOnlyList<string>)[Asset(t, x), Egress(t, x), Destination(t, x)], D(x[t.IndexOf(spec.Value!)]))).ToList();
        return flows.Count == 0 ? null : FlowCharts.Sankey(flows, string.Create(CultureInfo.InvariantCulture, $"{spec.Title} (largest {flows.Count})"));
    }

    static string Asset(QueryResult t, object?[] x) => S(t, x, "asset_name") is { Length: > 0 } name ? $"{S(t, x, "asset")} ({name})" : S(t, x, "asset");

    static string Egress(QueryResult t, object?[] x) => S(t, x, "via") switch
    {
        "nat_gateway" => $"NAT gateway {S(t, x, "nat_public_ip")} ({S(t, x, "nat_interface")})",
        "nat_gateway_unattributed" => "NAT gateway (workload unknown)",
        _ => "direct (internet gateway or endpoint)",
    };

    static string Destination(QueryResult t, object?[] x) => S(t, x, "aws_service") is { Length: > 0 } service
        ? $"{S(t, x, "destination")} (AWS {service})" : S(t, x, "destination");

    static FlowChart? LateralGraph(ProcedureResult r, QueryResult? p, ProcedureChart spec)
    {
        if (p is { Rows.Count: > 0 })
            return FlowCharts.HopGraph(p.Rows.Select(x => (S(p, x, "source"), S(p, x, "destination"), (DateTime)x[p.IndexOf("first_seen")]!,
                $"{S(p, x, "source")} → {S(p, x, "destination")} {S(p, x, "service")}")), spec.Title);
        return Matrix(r.Table, spec.Y!, spec.X!, spec.Value!, "Admin-port connections: client × server");
    }

    /// <summary>Rows × columns of the busiest pairs, summing a measure (a src × dst matrix).</summary>
    static FlowChart? Matrix(QueryResult t, string rowColumn, string columnColumn, string measure, string title)
    {
        if (t.Rows.Count == 0) return null;
        var cells = t.Rows.GroupBy(x => (S(t, x, rowColumn), S(t, x, columnColumn))).ToDictionary(g => g.Key, g => g.Sum(x => D(x[t.IndexOf(measure)])));
        List<string> Top(Func<(string, string), string> key) => cells.GroupBy(c => key(c.Key)).OrderByDescending(g => g.Sum(c => c.Value))
            .ThenBy(g => g.Key, StringComparer.Ordinal).Take(MatrixSide).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var rows = Top(k => k.Item1);
        var columns = Top(k => k.Item2);
        var z = rows.Select(a => columns.Select(b => cells.GetValueOrDefault((a, b))).ToArray()).ToList();
        return FlowCharts.Heatmap(z, columns, rows, title, columnColumn, rowColumn);
    }

    static FlowChart? Bars(QueryResult t, Func<object?[], string> label, string measure, string title)
    {
        var rows = t.Rows.Take(BarCount).ToList();
        return rows.Count == 0 ? null : FlowCharts.Bars(rows.Select(label), rows.Select(x => D(x[t.IndexOf(measure)])), title, measure);
    }

    static string S(QueryResult t, object?[] row, string column) => Html.CellText.Format(row[t.IndexOf(column)]);

    static double D(object? v) => v is null ? 0 : Convert.ToDouble(v, CultureInfo.InvariantCulture);
}
