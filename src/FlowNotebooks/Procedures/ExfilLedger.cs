using System.Globalization;
using FlowNotebooks.Enrichment;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// Exfil ledger: per internal asset × external destination, bytes out and in, with NAT attribution, AWS services apart,
/// lower/upper bounds from coverage and an optional baseline.
/// </summary>
public sealed class ExfilLedger : Procedure
{
    public override string Name => "exfil-ledger";
    public override string Title => "Exfil ledger: bytes each asset sent to each external destination";
    public override string Description =>
        "One row per internal asset and external destination: bytes and packets out and in, ratio, first and last seen, active "
        + "5-minute windows, ports. Traffic through a NAT gateway is charged to the workload that sent it: on the NAT gateway's "
        + "interface the leg from the instance carries pkt-dstaddr = the internet host, so the instance is known even when its own "
        + "interface was not logged; the NAT's own translated legs are not charged again. Destinations in AWS service ranges "
        + "(pkt-dst-aws-service, or a supplied ip-ranges.json) are separated, with the path they took (through the NAT gateway or not); "
        + "an upload to one that a baseline never saw is a finding (T1567.002), since the bucket may be the attacker's. The lower bound is the bytes logged; the upper bound "
        + "adds the peak logged rate over the time every observing interface was blind (SKIPDATA, missing deliveries) between first "
        + "and last seen. Flow logs show volumes, not content: they cannot say what was sent, nor see unlogged paths.";
    public override IReadOnlyList<string> Techniques => ["T1048", "T1041", "T1567.002"];
    public override IReadOnlyList<ResultColumn> Columns { get; } = ResultColumn.Of(("asset", "VARCHAR"), ("asset_interface", "VARCHAR"), ("asset_name", "VARCHAR"), ("asset_role", "VARCHAR"), ("managed", "BOOLEAN"),
        ("destination", "VARCHAR"), ("aws_service", "VARCHAR"), ("ports", "LIST"), ("bytes_out", "BIGINT"), ("bytes_in", "BIGINT"), ("ratio", "DOUBLE"),
        ("packets_out", "BIGINT"), ("packets_in", "BIGINT"), ("first_seen", "TIMESTAMP"), ("last_seen", "TIMESTAMP"), ("active_windows", "BIGINT"),
        ("via", "VARCHAR"), ("nat_interface", "VARCHAR"), ("nat_private_ip", "VARCHAR"), ("nat_public_ip", "VARCHAR"), ("bytes_out_on_nat", "BIGINT"),
        ("lower_bound", "BIGINT"), ("upper_bound", "BIGINT"), ("blind_seconds", "BIGINT"), ("baseline_bytes_out", "BIGINT"), ("new_destination", "BOOLEAN"));
    public override IReadOnlyList<ProcedureChart> Charts { get; } = [new(ChartKind.EgressSankey, "Bytes out: asset → egress → destination", Value: "bytes_out")];
    public override string? GeoIpAfter => "destination";
    public override IReadOnlyList<string> ShortNames => ["exfil"];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs, CommonParameters.BaselineFrom, CommonParameters.BaselineTo,
        new("aws_ip_ranges", ParameterKind.File, null, "AWS ip-ranges.json, to separate AWS-service destinations when the records lack pkt-dst-aws-service."),
        new("min_bytes", ParameterKind.Bytes, "10000000", "Bytes out from which an asset → destination pair becomes a finding (a number or a size: 10MB, 1.5GiB)."),
        new("min_ratio", ParameterKind.Integer, "3", "Bytes out must be at least this many times bytes in (uploads, not downloads)."),
        new("limit", ParameterKind.Integer, "1000", "Rows of the ledger (largest first)."),
        .. CommonParameters.GeoIp,
    ];

    // Per internal asset and external destination (accepted traffic), with NAT relays and AWS services; the figures the
    // bounds need (peak_rate, observed_on, relay_interfaces) beside the columns shown.
    const string PairsSql = ProcedureSql.CountedAndTraffic + ProcedureSql.Outside + """
            , named AS (
              -- A capture with pkt-dst-aws-service names the service of an address; a v2 capture of another interface does not.
              SELECT dst AS ip, min(pkt_dst_aws_service) AS service FROM w WHERE pkt_dst_aws_service IS NOT NULL GROUP BY dst),
            relays AS (
              SELECT src AS asset, dst AS peer, list(DISTINCT interface_id ORDER BY interface_id) AS relay_interfaces,
                     coalesce(sum(bytes), 0)::BIGINT AS bytes_out_on_relay
              FROM observed WHERE observer = 'relay' AND action = 'ACCEPT' AND NOT translated AND {src in internal_cidrs} AND NOT {dst in internal_cidrs}
              GROUP BY ALL),
            l AS MATERIALIZED (
              SELECT asset_id, peer_id, any_value(peer_v4) AS peer_v4, any_value(peer_v6) AS peer_v6,
                     coalesce(sum(bytes) FILTER (WHERE outbound), 0)::BIGINT AS bytes_out,
                     coalesce(sum(bytes) FILTER (WHERE NOT outbound), 0)::BIGINT AS bytes_in,
                     coalesce(sum(packets) FILTER (WHERE outbound), 0)::BIGINT AS packets_out,
                     coalesce(sum(packets) FILTER (WHERE NOT outbound), 0)::BIGINT AS packets_in,
                     min(start_time) AS first_seen, max(end_time) AS last_seen,
                     max(bytes / greatest(1, epoch(end_time) - epoch(start_time))) FILTER (WHERE outbound) AS peak_rate,
                     min(aws_service) AS aws_service
              FROM outside WHERE accepted
              GROUP BY asset_id, peer_id),
            top AS (
              -- The table shows the largest pairs and findings need every pair above min_bytes; the rest is only counted
              -- (a top-N and a filter, not a sort of millions of pairs). Ids are in text order: ordering by them is by the addresses.
              SELECT (SELECT count(*) FROM l) AS pairs, * FROM (
                (SELECT * FROM l ORDER BY bytes_out DESC, asset_id, peer_id LIMIT $limit)
                UNION SELECT * FROM l WHERE bytes_out >= $min_bytes)),
            detail AS (
              -- Slots, ports and observing interfaces only for the pairs kept (millions of pairs on a large case, a thousand shown).
              SELECT o.asset_id, o.peer_id, count(DISTINCT time_bucket(INTERVAL 5 MINUTE, o.start_time)) FILTER (WHERE o.outbound) AS active_windows,
                     list(DISTINCT o.peer_port ORDER BY o.peer_port) FILTER (WHERE o.outbound) AS ports,
                     list(DISTINCT o.interface_id ORDER BY o.interface_id) AS observed_on
              FROM outside o SEMI JOIN top t ON t.asset_id = o.asset_id AND t.peer_id = o.peer_id
              WHERE o.accepted
              GROUP BY o.asset_id, o.peer_id),
            kept AS (
              SELECT ad.ip AS asset, pd.ip AS peer, top.* FROM top
              JOIN case_addresses ad ON ad.address_id = top.asset_id JOIN case_addresses pd ON pd.address_id = top.peer_id)
            SELECT l.pairs, l.asset, a.interface_id AS asset_interface, a.name AS asset_name, a.role AS asset_role, a.ip IS NOT NULL AS managed,
                   l.peer AS destination,
                   coalesce(l.aws_service, (SELECT nm.service FROM named nm WHERE nm.ip = l.peer), (SELECT ar.service FROM fnb_aws_ranges ar
                       WHERE (NOT ar.v6 AND l.peer_v4 BETWEEN ar.lo AND ar.hi) OR (ar.v6 AND l.peer_v6 BETWEEN ar.lo AND ar.hi)
                       ORDER BY ar.hi - ar.lo, ar.service LIMIT 1)) AS aws_service,
                   dt.ports, l.bytes_out, l.bytes_in,
                   CASE WHEN l.bytes_in > 0 THEN round(l.bytes_out / l.bytes_in, 2) END AS ratio,
                   l.packets_out, l.packets_in, l.first_seen, l.last_seen, dt.active_windows,
                   CASE WHEN r.relay_interfaces IS NOT NULL THEN 'nat_gateway' WHEN a.role = 'nat_gateway' THEN 'nat_gateway_unattributed' ELSE 'direct' END AS via,
                   r.relay_interfaces[1] AS nat_interface, n.own_ip AS nat_private_ip, n.public_ip AS nat_public_ip,
                   coalesce(r.bytes_out_on_relay, 0) AS bytes_out_on_nat, l.peak_rate, dt.observed_on,
                   coalesce(r.relay_interfaces, []) AS relay_interfaces
            FROM kept l JOIN detail dt ON dt.asset_id = l.asset_id AND dt.peer_id = l.peer_id
            LEFT JOIN fnb_assets a ON a.ip = l.asset
            LEFT JOIN relays r ON r.asset = l.asset AND r.peer = l.peer
            LEFT JOIN fnb_interfaces n ON n.interface_id = r.relay_interfaces[1]
            ORDER BY l.bytes_out DESC, l.asset_id, l.peer_id
            """;

    public override IReadOnlyList<ProcedureQuery> Queries { get; } =
    [
        new("aws_ranges", "The supplied ip-ranges.json as a temporary table (empty without one).",
            "CREATE OR REPLACE TEMP TABLE fnb_aws_ranges (v6 BOOLEAN, lo UHUGEINT, hi UHUGEINT, service VARCHAR)"),
        new("pairs", "Bytes per internal asset and external destination (accepted traffic), with NAT relays and AWS services.",
            "CREATE OR REPLACE TEMP TABLE fnb_exfil_pairs AS\n" + PairsSql),
        new("baseline", "Bytes out per pair in the baseline window.",
            "CREATE OR REPLACE TEMP TABLE fnb_exfil_baseline AS\nSELECT asset, destination, bytes_out FROM (\n" + PairsSql + ")"),
        new("no_baseline", "No baseline window: an empty baseline.",
            "CREATE OR REPLACE TEMP TABLE fnb_exfil_baseline (asset VARCHAR, destination VARCHAR, bytes_out BIGINT)"),
        new("pair_spans", "What the blind time of each pair depends on.", """
            SELECT pairs, asset, destination, first_seen, last_seen, observed_on, relay_interfaces FROM fnb_exfil_pairs ORDER BY asset, destination
            """),
        new("blind", "Seconds each pair's observers were all blind (from the coverage gaps, computed outside SQL).",
            "CREATE OR REPLACE TEMP TABLE fnb_exfil_blind (asset VARCHAR, destination VARCHAR, blind_seconds DOUBLE)"),
        new("ledger", "The ledger: each pair with its lower and upper bounds and the baseline.", """
            SELECT p.asset, p.asset_interface, p.asset_name, p.asset_role, p.managed, p.destination, p.aws_service, p.ports,
                   p.bytes_out, p.bytes_in, p.ratio, p.packets_out, p.packets_in, p.first_seen, p.last_seen, p.active_windows,
                   p.via, p.nat_interface, p.nat_private_ip, p.nat_public_ip, p.bytes_out_on_nat,
                   -- The NAT gateway's copy can hold what the workload's own capture lost (a gap on one side only): the larger is logged for sure.
                   greatest(p.bytes_out, p.bytes_out_on_nat) AS lower_bound,
                   -- Plus the peak logged rate over the time every interface that could see the pair was blind (half to even).
                   greatest(p.bytes_out, p.bytes_out_on_nat) + CAST(round_even(coalesce(b.blind_seconds, 0) * coalesce(p.peak_rate, 0), 0) AS BIGINT) AS upper_bound,
                   CAST(trunc(coalesce(b.blind_seconds, 0)) AS BIGINT) AS blind_seconds,
                   CASE WHEN $baseline_given THEN coalesce(bl.bytes_out, 0) END AS baseline_bytes_out,
                   CASE WHEN $baseline_given THEN coalesce(bl.bytes_out, 0) = 0 END AS new_destination
            FROM fnb_exfil_pairs p
            LEFT JOIN fnb_exfil_blind b ON b.asset = p.asset AND b.destination = p.destination
            LEFT JOIN fnb_exfil_baseline bl ON bl.asset = p.asset AND bl.destination = p.destination
            -- Addresses sort as their ids do (ids are numbered in text order): the order of the pairs' own ORDER BY.
            ORDER BY p.bytes_out DESC, p.asset, p.destination
            LIMIT $limit
            """),
    ];

    public override IReadOnlyList<string> OutsideSql { get; } =
    [
        "blind_seconds (the rows of fnb_exfil_blind above; pairs not listed: 0): per pair, the seconds between first_seen and "
        + "last_seen during which every interface that could log it (observed_on and relay_interfaces) was blind at once (its "
        + "SKIPDATA windows, or times every capture that logs it missed a delivery), from the coverage gaps (CoverageGaps.BlindSeconds). "
        + "lower_bound = greatest(bytes_out, bytes_out_on_nat) and upper_bound = lower_bound + round_half_even(blind_seconds × peak_rate) "
        + "are computed in the ledger statement.",
    ];

    protected override void Execute(ProcedureRun run)
    {
        run.Execute(Query("aws_ranges"));
        if (run.Get<string>("aws_ip_ranges") is { } path) LoadAwsRanges(run, AwsIpRanges.Load(path));
        run.Execute(Query("pairs"));
        var baselineGiven = run.Get<DateTime?>("baseline_from") is not null;
        if (baselineGiven)
            run.Execute(Query("baseline"), new Dictionary<string, object?>
            {
                ["from"] = run.Get<DateTime?>("baseline_from"),
                ["to"] = run.Get<DateTime?>("baseline_to") ?? run.From,
                // Every baseline pair: a pair missing here would read as new.
                ["limit"] = long.MaxValue,
            });
        else run.Execute(Query("no_baseline"));

        var spans = run.Query("pair_spans");
        var pairs = spans.Rows.Count == 0 ? 0 : Convert.ToInt64(spans[0, "pairs"], CultureInfo.InvariantCulture);
        run.Execute(Query("blind"));
        InsertBlindSeconds(run, spans);

        var extra = new Dictionary<string, object?> { ["baseline_given"] = baselineGiven };
        var ledger = run.WithGeoIp(run.Query("ledger", extra), "destination");
        var limit = run.Get<long>("limit");
        run.Table = new QueryResult(ledger.Columns, ledger.Types, ledger.Rows, pairs > limit);
        // Findings cover every pair above the threshold, also those past the table's limit.
        var all = pairs > limit ? run.WithGeoIp(run.Query("ledger", new Dictionary<string, object?>(extra) { ["limit"] = long.MaxValue }), "destination") : ledger;
        AddFindings(run, all);
    }

    /// <summary>
    /// The blind seconds of each pair, from the coverage gaps (computed in C#), into <c>fnb_exfil_blind</c> as bound rows
    /// (pairs never blind are left out: the ledger reads them as 0).
    /// </summary>
    static void InsertBlindSeconds(ProcedureRun run, QueryResult spans)
    {
        var cov = run.Coverage;
        var rows = new List<object?[]>();
        foreach (var r in spans.Rows)
        {
            static IEnumerable<string> Ids(object? list) => ((System.Collections.IEnumerable?)list ?? Array.Empty<object>()).Cast<object>().Select(o => (string)o);
            // Blind only when every interface that could see the pair (its own and the NAT gateway's) was blind at once.
            var observers = Ids(r[spans.IndexOf("observed_on")]).Concat(Ids(r[spans.IndexOf("relay_interfaces")])).ToList();
            var blind = cov.BlindSeconds(observers, (DateTime)r[spans.IndexOf("first_seen")]!, (DateTime)r[spans.IndexOf("last_seen")]!);
            if (blind > 0) rows.Add([r[spans.IndexOf("asset")], r[spans.IndexOf("destination")], blind]);
        }
        foreach (var chunk in rows.Chunk(300))
        {
            var values = string.Join(", ", chunk.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"(${3 * i + 1}, ${3 * i + 2}, ${3 * i + 3})")));
            run.Execute(new ExecutedStatement("blind rows", $"INSERT INTO fnb_exfil_blind VALUES {values}", [.. chunk.SelectMany(r => r)]));
        }
    }

    static void AddFindings(ProcedureRun run, QueryResult t)
    {
        var minBytes = run.Get<long>("min_bytes");
        var minRatio = run.Get<long>("min_ratio");
        var any = false;
        foreach (var r in t.RowsByName)
        {
            long L(string c) => r.IsNull(c) ? 0 : r.Long(c);
            string? S(string c) => r[c] switch
            {
                null => null,
                string v => v,
                System.Collections.IEnumerable => string.Join(",", r.List(c)),
                var v => Convert.ToString(v, CultureInfo.InvariantCulture),
            };
            var asset = r.Text("asset");
            var destination = r.Text("destination");
            var service = r.TextOrNull("aws_service");
            var bytesOut = L("bytes_out");
            if (bytesOut < minBytes) continue;
            var (first, last) = (r.Time("first_seen"), r.Time("last_seen"));
            // The pair's span and parties; the cited records are its largest transfers, among those its bytes_out sums.
            (string, string?)[] parties = [.. Finding.Span(first, last), ("src", asset), ("dst", destination), ("ports", S("ports")), ("action", "ACCEPT")];
            var cited = run.Cite(Citations.LargestTransfers, new Dictionary<string, object?> { ["cited_src"] = asset, ["cited_dst"] = destination });
            if (service is not null)
            {
                // An upload to an AWS service can be an attacker's own bucket: say which path it took and what flow logs cannot
                // tell; a baseline that never saw the pair makes it worth a look.
                var upload = bytesOut >= minRatio * L("bytes_in");
                var fresh = r.FlagOrNull("new_destination");
                var natPath = S("via") == "nat_gateway";
                run.Add(new Finding
                {
                    Title = $"{asset} sent {ProcedureRun.Bytes(bytesOut)} to AWS service {service}",
                    Severity = upload && fresh == true ? Severity.Medium : Severity.Info,
                    Statement = FormattableString.Invariant($"{destination} is in the {service} ranges: separated from the exfil ledger. {asset} sent {ProcedureRun.Bytes(bytesOut)} and received {ProcedureRun.Bytes(L("bytes_in"))} ")
                        + FormattableString.Invariant($"(ports {S("ports")}), {ProcedureRun.Show(first)} to {ProcedureRun.Show(last)}, ")
                        + (natPath
                            ? $"through NAT gateway interface {S("nat_interface")} (a gateway endpoint does not carry it: another region's {service}, or no endpoint route)"
                            : "not through a NAT gateway (a gateway endpoint, or the asset's own internet route)")
                        + (fresh is null ? "" : fresh.Value ? "; not seen in the baseline" : "; seen in the baseline")
                        + ". Flow logs name the service and the address (ip-ranges.json gives its prefix and region), not the bucket, its account or what was sent: "
                        + "CloudTrail data events do (it may be staging to an attacker-owned bucket).",
                    Technique = upload && fresh == true ? "T1567.002" : null,
                    Facts = Finding.FactsOf([("asset", asset), ("destination", destination), ("aws_service", service), ("bytes_out", bytesOut.ToString(CultureInfo.InvariantCulture)),
                        ("bytes_in", L("bytes_in").ToString(CultureInfo.InvariantCulture)), ("via", S("via")), ("nat_interface", S("nat_interface")),
                        ("new_destination", fresh is null ? null : fresh.Value ? "true" : "false"), .. parties]),
                    Evidence = cited,
                });
                continue;
            }
            if (bytesOut < minRatio * L("bytes_in")) continue;
            any = true;
            var via = S("via");
            var nat = S("nat_interface");
            var lower = L("lower_bound");
            var upper = L("upper_bound");
            var isNew = r.FlagOrNull("new_destination");
            var name = r.TextOrNull("asset_name");
            var geo = GeoIpDatabases.Of(r);
            run.Add(new Finding
            {
                Title = $"Possible exfiltration: {asset}{(name is null ? "" : $" ({name})")} → {destination}",
                Severity = isNew == false ? Severity.Medium : Severity.High,
                Technique = "T1048",
                Statement = FormattableString.Invariant($"{asset} sent {ProcedureRun.Bytes(bytesOut)} to {destination}{(geo is null ? "" : $" ({geo})")} (ports {S("ports")}) and received {ProcedureRun.Bytes(L("bytes_in"))}, ")
                    + FormattableString.Invariant($"{ProcedureRun.Show(first)} to {ProcedureRun.Show(last)} in {L("active_windows")} five-minute window(s)")
                    + (via == "nat_gateway" ? $", through NAT gateway interface {nat} ({S("nat_public_ip") ?? S("nat_private_ip") ?? "address unknown"}), which logged {ProcedureRun.Bytes(L("bytes_out_on_nat"))} of it" : "")
                    + (upper > lower
                        ? FormattableString.Invariant($". Bounds: {lower:N0} to {upper:N0} bytes ({L("blind_seconds"):N0} s blind)")
                        : FormattableString.Invariant($". Bounds: exactly {lower:N0} bytes logged, no blind time in the span"))
                    + (isNew is null ? "" : isNew.Value ? "; not seen in the baseline" : FormattableString.Invariant($"; {L("baseline_bytes_out"):N0} bytes in the baseline")) + ".",
                Facts = Finding.FactsOf([("asset", asset), ("destination", destination), ("bytes_out", bytesOut.ToString(CultureInfo.InvariantCulture)),
                    ("bytes_in", L("bytes_in").ToString(CultureInfo.InvariantCulture)), ("via", via), ("nat_interface", nat),
                    ("lower_bound", lower.ToString(CultureInfo.InvariantCulture)), ("upper_bound", upper.ToString(CultureInfo.InvariantCulture)),
                    ("destination_country", geo?.CountryCode), ("destination_asn", geo?.Asn?.ToString(CultureInfo.InvariantCulture)), .. parties]),
                Evidence = cited,
            });
        }
        if (!any)
            run.Add(new Finding
            {
                Title = "No upload to an external destination above the threshold",
                Severity = Severity.Info,
                Negative = true,
                Statement = string.Create(CultureInfo.InvariantCulture, $"No internal asset sent {minBytes:N0} bytes or more (and {minRatio}× what it received) to a non-AWS external address."),
            });
    }

    static void LoadAwsRanges(ProcedureRun run, AwsIpRanges ranges)
    {
        // Numbers only: rendered as literals in batches (thousands of prefixes; parameters would be slower, not safer).
        // Logged like any statement: the ledger's aws_service column reads them.
        foreach (var chunk in ranges.Prefixes.Chunk(500))
        {
            var values = string.Join(",", chunk.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"({(p.Range.IsV6 ? "true" : "false")}, {p.Range.Low}::UHUGEINT, {p.Range.High}::UHUGEINT, {SqlText.Literal(p.Service)})")));
            run.Execute(new ExecutedStatement("aws_ranges rows", $"INSERT INTO fnb_aws_ranges VALUES {values}", []));
        }
    }
}
