using System.Globalization;
using FlowNotebooks.Enrichment;

namespace FlowNotebooks.Procedures;

/// <summary>Attacker infrastructure: every record to or from IOC addresses, and which of our assets (managed or not) talked to them.</summary>
public sealed class AttackerInfrastructure : Procedure
{
    public override string Name => "attacker-infrastructure";
    public override string Title => "Attacker infrastructure: assets that talked to IOC addresses";
    public override string Description =>
        "Matches IOC addresses and CIDR blocks (inline, or a text/CSV file) against source and destination of every record, using "
        + "pkt-srcaddr/pkt-dstaddr so traffic through a NAT gateway is matched to the internet host and charged to the workload. "
        + "Lists each of our assets with bytes out and in, ports, accepted and rejected records, first and last seen, and whether the "
        + "asset is in the interface inventory (an unmanaged host is seen only where it crossed a logged interface). Flow logs "
        + "cannot show domain names, so IOC domains must be resolved to addresses first; they also miss traffic of unlogged paths.";
    public override IReadOnlyList<string> Techniques => ["T1071", "T1595"];
    public override IReadOnlyList<ResultColumn> Columns { get; } = ResultColumn.Of(("asset", "VARCHAR"), ("asset_interface", "VARCHAR"), ("asset_name", "VARCHAR"), ("asset_role", "VARCHAR"), ("managed", "BOOLEAN"),
        ("ioc_address", "VARCHAR"), ("ioc_ports", "LIST"), ("bytes_out", "BIGINT"), ("bytes_in", "BIGINT"), ("packets", "BIGINT"),
        ("accepted_records", "BIGINT"), ("rejected_records", "BIGINT"), ("asset_client", "BOOLEAN"), ("first_seen", "TIMESTAMP"),
        ("last_seen", "TIMESTAMP"), ("observed_on", "LIST"));
    public override IReadOnlyList<ProcedureChart> Charts { get; } = [new(ChartKind.Matrix, "Packets between our assets and IOC addresses", X: "ioc_address", Y: "asset", Value: "packets")];
    public override string? GeoIpAfter => "ioc_address";
    public override IReadOnlyList<string> ShortNames => ["attacker-infra"];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs,
        new("iocs", ParameterKind.Cidrs, "", "IOC addresses and CIDR blocks, comma-separated."),
        new("ioc_file", ParameterKind.File, null, "IOC file: one address/CIDR per line, or CSV with one in some field; # comments."),
        .. CommonParameters.GeoIp,
    ];

    public override IReadOnlyList<string> OutsideSql { get; } =
    [
        "The IOC ranges: the iocs parameter plus the addresses and blocks ioc_file lists, read and merged in C# (IocList); "
        + "their numeric bounds are the values of ioc_contacts' address tests, written in above.",
    ];

    public override IReadOnlyList<ProcedureQuery> Queries { get; } =
    [
        new("ioc_contacts", "Per asset and IOC address: bytes, ports, actions, times.", ProcedureSql.Counted + """
            , m AS (
              SELECT {dst in ioc} AS outbound, CASE WHEN {dst in ioc} THEN src ELSE dst END AS asset,
                     CASE WHEN {dst in ioc} THEN dst ELSE src END AS ioc_address,
                     CASE WHEN {dst in ioc} THEN dstport ELSE srcport END AS ioc_port,
                     CASE WHEN {dst in ioc} THEN srcport ELSE dstport END AS asset_port,
                     bytes, packets, start_time, end_time, action, tcp_flags, interface_id, observer
              FROM counted WHERE NOT translated AND ({src in ioc} OR {dst in ioc}))
            SELECT m.asset, a.interface_id AS asset_interface, a.name AS asset_name, a.role AS asset_role, a.ip IS NOT NULL AS managed,
                   m.ioc_address, list(DISTINCT m.ioc_port ORDER BY m.ioc_port) AS ioc_ports,
                   coalesce(sum(bytes) FILTER (WHERE outbound), 0)::BIGINT AS bytes_out,
                   coalesce(sum(bytes) FILTER (WHERE NOT outbound), 0)::BIGINT AS bytes_in,
                   coalesce(sum(packets), 0)::BIGINT AS packets,
                   count(*) FILTER (WHERE action = 'ACCEPT') AS accepted_records, count(*) FILTER (WHERE action = 'REJECT') AS rejected_records,
                   coalesce(bool_or(outbound AND action = 'ACCEPT' AND (coalesce(tcp_flags, 0) & 18 = 2 OR asset_port > ioc_port)), false) AS asset_client,
                   min(start_time) AS first_seen, max(end_time) AS last_seen,
                   list(DISTINCT m.interface_id ORDER BY m.interface_id) AS observed_on
            FROM m LEFT JOIN fnb_assets a ON a.ip = m.asset
            GROUP BY ALL ORDER BY first_seen, m.asset, m.ioc_address
            """),
    ];

    protected override void Execute(ProcedureRun run)
    {
        var iocs = run.Get<CidrList>("iocs")?.Ranges ?? [];
        if (run.Get<string>("ioc_file") is { } file) iocs = [.. iocs, .. IocList.Load(file).Ranges];
        var list = new CidrList(iocs);
        var contacts = run.WithGeoIp(run.Query("ioc_contacts", new Dictionary<string, object?> { ["ioc"] = list }), "ioc_address");
        run.Table = contacts;
        if (list.IsEmpty)
        {
            run.Add(new Finding { Title = "No IOC given", Severity = Severity.Info, Negative = true, Statement = "Give iocs or ioc_file to match attacker addresses." });
            return;
        }
        var t = contacts;
        foreach (var r in t.RowsByName)
        {
            long L(string c) => r.IsNull(c) ? 0 : r.Long(c);
            var asset = r.Text("asset");
            var ioc = r.Text("ioc_address");
            var managed = r.Flag("managed");
            var accepted = L("accepted_records");
            // Who opened the connections decides the technique: our asset calling out (C2), the IOC reaching in, or only rejected probes.
            var assetClient = r.Flag("asset_client");
            var onlyProbes = accepted == 0;
            var ports = string.Join(",", r.List("ioc_ports"));
            var geo = GeoIpDatabases.Of(r);
            var (first, last) = (r.Time("first_seen"), r.Time("last_seen"));
            run.Add(new Finding
            {
                Title = $"{(managed ? "" : "Unmanaged ")}{asset} {(assetClient ? "called out to" : onlyProbes ? "was probed by" : "was reached from")} IOC {ioc}",
                Severity = managed ? Severity.High : Severity.Critical,
                Technique = assetClient ? "T1071" : onlyProbes ? "T1595" : "T1133",
                Statement = FormattableString.Invariant($"{asset}{(r.TextOrNull("asset_name") is { } n ? " (" + n + ")" : "")} and IOC {ioc}{(geo is null ? "" : $" ({geo})")} (ports {ports}): ")
                    + FormattableString.Invariant($"{ProcedureRun.Bytes(L("bytes_out"))} out, {ProcedureRun.Bytes(L("bytes_in"))} in, {accepted:N0} accepted and {L("rejected_records"):N0} rejected records, ")
                    + FormattableString.Invariant($"{ProcedureRun.Show(first)} to {ProcedureRun.Show(last)}")
                    + (managed ? "." : $"; {asset} is in no interface inventory (unmanaged), seen on {string.Join(", ", r.List("observed_on"))}."),
                // Records either way between the two: parties, not a direction.
                Facts = Finding.FactsOf([("asset", asset), ("ioc", ioc), ("managed", managed ? "true" : "false"),
                    ("bytes_out", L("bytes_out").ToString(CultureInfo.InvariantCulture)), ("bytes_in", L("bytes_in").ToString(CultureInfo.InvariantCulture)),
                    ("first_seen", ProcedureRun.Show(first)),
                    ("ioc_country", geo?.CountryCode), ("ioc_asn", geo?.Asn?.ToString(CultureInfo.InvariantCulture)),
                    .. Finding.Span(first, last), ("parties", $"{asset},{ioc}")]),
                Evidence = run.Cite(Citations.Contacts, new Dictionary<string, object?> { ["cited_src"] = asset, ["cited_dst"] = ioc }),
            });
        }
        if (t.Rows.Count == 0)
            run.Add(new Finding
            {
                Title = "No traffic with the IOC addresses",
                Severity = Severity.Info,
                Negative = true,
                Statement = $"No record in the window has an IOC address ({list.Ranges.Count} address(es)/block(s)) as source or destination.",
            });
    }
}
