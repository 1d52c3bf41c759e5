using System.Globalization;

namespace FlowNotebooks.Procedures;

/// <summary>Beaconing: connections from one asset to one destination at a regular period, allowing for the capture's timing noise.</summary>
public sealed class Beaconing : Procedure
{
    public override string Name => "beaconing";
    public override string Title => "Beaconing: periodic connections to one destination";
    public override string Description =>
        "Each new connection (a record opening with SYN, or a source port used again after connection_gap of silence) from an internal asset to one external destination and port is an event at its first "
        + "record's start. Start times are when the capture first saw a packet and can lag the wire by up to a minute, so an interval "
        + "counts as regular when it is within capture_jitter (or jitter_percent of the period) of the median interval. A pair is a "
        + "beacon with at least min_events connections of which min_regular_percent of intervals are regular. A connection kept open "
        + "(one source port) is not a beacon here, since its records repeat at the aggregation interval by construction. Software "
        + "updates, NTP and health checks beacon too: judge the destination.";
    public override IReadOnlyList<string> Techniques => ["T1071"];
    public override IReadOnlyList<ResultColumn> Columns { get; } = ResultColumn.Of(("asset", "VARCHAR"), ("asset_name", "VARCHAR"), ("managed", "BOOLEAN"), ("destination", "VARCHAR"), ("port", "INTEGER"),
        ("protocol", "INTEGER"), ("period_seconds", "BIGINT"), ("connections", "BIGINT"), ("regular_percent", "DOUBLE"), ("first_seen", "TIMESTAMP"),
        ("last_seen", "TIMESTAMP"), ("mean_bytes", "BIGINT"), ("stddev_bytes", "BIGINT"), ("aws_service", "VARCHAR"));
    public override IReadOnlyList<ProcedureChart> Charts { get; } = [new(ChartKind.Bars, "Beacons: connections per asset → destination", Value: "connections", Label: "{asset} → {destination}:{port} every {period_seconds} s")];
    public override string? GeoIpAfter => "destination";
    public override IReadOnlyList<string> ShortNames => ["beacons"];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs,
        new("min_events", ParameterKind.Integer, "8", "Connections a pair needs before its rhythm is judged."),
        new("capture_jitter", ParameterKind.Duration, "60s", "Timing noise of start times (up to 60 s behind the wire)."),
        new("jitter_percent", ParameterKind.Integer, "10", "Jitter allowed as a percentage of the period (beacons randomise)."),
        new("min_regular_percent", ParameterKind.Integer, "80", "Share of intervals that must be regular."),
        new("min_period", ParameterKind.Duration, "10s", "Shortest period considered."),
        new("connection_gap", ParameterKind.Duration, "5m", "Without tcp-flags, a source port reused after this much silence is a new connection."),
        new("include_aws", ParameterKind.Flag, "false", "Keep destinations the records mark as AWS services (pkt-dst-aws-service): agents poll them on a timer."),
        .. CommonParameters.GeoIp,
    ];

    public override IReadOnlyList<ProcedureQuery> Queries { get; } =
    [
        new("beacons", "Per asset → destination:port: connections, median interval, share of regular intervals.", ProcedureSql.Traffic + ProcedureSql.Outside + """
            , r AS (
              -- A connection begins at a record opening with SYN (when the format has tcp-flags), else at one starting more
              -- than connection_gap after the previous record of its 5-tuple ended: a source port reused later is a new connection.
              SELECT asset_id, peer_id, peer_port, protocol, asset_port, start_time, bytes, aws_service,
                     CASE WHEN lag(end_time) OVER k IS NULL THEN 1
                          WHEN tcp_flags IS NOT NULL THEN (tcp_flags & 2 = 2)::INTEGER
                          ELSE (epoch(start_time) - epoch(lag(end_time) OVER k) > $connection_gap_seconds)::INTEGER END AS opens
              FROM outside WHERE outbound
              WINDOW k AS (PARTITION BY asset_id, peer_id, peer_port, protocol, asset_port ORDER BY start_time, end_time)),
            c AS (
              SELECT asset_id, peer_id, peer_port, protocol, asset_port, min(start_time) AS t, sum(bytes) AS b, min(aws_service) AS aws_service
              FROM (SELECT *, sum(opens) OVER (PARTITION BY asset_id, peer_id, peer_port, protocol, asset_port ORDER BY start_time
                                               ROWS UNBOUNDED PRECEDING) AS connection FROM r)
              GROUP BY asset_id, peer_id, peer_port, protocol, asset_port, connection),
            g AS (SELECT asset_id, peer_id, peer_port, protocol FROM c GROUP BY ALL HAVING count(*) >= $min_events),
            iv AS (
              SELECT c.asset_id, c.peer_id, c.peer_port, c.protocol, c.t, c.b, c.aws_service,
                     lag(c.t) OVER (PARTITION BY c.asset_id, c.peer_id, c.peer_port, c.protocol ORDER BY c.t) AS previous_t,
                     epoch(c.t) - epoch(lag(c.t) OVER (PARTITION BY c.asset_id, c.peer_id, c.peer_port, c.protocol ORDER BY c.t)) AS gap
              FROM c SEMI JOIN g ON c.asset_id = g.asset_id AND c.peer_id = g.peer_id AND c.peer_port = g.peer_port AND c.protocol = g.protocol),
            s AS (
              SELECT asset_id, peer_id, peer_port, protocol, median(gap) AS median_gap
              FROM iv WHERE gap IS NOT NULL GROUP BY ALL),
            j AS (
              -- Start times lag the wire by up to a minute, so one interval is off by up to ±60 s and a median of few intervals
              -- by tens of seconds; a beat lost to a coverage gap doubles an interval. Period = total time / number of beats,
              -- each interval counted as the whole number of median periods it spans.
              SELECT iv.asset_id, iv.peer_id, iv.peer_port, iv.protocol,
                     sum(iv.gap) / sum(greatest(1, round(iv.gap / s.median_gap))) AS period,
                     count(*) + 1 AS connections,
                     count(*) FILTER (WHERE abs(iv.gap - greatest(1, round(iv.gap / s.median_gap)) * s.median_gap)
                                            <= greatest($capture_jitter_seconds, s.median_gap * $jitter_percent / 100.0)) AS regular,
                     count(*) AS intervals, min(iv.previous_t) AS first_seen, max(iv.t) AS last_seen,
                     round(avg(iv.b))::BIGINT AS mean_bytes, coalesce(round(stddev_pop(iv.b)), 0)::BIGINT AS stddev_bytes,
                     min(iv.aws_service) AS aws_service
              FROM iv JOIN s ON iv.asset_id = s.asset_id AND iv.peer_id = s.peer_id AND iv.peer_port = s.peer_port AND iv.protocol = s.protocol
              WHERE iv.gap IS NOT NULL AND s.median_gap > 0 GROUP BY iv.asset_id, iv.peer_id, iv.peer_port, iv.protocol, s.median_gap)
            SELECT ad.ip AS asset, a.name AS asset_name, a.ip IS NOT NULL AS managed, pd.ip AS destination, j.peer_port AS port, j.protocol,
                   round(j.period)::BIGINT AS period_seconds, j.connections, round(100.0 * j.regular / j.intervals, 1) AS regular_percent,
                   j.first_seen, j.last_seen, j.mean_bytes, j.stddev_bytes, j.aws_service
            FROM j JOIN case_addresses ad ON ad.address_id = j.asset_id JOIN case_addresses pd ON pd.address_id = j.peer_id
            LEFT JOIN fnb_assets a ON a.ip = ad.ip
            WHERE j.period >= $min_period_seconds AND 100.0 * j.regular / j.intervals >= $min_regular_percent
              AND ($include_aws OR j.aws_service IS NULL)
            ORDER BY regular_percent DESC, connections DESC, j.asset_id, j.peer_id, j.peer_port
            """),
    ];

    protected override void Execute(ProcedureRun run)
    {
        var t = run.Query("beacons", new Dictionary<string, object?>
        {
            ["capture_jitter_seconds"] = run.Get<TimeSpan>("capture_jitter").TotalSeconds,
            ["min_period_seconds"] = run.Get<TimeSpan>("min_period").TotalSeconds,
            ["connection_gap_seconds"] = run.Get<TimeSpan>("connection_gap").TotalSeconds,
        });
        run.Table = run.WithGeoIp(t, "destination");
        foreach (var r in t.RowsByName)
        {
            string S(string c) => Convert.ToString(r[c], CultureInfo.InvariantCulture) ?? "";
            var (asset, destination, port, protocol) = (r.Text("asset"), r.Text("destination"), r.Int("port"), r.IsNull("protocol") ? (int?)null : r.Int("protocol"));
            var (first, last) = (r.Time("first_seen"), r.Time("last_seen"));
            run.Add(new Finding
            {
                Title = $"Beacon {asset} → {destination}:{port} every ~{S("period_seconds")} s",
                Severity = Severity.High,
                Technique = port is 80 or 443 or 8080 or 8443 ? "T1071.001" : "T1071",
                Statement = $"{asset} opened {S("connections")} connections to {destination}:{port} from {ProcedureRun.Show(first)} to "
                    + $"{ProcedureRun.Show(last)}, every {S("period_seconds")} s on average (missed beats counted); {S("regular_percent")} % of intervals within the tolerance; "
                    + $"{S("mean_bytes")} ± {S("stddev_bytes")} bytes each.",
                // first_seen and last_seen are starts of connections: the cited records are connections that start in between.
                Facts = Finding.FactsOf([("asset", asset), ("destination", destination), ("port", port.ToString(CultureInfo.InvariantCulture)),
                    ("period_seconds", S("period_seconds")), ("connections", S("connections")),
                    .. Finding.Span(first, last), ("src", asset), ("dst", destination), ("ports", port.ToString(CultureInfo.InvariantCulture)),
                    ("protocol", protocol?.ToString(CultureInfo.InvariantCulture))]),
                Evidence = run.Cite(Citations.BeaconConnections, new Dictionary<string, object?>
                {
                    ["cited_src"] = asset, ["cited_dst"] = destination, ["cited_port"] = port, ["cited_protocol"] = protocol ?? -1,
                    ["cited_from"] = first, ["cited_to"] = last,
                }),
            });
        }
        if (t.Rows.Count == 0)
            run.Add(new Finding
            {
                Title = "No periodic outbound connections",
                Severity = Severity.Info,
                Negative = true,
                Statement = "No internal asset → external destination pair had enough regular connections.",
            });
    }
}
