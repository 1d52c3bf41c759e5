using System.Globalization;

namespace FlowNotebooks.Procedures;

/// <summary>Rejected-traffic recon: who outside probed us, which hosts and ports, as the security groups and NACLs turned them away.</summary>
public sealed class RejectedRecon : Procedure
{
    public override string Name => "rejected-recon";
    public override string Title => "Rejected recon: external sources probing our addresses";
    public override string Description =>
        "External sources of REJECT records towards internal addresses: distinct targets and ports, records, time span; a source "
        + "above min_ports or min_targets is active scanning. Only captures with traffic type ALL or REJECT log rejected traffic; "
        + "probes that a security group accepted appear as ACCEPT (see lateral-movement and attacker-infrastructure). REJECT also "
        + "covers late packets of closed connections, so a few rejects alone mean little.";
    public override IReadOnlyList<string> Techniques => ["T1595"];
    public override IReadOnlyList<ResultColumn> Columns { get; } = ResultColumn.Of(("source", "VARCHAR"), ("targets", "BIGINT"), ("ports", "BIGINT"), ("records", "BIGINT"), ("packets", "BIGINT"),
        ("first_seen", "TIMESTAMP"), ("last_seen", "TIMESTAMP"), ("target_ports", "LIST"), ("target_addresses", "LIST"));
    public override IReadOnlyList<ProcedureChart> Charts { get; } = [new(ChartKind.Bars, "Ports probed by rejected external traffic (sources)", Table: "ports", Value: "sources", Label: "{port}/{protocol}")];
    public override string? GeoIpAfter => "source";
    public override IReadOnlyList<string> ShortNames => ["recon"];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs,
        new("min_ports", ParameterKind.Integer, "5", "Distinct ports that make a source a scanner."),
        new("min_targets", ParameterKind.Integer, "5", "Distinct internal addresses that make a source a scanner."),
        .. CommonParameters.GeoIp,
    ];

    public override IReadOnlyList<ProcedureQuery> Queries { get; } =
    [
        new("sources", "External sources of rejected traffic to internal addresses.", ProcedureSql.Counted + """
            SELECT src AS source, count(DISTINCT dst) AS targets, count(DISTINCT dstport) AS ports, count(*) AS records,
                   coalesce(sum(packets), 0)::BIGINT AS packets, min(start_time) AS first_seen, max(end_time) AS last_seen,
                   list(DISTINCT dstport ORDER BY dstport) AS target_ports, list(DISTINCT dst ORDER BY dst) AS target_addresses
            FROM counted
            WHERE action = 'REJECT' AND NOT {src in internal_cidrs} AND {dst in internal_cidrs}
            GROUP BY src ORDER BY ports DESC, targets DESC, records DESC, source
            """),
        new("ports", "Ports probed by rejected external traffic, by how many sources.", ProcedureSql.Counted + """
            SELECT dstport AS port, protocol, count(DISTINCT src) AS sources, count(DISTINCT dst) AS targets, count(*) AS records
            FROM counted
            WHERE action = 'REJECT' AND NOT {src in internal_cidrs} AND {dst in internal_cidrs}
            GROUP BY ALL ORDER BY sources DESC, records DESC, port
            """),
    ];

    protected override void Execute(ProcedureRun run)
    {
        var t = run.Query("sources");
        run.Table = run.WithGeoIp(t, "source");
        run.AddTable("ports", run.Query("ports"));
        var minPorts = run.Get<long>("min_ports");
        var minTargets = run.Get<long>("min_targets");
        var any = false;
        foreach (var r in t.RowsByName)
        {
            var targets = r.Long("targets");
            var ports = r.Long("ports");
            if (targets < minTargets && ports < minPorts) continue;
            any = true;
            var src = r.Text("source");
            var portList = r.List("target_ports");
            var (first, last) = (r.Time("first_seen"), r.Time("last_seen"));
            run.Add(new Finding
            {
                Title = $"Scanning from {src}: {targets} targets, {ports} ports rejected",
                Severity = Severity.Medium,
                Technique = "T1595",
                Statement = string.Create(CultureInfo.InvariantCulture,
                    $"{src} sent {r.Long("records"):N0} rejected records to {targets} internal address(es) on {ports} port(s) ({string.Join(",", portList.Take(20))}{(portList.Count > 20 ? ",…" : "")}) from {ProcedureRun.Show(first)} to {ProcedureRun.Show(last)}."),
                Facts = Finding.FactsOf([("source", src), ("targets", targets.ToString(CultureInfo.InvariantCulture)), ("ports", string.Join(",", portList)),
                    .. Finding.Span(first, last), ("src", src), ("dst", string.Join(",", r.List("target_addresses"))), ("action", "REJECT")]),
                Evidence = run.Cite(Citations.RejectedProbes, new Dictionary<string, object?> { ["cited_src"] = src }),
            });
        }
        if (!any)
            run.Add(new Finding
            {
                Title = "No external scanning in rejected traffic",
                Severity = Severity.Info,
                Negative = true,
                Statement = "No external source had rejected traffic to enough internal addresses or ports.",
            });
    }
}
