using System.Globalization;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// Coverage: what the evidence can speak for. Flow logs only show traffic on interfaces a capture covered, in windows
/// whose records were delivered and not skipped; everywhere else absence proves nothing.
/// </summary>
public sealed class CoverageReport : Procedure
{
    public override string Name => "coverage";
    public override string Title => "Coverage: captures, logged and unlogged interfaces, gaps, unmanaged addresses";
    public override string Description =>
        "Which VPCs, subnets and interfaces were logged (describe-flow-logs resource ids matched to the interface inventory), with "
        + "traffic type, aggregation interval and format; per interface and time bucket the OK, NODATA and SKIPDATA records; 5-minute "
        + "deliveries missing from a capture's series of objects; inventory interfaces no capture covers; internal addresses seen in "
        + "records that no inventory holds (unmanaged assets). Flow logs cannot show traffic of unlogged interfaces, of SKIPDATA "
        + "windows or missing objects, nor Amazon DNS, metadata, time-sync or DHCP traffic.";
    public override IReadOnlyList<string> Techniques => [];
    public override IReadOnlyList<ResultColumn> Columns { get; } = ResultColumn.Of(("interface_id", "VARCHAR"), ("role", "VARCHAR"), ("name", "VARCHAR"), ("own_ip", "VARCHAR"), ("instance_id", "VARCHAR"),
        ("subnet_id", "VARCHAR"), ("vpc_id", "VARCHAR"), ("in_inventory", "BOOLEAN"), ("captures", "LIST"), ("records", "BIGINT"), ("ok", "BIGINT"),
        ("nodata", "BIGINT"), ("skipdata", "BIGINT"), ("first_seen", "TIMESTAMP"), ("last_seen", "TIMESTAMP"));
    public override IReadOnlyList<ProcedureChart> Charts { get; } = [new(ChartKind.CoverageMatrix, "Records per interface and time bucket (an empty cell is a time the interface logged nothing)", Table: "buckets")];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs,
        new("bucket", ParameterKind.Duration, "1h", "Time bucket of the per-interface table."),
    ];

    public override IReadOnlyList<string> OutsideSql { get; } =
    [
        "Side tables gaps and unlogged: the coverage gaps and the subnets of the inventory with no capture and no records, "
        + "from CoverageGaps (C#), not from a statement of this script.",
        "Side table evidence_window: retention clocks, lifecycle rules, failed deliveries, deleted and suspect objects and the custody "
        + "record, from EvidenceClock (C#) over the tables log_groups, buckets, bucket_lifecycle, object_versions, custody and flow_logs.",
    ];

    public override IReadOnlyList<ProcedureQuery> Queries { get; } =
    [
        new("interfaces", "Per interface: what it is, the captures covering it, records by log status.", """
            SELECT i.interface_id, i.role, i.name, i.own_ip, i.instance_id, i.subnet_id, i.vpc_id, i.in_inventory,
                   coalesce(c.captures, []) AS captures,
                   coalesce(sum(f.records), 0)::BIGINT AS records, coalesce(sum(f.ok), 0)::BIGINT AS ok,
                   coalesce(sum(f.nodata), 0)::BIGINT AS nodata, coalesce(sum(f.skipdata), 0)::BIGINT AS skipdata,
                   min(f.first_start) AS first_seen, max(f.last_end) AS last_seen
            FROM fnb_interfaces i
            LEFT JOIN (
              SELECT i2.interface_id, list(DISTINCT x.flow_log_id ORDER BY x.flow_log_id) AS captures
              FROM fnb_interfaces i2
              JOIN (SELECT flow_log_id, resource_id FROM flow_logs
                    UNION SELECT DISTINCT flow_log_id, interface_id FROM fnb_window_hours WHERE flow_log_id IS NOT NULL) x
                ON x.resource_id IN (i2.interface_id, i2.subnet_id, i2.vpc_id)
              GROUP BY i2.interface_id) c ON c.interface_id = i.interface_id
            LEFT JOIN fnb_window_hours f ON f.interface_id = i.interface_id
            GROUP BY ALL ORDER BY i.interface_id
            """),
        new("hour_buckets", "Per interface and time bucket of whole hours: records by log status and bytes.", """
            SELECT interface_id, time_bucket(to_seconds($bucket_seconds), hour) AS bucket, sum(records)::BIGINT AS records,
                   sum(ok)::BIGINT AS ok, sum(nodata)::BIGINT AS nodata, sum(skipdata)::BIGINT AS skipdata, sum(bytes)::BIGINT AS bytes
            FROM fnb_window_hours
            GROUP BY ALL ORDER BY interface_id, bucket
            """),
        new("buckets", "Per interface and time bucket: records by log status and bytes.", """
            SELECT interface_id, time_bucket(to_seconds($bucket_seconds), start_time) AS bucket, count(*) AS records,
                   count(*) FILTER (WHERE coalesce(log_status, 'OK') = 'OK') AS ok,
                   count(*) FILTER (WHERE log_status = 'NODATA') AS nodata,
                   count(*) FILTER (WHERE log_status = 'SKIPDATA') AS skipdata,
                   coalesce(sum(bytes), 0)::BIGINT AS bytes
            FROM flows WHERE end_time >= $from AND start_time < $to
            GROUP BY ALL ORDER BY interface_id, bucket
            """),
        new("captures", "Each capture (flow log): configuration and the evidence objects it delivered.", """
            WITH ids AS (SELECT flow_log_id FROM flow_logs UNION SELECT flow_log_id FROM evidence WHERE flow_log_id IS NOT NULL),
            cfg AS (SELECT DISTINCT ON (flow_log_id) * FROM flow_logs ORDER BY flow_log_id, evidence_id DESC)
            SELECT ids.flow_log_id, cfg.resource_id, cfg.traffic_type, cfg.max_aggregation_interval, cfg.log_destination_type,
                   cfg.log_format, cfg.flow_log_status, count(e.evidence_id) AS objects, coalesce(sum(e.records), 0)::BIGINT AS records,
                   min(e.delivery_time) AS first_delivery, max(e.delivery_time) AS last_delivery
            FROM ids LEFT JOIN cfg USING (flow_log_id) LEFT JOIN evidence e ON e.flow_log_id = ids.flow_log_id
            GROUP BY ALL ORDER BY ids.flow_log_id
            """),
        new("unmanaged", "Internal addresses that sent traffic and that no inventory holds, with their peers.", """
            WITH r AS NOT MATERIALIZED (SELECT * FROM counted_flows WHERE end_time >= $from AND start_time < $to),
            named AS (
              -- Every internal address the counted records name (the interface's and, behind a NAT gateway, the packet's):
              -- from the case's address list, not four passes over the records; one outside the window has no record below.
              SELECT ip FROM case_addresses WHERE {ip in internal_cidrs}),
            unknown AS (
              SELECT ip FROM named
              WHERE ip NOT IN (SELECT ip FROM fnb_assets)
                AND ip NOT IN (SELECT own_ip FROM fnb_interfaces WHERE own_ip IS NOT NULL)),
            hits AS (
              -- One pass over the records for all four address columns (each pass over text columns costs seconds at 10^8).
              SELECT srcaddr, src, dstaddr, dst, interface_id, start_time, end_time, bytes, copies FROM r
              WHERE srcaddr IN (SELECT ip FROM unknown) OR src IN (SELECT ip FROM unknown)
                 OR dstaddr IN (SELECT ip FROM unknown) OR dst IN (SELECT ip FROM unknown)),
            a AS (
              SELECT srcaddr AS ip, dst AS peer, true AS sent, interface_id, start_time, end_time, bytes, copies FROM hits
              UNION ALL
              SELECT src, dst, true, interface_id, start_time, end_time, bytes, copies FROM hits WHERE src <> srcaddr
              UNION ALL
              SELECT dstaddr, src, false, interface_id, start_time, end_time, bytes, copies FROM hits
              UNION ALL
              SELECT dst, src, false, interface_id, start_time, end_time, bytes, copies FROM hits WHERE dst <> dstaddr)
            SELECT ip, sum(copies)::BIGINT AS records, coalesce(sum(bytes), 0)::BIGINT AS bytes,
                   list(DISTINCT peer ORDER BY peer) AS peers, list(DISTINCT interface_id ORDER BY interface_id) AS seen_on,
                   min(start_time) AS first_seen, max(end_time) AS last_seen
            FROM a WHERE ip IN (SELECT ip FROM unknown)
            GROUP BY ip
            -- An address that only ever received (a scan's empty targets) is not a host: an unmanaged asset sends.
            HAVING bool_or(sent)
            ORDER BY ip
            """),
    ];

    protected override void Execute(ProcedureRun run)
    {
        var extra = new Dictionary<string, object?> { ["bucket_seconds"] = (long)Math.Max(1, run.Get<TimeSpan>("bucket").TotalSeconds) };
        run.Table = run.Query("interfaces");
        // Buckets of whole hours add up interface_hours; finer ones count the records again.
        run.AddTable("buckets", run.Query((long)extra["bucket_seconds"]! % 3600 == 0 ? "hour_buckets" : "buckets", extra));
        run.AddTable("captures", run.Query("captures"));
        var cov = run.Coverage;
        run.AddTable("gaps", new QueryResult(["kind", "interface_id", "flow_log_id", "start", "end", "seconds", "interfaces"],
            ["VARCHAR", "VARCHAR", "VARCHAR", "TIMESTAMP", "TIMESTAMP", "BIGINT", "VARCHAR[]"],
            cov.Gaps.Select(g => new object?[] { g.Kind, g.InterfaceId, g.FlowLogId, g.Window.Start, g.Window.End, (long)g.Window.Seconds, g.Interfaces.ToList() }).ToList(), false));
        run.AddTable("unlogged", new QueryResult(["subnet_id", "interfaces"], ["VARCHAR", "VARCHAR[]"],
            cov.UnloggedSubnets.Select(s => new object?[] { s.SubnetId, s.Interfaces.ToList() }).ToList(), false));

        AddEvidenceWindow(run);
        run.Add(new Finding
        {
            Title = "What was logged",
            Severity = Severity.Info,
            Statement = cov.Statement,
            Facts = Finding.FactsOf(("captures", cov.Captures.Count.ToString(CultureInfo.InvariantCulture)),
                ("interfaces_with_records", cov.Interfaces.Count(i => i.Records > 0).ToString(CultureInfo.InvariantCulture))),
        });
        foreach (var c in cov.Captures.Where(c => c.TrafficType is not null && !c.TrafficType.Equals("ALL", StringComparison.OrdinalIgnoreCase)))
            run.Add(new Finding
            {
                Title = $"Capture {c.FlowLogId} logs only {c.TrafficType} traffic",
                Severity = Severity.Medium,
                Statement = $"{c.FlowLogId} on {c.ResourceId} records {c.TrafficType} traffic only: the other action is invisible on the interfaces it covers.",
                Facts = Finding.FactsOf(("flow_log_id", c.FlowLogId), ("traffic_type", c.TrafficType)),
            });
        foreach (var s in cov.UnloggedSubnets)
            run.Add(new Finding
            {
                Title = $"Subnet {s.SubnetId} has no flow log",
                Severity = Severity.High,
                Statement = $"No capture covers subnet {s.SubnetId} or its VPC, and none of its {s.Interfaces.Count} interface(s) ({string.Join(", ", s.Interfaces)}) has records: "
                    + "traffic inside that subnet is invisible; its traffic to logged interfaces or through a logged NAT gateway is seen only there.",
                Facts = Finding.FactsOf(("subnet_id", s.SubnetId), ("interfaces", string.Join(",", s.Interfaces))),
            });
        var inUnloggedSubnet = cov.UnloggedSubnets.SelectMany(s => s.Interfaces).ToHashSet(StringComparer.Ordinal);
        foreach (var i in cov.UnloggedInterfaces.Where(i => !inUnloggedSubnet.Contains(i)))
            run.Add(new Finding
            {
                Title = $"Interface {i} has no flow log",
                Severity = Severity.Medium,
                Statement = $"No capture covers {i} and it has no records in the window.",
                Facts = Finding.FactsOf(("interface_id", i)),
            });
        foreach (var g in cov.Gaps)
        {
            var who = g.InterfaceId ?? g.FlowLogId ?? "?";
            var span = $"{ProcedureRun.Show(g.Window.Start)} to {ProcedureRun.Show(g.Window.End)}";
            var (title, statement) = g.Kind switch
            {
                "skipdata" => ($"SKIPDATA on {who}", $"{who} logged SKIPDATA from {span}{(g.FlowLogId is null ? "" : $" in capture {g.FlowLogId}")}: records of that window were skipped (capacity or internal error); its traffic is at best partly known."),
                "missing_delivery" => ($"Missing deliveries of {who}", $"Capture {who} has no object for {span} ({g.Window.Seconds / 60:0} min) between objects it did deliver; interfaces it logs ({string.Join(", ", g.Interfaces)}) are blind there unless another capture covers them."),
                "before_evidence" => ($"No evidence of {who} before {ProcedureRun.Show(g.Window.End)}", $"The window starts {ProcedureRun.Show(g.Window.Start)} but capture {who}'s first object is {ProcedureRun.Show(g.Window.End)}: rotated, expired or not collected."),
                _ => ($"No evidence of {who} after {ProcedureRun.Show(g.Window.Start)}", $"Capture {who}'s last object ends {ProcedureRun.Show(g.Window.Start)} but the window runs to {ProcedureRun.Show(g.Window.End)}: not yet delivered, deleted or not collected."),
            };
            var reason = run.Clock.GapReason(g);
            run.Add(new Finding
            {
                Title = title,
                Severity = Severity.Medium,
                Statement = reason is null ? statement : $"{statement} Why: {reason}.",
                Facts = Finding.FactsOf([("kind", g.Kind), ("interface_id", g.InterfaceId), ("flow_log_id", g.FlowLogId),
                    ("start", ProcedureRun.Show(g.Window.Start)), ("end", ProcedureRun.Show(g.Window.End)), .. Finding.Span(g.Window.Start, g.Window.End)]),
                Evidence = GapEvidence(run, g),
            });
        }

        var unmanaged = cov.InventoryKnown ? run.Query("unmanaged") : new QueryResult(["ip"], ["VARCHAR"], [], false);
        run.AddTable("unmanaged", unmanaged);
        if (!cov.InventoryKnown)
            run.Add(new Finding
            {
                Title = "No interface inventory: unmanaged assets cannot be told",
                Severity = Severity.Low,
                Negative = true,
                Statement = "Load describe-network-interfaces output to tell managed interfaces from addresses no inventory holds.",
            });
        foreach (var r in unmanaged.RowsByName)
        {
            var ip = r.Text("ip");
            var peers = r.List("peers");
            var (first, last) = (r.Time("first_seen"), r.Time("last_seen"));
            run.Add(new Finding
            {
                Title = $"Unmanaged address {ip}",
                Severity = Severity.High,
                Statement = string.Create(CultureInfo.InvariantCulture,
                    $"{ip} is inside the internal ranges but in no interface inventory; {r.Long("records"):N0} records from {ProcedureRun.Show(first)} to {ProcedureRun.Show(last)} show it talking to {string.Join(", ", peers.Take(10))}{(peers.Count > 10 ? $" and {peers.Count - 10} more" : "")}. Only its traffic with logged interfaces (or through a logged NAT gateway) is visible."),
                Facts = Finding.FactsOf([("ip", ip), ("peers", string.Join(",", peers)), ("records", r.Long("records").ToString(CultureInfo.InvariantCulture)),
                    .. Finding.Span(first, last), ("address", ip)]),
                Evidence = run.Cite(Citations.AddressRecords, new Dictionary<string, object?> { ["cited_address"] = ip }),
            });
        }
    }

    /// <summary>Table <c>evidence_window</c> and one finding per statement of the <see cref="EvidenceClock"/>: what of the
    /// window is gone, until when the rest is held, failed deliveries, deleted and suspect objects, the custody record.</summary>
    static void AddEvidenceWindow(ProcedureRun run)
    {
        var clock = run.Clock;
        run.AddTable("evidence_window", new QueryResult(["kind", "subject", "at", "severity", "title", "statement"],
            ["VARCHAR", "VARCHAR", "TIMESTAMP", "VARCHAR", "VARCHAR", "VARCHAR"],
            clock.Statements.Select(s => new object?[] { s.Kind, s.Subject, s.At, s.Severity.ToString(), s.Title, s.Statement }).ToList(), false));
        // A late capture is already a "no evidence before" gap finding, which quotes the creation as its reason.
        foreach (var s in clock.Statements.Where(s => s.Kind != "created_late" || !run.Coverage.Gaps.Any(g => g.Kind == "before_evidence" && g.FlowLogId == s.Subject)))
            run.Add(new Finding
            {
                Title = s.Title,
                Severity = s.Severity,
                Statement = s.Statement,
                Facts = Finding.FactsOf([("kind", s.Kind), .. s.Facts]),
            });
    }

    /// <summary>
    /// What a gap rests on: a SKIPDATA window its SKIPDATA records; a delivery gap the records the capture delivered just
    /// before and just after it (the edges its span was read from). A capture without a flow-log id has no delivery series.
    /// </summary>
    static IReadOnlyList<EvidenceRef> GapEvidence(ProcedureRun run, CoverageGap g)
    {
        var span = new Dictionary<string, object?> { ["cited_from"] = g.Window.Start, ["cited_to"] = g.Window.End, ["cited_capture"] = g.FlowLogId ?? "" };
        if (g.Kind == "skipdata")
            return g.InterfaceId is null ? [] : run.Cite(Citations.SkippedRecords, new Dictionary<string, object?>(span) { ["cited_interface"] = g.InterfaceId });
        return g.FlowLogId is null ? [] : run.Cite(Citations.DeliveryEdges, span);
    }
}
