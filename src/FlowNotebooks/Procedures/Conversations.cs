using System.Globalization;

namespace FlowNotebooks.Procedures;

/// <summary>
/// Conversations: the two directions of a flow paired, client told from server, each counted once however many
/// interfaces or captures logged it; top talkers; a timeline where each record's bytes are spread over its capture window.
/// </summary>
public sealed class Conversations : Procedure
{
    public override string Name => "conversations";
    public override string Title => "Conversations: who talked to whom, when and how much";
    public override string Description =>
        "Pairs the two directions of each flow (same addresses, ports and protocol), tells the client from the server by "
        + "tcp-flags (SYN from the client, SYN-ACK from the server) or else by ports (the higher, ephemeral port is the client), "
        + "and counts a packet's journey once: the sender's own interface when it was logged, else the receiver's, else a relay "
        + "(NAT gateway) record; exact copies from two captures collapse. Bytes are as logged per aggregation window; a record's "
        + "bytes are spread evenly over its window in the timeline. Flow logs show no payload, no DNS names and no traffic of unlogged interfaces.";
    public override IReadOnlyList<string> Techniques => [];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs,
        new("address", ParameterKind.Cidrs, "", "Only conversations with an end in these addresses/blocks (all when empty)."),
        new("bucket", ParameterKind.Duration, "5m", "Time bucket of the timeline."),
        new("limit", ParameterKind.Integer, "1000", "Rows of the conversation table (largest first)."),
        .. CommonParameters.GeoIp,
    ];

    const string Oriented = ProcedureSql.Counted + """
        , d AS (
          SELECT src, src_v4, src_v6, dst, dst_v4, dst_v6, srcport, dstport, protocol, bytes, packets, start_time, end_time, action,
                 CASE WHEN tcp_flags & 18 = 18 THEN 'server' WHEN tcp_flags & 2 = 2 THEN 'client' END AS hint,
                 (src < dst OR (src = dst AND srcport <= dstport)) AS fwd
          FROM counted WHERE NOT translated AND ($any_address OR {src in address} OR {dst in address})),
        pairs AS (
          SELECT CASE WHEN fwd THEN src ELSE dst END AS a, CASE WHEN fwd THEN srcport ELSE dstport END AS a_port,
                 CASE WHEN fwd THEN dst ELSE src END AS b, CASE WHEN fwd THEN dstport ELSE srcport END AS b_port, protocol,
                 coalesce(sum(bytes) FILTER (WHERE fwd), 0) AS a2b, coalesce(sum(bytes) FILTER (WHERE NOT fwd), 0) AS b2a,
                 coalesce(sum(packets), 0) AS packets,
                 count(*) FILTER (WHERE (fwd AND hint = 'client') OR (NOT fwd AND hint = 'server')) AS a_votes,
                 count(*) FILTER (WHERE (fwd AND hint = 'server') OR (NOT fwd AND hint = 'client')) AS b_votes,
                 min(start_time) AS first_seen, max(end_time) AS last_seen, count(*) AS records,
                 count(*) FILTER (WHERE action = 'REJECT') AS rejected
          FROM d GROUP BY 1, 2, 3, 4, 5),
        oriented AS (
          SELECT *, CASE WHEN a_votes <> b_votes THEN a_votes > b_votes ELSE a_port > b_port END AS a_client,
                 CASE WHEN a_votes <> b_votes THEN 'tcp-flags' WHEN a_port <> b_port THEN 'ports' ELSE 'undecided' END AS decided_by
          FROM pairs),
        conv AS (
          SELECT CASE WHEN a_client THEN a ELSE b END AS client, CASE WHEN a_client THEN b ELSE a END AS server,
                 CASE WHEN a_client THEN b_port ELSE a_port END AS server_port, protocol,
                 count(*) AS connections,
                 sum(CASE WHEN a_client THEN a2b ELSE b2a END)::BIGINT AS bytes_to_server,
                 sum(CASE WHEN a_client THEN b2a ELSE a2b END)::BIGINT AS bytes_to_client,
                 sum(packets)::BIGINT AS packets, sum(records)::BIGINT AS records, sum(rejected)::BIGINT AS rejected_records,
                 min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                 -- The ways the client was told, in name order (flags, not a DISTINCT aggregate: this runs over every pair).
                 concat_ws(',', CASE WHEN bool_or(decided_by = 'ports') THEN 'ports' END,
                           CASE WHEN bool_or(decided_by = 'tcp-flags') THEN 'tcp-flags' END,
                           CASE WHEN bool_or(decided_by = 'undecided') THEN 'undecided' END) AS decided_by
          FROM oriented GROUP BY 1, 2, 3, 4)
        """;

    public override IReadOnlyList<ProcedureQuery> Queries { get; } =
    [
        new("conv", "Conversations of the window as a temporary table (the table and the top talkers read it).", $$"""
            CREATE OR REPLACE TEMP TABLE fnb_conv AS
            {{Oriented}}
            SELECT * FROM conv
            """),
        new("conversations", "Conversations (client, server, server port, protocol), largest first.", """
            SELECT conv.client, ca.name AS client_name, ca.role AS client_role, conv.server, sa.name AS server_name, sa.role AS server_role,
                   conv.server_port, conv.protocol, conv.connections, conv.bytes_to_server, conv.bytes_to_client,
                   conv.packets, conv.records, conv.rejected_records, conv.first_seen, conv.last_seen, conv.decided_by
            FROM fnb_conv conv LEFT JOIN fnb_assets ca ON ca.ip = conv.client LEFT JOIN fnb_assets sa ON sa.ip = conv.server
            ORDER BY conv.bytes_to_server + conv.bytes_to_client DESC, conv.client, conv.server, conv.server_port, conv.protocol
            LIMIT $limit
            """),
        new("top_talkers", "Addresses by bytes sent and received across their conversations.", """
            WITH ends AS (
              SELECT client AS address, bytes_to_server AS sent, bytes_to_client AS received, server AS peer, first_seen, last_seen FROM fnb_conv
              UNION ALL
              SELECT server, bytes_to_client, bytes_to_server, client, first_seen, last_seen FROM fnb_conv)
            SELECT e.address, a.name, a.role, sum(sent)::BIGINT AS bytes_sent, sum(received)::BIGINT AS bytes_received,
                   count(DISTINCT peer) AS peers, min(first_seen) AS first_seen, max(last_seen) AS last_seen
            FROM ends e LEFT JOIN fnb_assets a ON a.ip = e.address
            GROUP BY ALL ORDER BY bytes_sent + bytes_received DESC, e.address LIMIT $limit
            """),
        new("timeline", "Bytes per time bucket (each record spread over its capture window), by internal/outbound/inbound.", ProcedureSql.Counted + """
            , r AS (
              SELECT bytes, start_time, greatest(end_time, start_time + INTERVAL 1 SECOND) AS end_t,
                     time_bucket(to_seconds($bucket_seconds), start_time) AS first_bucket,
                     CASE WHEN {src in internal_cidrs} AND {dst in internal_cidrs} THEN 'internal'
                          WHEN {src in internal_cidrs} THEN 'outbound' WHEN {dst in internal_cidrs} THEN 'inbound' ELSE 'external' END AS traffic
              FROM counted WHERE NOT translated AND ($any_address OR {src in address} OR {dst in address})),
            g AS (
              -- One pass: a record inside one bucket puts all its bytes there (most records: summed per bucket); records
              -- across buckets that share a window and a kind of traffic are spread alike (summed per window, spread once).
              SELECT traffic, first_bucket,
                     CASE WHEN end_t > first_bucket + to_seconds($bucket_seconds) THEN start_time END AS span_start,
                     CASE WHEN end_t > first_bucket + to_seconds($bucket_seconds) THEN end_t END AS span_end,
                     sum(bytes) AS bytes
              FROM r GROUP BY ALL),
            whole AS (SELECT first_bucket AS bucket, traffic, bytes::DOUBLE AS bytes FROM g WHERE span_start IS NULL),
            spread AS (
              SELECT bucket, traffic,
                     sum(bytes * (epoch(least(span_end, bucket + to_seconds($bucket_seconds))) - epoch(greatest(span_start, bucket)))
                         / (epoch(span_end) - epoch(span_start))) AS bytes
              FROM (SELECT unnest(range(first_bucket, span_end, to_seconds($bucket_seconds))) AS bucket, * FROM g WHERE span_start IS NOT NULL)
              GROUP BY ALL)
            SELECT bucket, traffic, round(sum(bytes))::BIGINT AS bytes
            FROM (SELECT * FROM whole UNION ALL SELECT * FROM spread) GROUP BY ALL ORDER BY bucket, traffic
            """),
    ];

    protected override void Execute(ProcedureRun run)
    {
        var extra = new Dictionary<string, object?>
        {
            ["any_address"] = run.Get<Enrichment.CidrList>("address")?.IsEmpty ?? true,
            ["bucket_seconds"] = (long)Math.Max(1, run.Get<TimeSpan>("bucket").TotalSeconds),
        };
        run.Execute(Query("conv"), extra);
        run.Table = run.Query("conversations", extra);
        run.AddTable("top_talkers", run.WithGeoIp(run.Query("top_talkers", extra), "address"));
        run.AddTable("timeline", run.Query("timeline", extra));
        var t = run.Table;
        if (t.Rows.Count == 0)
        {
            run.Add(new Finding { Title = "No conversations in the window", Severity = Severity.Info, Negative = true, Statement = "No OK record matched the window and address filter." });
            return;
        }
        var top = t.Rows[0];
        var client = (string)top[t.IndexOf("client")]!;
        var server = (string)top[t.IndexOf("server")]!;
        var port = Convert.ToInt32(top[t.IndexOf("server_port")], CultureInfo.InvariantCulture);
        var toServer = Convert.ToInt64(top[t.IndexOf("bytes_to_server")], CultureInfo.InvariantCulture);
        var toClient = Convert.ToInt64(top[t.IndexOf("bytes_to_client")], CultureInfo.InvariantCulture);
        run.Add(new Finding
        {
            Title = $"Largest conversation: {client} → {server}:{port}",
            Severity = Severity.Info,
            Statement = $"{client} (client) sent {ProcedureRun.Bytes(toServer)} to {server}:{port} and received {ProcedureRun.Bytes(toClient)}, "
                + $"{ProcedureRun.Show((DateTime)top[t.IndexOf("first_seen")]!)} to {ProcedureRun.Show((DateTime)top[t.IndexOf("last_seen")]!)}.",
            Facts = Finding.FactsOf(("client", client), ("server", server), ("server_port", port.ToString(CultureInfo.InvariantCulture)),
                ("bytes_to_server", toServer.ToString(CultureInfo.InvariantCulture)), ("bytes_to_client", toClient.ToString(CultureInfo.InvariantCulture))),
            Evidence = run.Sample("src IN ($c, $s) AND dst IN ($c, $s)",
                new Dictionary<string, object?> { ["c"] = client, ["s"] = server }),
        });
    }
}
