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

    /// <summary>The charts for a result (none when its tables are empty or the procedure has no chart).</summary>
    public static IReadOnlyList<FlowChart> For(ProcedureResult r) => r.Procedure switch
    {
        "coverage" => Maybe(CoverageMatrix(r)),
        "conversations" => [.. Maybe(ConversationTimeline(r)), .. Maybe(Matrix(r.Table, "client", "server", "bytes_to_server", "Bytes from client to server (top conversations)"))],
        "exfil-ledger" => Maybe(EgressSankey(r)),
        "lateral-movement" => Maybe(LateralGraph(r)),
        "attacker-infrastructure" => Maybe(Matrix(r.Table, "asset", "ioc_address", "packets", "Packets between our assets and IOC addresses")),
        "beaconing" => Maybe(Bars(r.Table, row => $"{S(r.Table, row, "asset")} → {S(r.Table, row, "destination")}:{S(r.Table, row, "port")} every {S(r.Table, row, "period_seconds")} s",
            "connections", "Beacons: connections per asset → destination")),
        "rejected-recon" => r.Tables.TryGetValue("ports", out var ports)
            ? Maybe(Bars(ports, row => S(ports, row, "port") + "/" + S(ports, row, "protocol"), "sources", "Ports probed by rejected external traffic (sources)"))
            : [],
        _ => [],
    };

    static IReadOnlyList<FlowChart> Maybe(FlowChart? chart) => chart is null ? [] : [chart];

    static FlowChart? CoverageMatrix(ProcedureResult r)
    {
        if (!r.Tables.TryGetValue("buckets", out var t) || t.Rows.Count == 0) return null;
        var interfaces = t.Rows.Select(x => S(t, x, "interface_id")).Distinct().Order(StringComparer.Ordinal).ToList();
        var buckets = t.Rows.Select(x => (DateTime)x[t.IndexOf("bucket")]!).Distinct().Order().ToList();
        var z = interfaces.Select(_ => new double[buckets.Count]).ToList();
        foreach (var x in t.Rows)
            z[interfaces.IndexOf(S(t, x, "interface_id"))][buckets.IndexOf((DateTime)x[t.IndexOf("bucket")]!)] = D(x[t.IndexOf("records")]);
        return FlowCharts.Heatmap(z, buckets.Select(b => b.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)), interfaces,
            "Records per interface and time bucket (an empty cell is a time the interface logged nothing)", "time (UTC)", "interface");
    }

    static FlowChart? ConversationTimeline(ProcedureResult r)
    {
        if (!r.Tables.TryGetValue("timeline", out var t) || t.Rows.Count == 0) return null;
        var series = t.Rows.GroupBy(x => S(t, x, "traffic")).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<DateTime>)g.Select(x => (DateTime)x[t.IndexOf("bucket")]!).ToList(),
                (IReadOnlyList<double>)g.Select(x => D(x[t.IndexOf("bytes")])).ToList()));
        return FlowCharts.Timelines(series, "Bytes per time bucket (each record spread over its capture window)");
    }

    static FlowChart? EgressSankey(ProcedureResult r)
    {
        var t = r.Table;
        var flows = t.Rows.Where(x => D(x[t.IndexOf("bytes_out")]) > 0).Take(SankeyFlows)
            .Select(x => ((IReadOnlyList<string>)[Asset(t, x), Egress(t, x), Destination(t, x)], D(x[t.IndexOf("bytes_out")]))).ToList();
        return flows.Count == 0 ? null : FlowCharts.Sankey(flows, $"Bytes out: asset → egress → destination (largest {flows.Count})");
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

    static FlowChart? LateralGraph(ProcedureResult r)
    {
        if (r.Tables.TryGetValue("path", out var p) && p.Rows.Count > 0)
            return FlowCharts.HopGraph(p.Rows.Select(x => (S(p, x, "source"), S(p, x, "destination"), (DateTime)x[p.IndexOf("first_seen")]!,
                $"{S(p, x, "source")} → {S(p, x, "destination")} {S(p, x, "service")}")), "Lateral path from patient zero, in time order");
        return Matrix(r.Table, "client", "server", "connections", "Admin-port connections: client × server");
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
