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
    public override IReadOnlyList<ResultColumn> Columns { get; } = ResultColumn.Of(("client", "VARCHAR"), ("client_name", "VARCHAR"), ("client_role", "VARCHAR"), ("server", "VARCHAR"), ("server_name", "VARCHAR"),
        ("server_role", "VARCHAR"), ("server_port", "INTEGER"), ("protocol", "INTEGER"), ("connections", "BIGINT"), ("bytes_to_server", "BIGINT"),
        ("bytes_to_client", "BIGINT"), ("packets", "BIGINT"), ("records", "BIGINT"), ("rejected_records", "BIGINT"), ("first_seen", "TIMESTAMP"),
        ("last_seen", "TIMESTAMP"), ("decided_by", "VARCHAR"));
    public override IReadOnlyList<ProcedureChart> Charts { get; } = [
        new(ChartKind.Timeline, "Bytes per time bucket (each record spread over its capture window)", Table: "timeline"),
        new(ChartKind.Matrix, "Bytes from client to server (top conversations)", X: "server", Y: "client", Value: "bytes_to_server"),
    ];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs,
        new("address", ParameterKind.Cidrs, "", "Only conversations with an end in these addresses/blocks (all when empty)."),
        new("bucket", ParameterKind.Duration, "5m", "Time bucket of the timeline."),
        new("limit", ParameterKind.Integer, "1000", "Rows of the conversation table (largest first)."),
        .. CommonParameters.GeoIp,
    ];

    // Over address ids (text order: "src < dst" and every ORDER BY agree with the text); the text joins only the rows shown.
    const string Oriented = ProcedureSql.Traffic + $$"""
        , pairs AS (
          -- Whole days from the per-day sums, the records of cut days summed here; then one row per pair.
          SELECT a, a_port, b, b_port, protocol, sum(a2b)::BIGINT AS a2b, sum(b2a)::BIGINT AS b2a, sum(packets)::BIGINT AS packets,
                 sum(a_votes) AS a_votes, sum(b_votes) AS b_votes, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                 sum(records)::BIGINT AS records, sum(rejected)::BIGINT AS rejected
          FROM (
            SELECT a, a_port, b, b_port, protocol, a2b, b2a, packets, a_votes, b_votes, first_seen, last_seen, records, rejected
            FROM conversation_days
            WHERE day >= $days_from AND day < $days_to AND ($any_address OR {a in address} OR {b in address})
            UNION ALL
            SELECT {{ConversationDays.PairSums}}
            FROM (SELECT *, {{ConversationDays.Direction}} FROM (
                    SELECT * FROM traffic WHERE start_time < $days_from UNION ALL SELECT * FROM traffic WHERE start_time >= $days_to))
            WHERE $any_address OR {src in address} OR {dst in address}
            GROUP BY 1, 2, 3, 4, 5)
          GROUP BY 1, 2, 3, 4, 5),
        oriented AS (
          SELECT *, CASE WHEN a_votes <> b_votes THEN a_votes > b_votes ELSE a_port > b_port END AS a_client,
                 -- How the client was told, as a bit (1 ports, 2 tcp-flags, 4 undecided) named only for the rows shown.
                 CASE WHEN a_votes <> b_votes THEN 2 WHEN a_port <> b_port THEN 1 ELSE 4 END AS decided
          FROM pairs),
        conv AS (
          SELECT CASE WHEN a_client THEN a ELSE b END AS client_id, CASE WHEN a_client THEN b ELSE a END AS server_id,
                 CASE WHEN a_client THEN b_port ELSE a_port END AS server_port, protocol,
                 count(*) AS connections,
                 sum(CASE WHEN a_client THEN a2b ELSE b2a END)::BIGINT AS bytes_to_server,
                 sum(CASE WHEN a_client THEN b2a ELSE a2b END)::BIGINT AS bytes_to_client,
                 sum(packets)::BIGINT AS packets, sum(records)::BIGINT AS records, sum(rejected)::BIGINT AS rejected_records,
                 min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                 bit_or(decided) AS decided
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
            WITH top AS (
              SELECT * FROM fnb_conv
              ORDER BY bytes_to_server + bytes_to_client DESC, client_id, server_id, server_port, protocol LIMIT $limit)
            SELECT c.ip AS client, ca.name AS client_name, ca.role AS client_role, s.ip AS server, sa.name AS server_name, sa.role AS server_role,
                   top.server_port, top.protocol, top.connections, top.bytes_to_server, top.bytes_to_client,
                   top.packets, top.records, top.rejected_records, top.first_seen, top.last_seen,
                   -- The ways the client was told, in name order.
                   concat_ws(',', CASE WHEN top.decided & 1 = 1 THEN 'ports' END, CASE WHEN top.decided & 2 = 2 THEN 'tcp-flags' END,
                             CASE WHEN top.decided & 4 = 4 THEN 'undecided' END) AS decided_by
            FROM top JOIN case_addresses c ON c.address_id = top.client_id JOIN case_addresses s ON s.address_id = top.server_id
            LEFT JOIN fnb_assets ca ON ca.ip = c.ip LEFT JOIN fnb_assets sa ON sa.ip = s.ip
            ORDER BY top.bytes_to_server + top.bytes_to_client DESC, top.client_id, top.server_id, top.server_port, top.protocol
            """),
        new("top_talkers", "Addresses by bytes sent and received across their conversations.", """
            WITH ends AS (
              SELECT client_id AS address_id, bytes_to_server AS sent, bytes_to_client AS received, server_id AS peer_id, first_seen, last_seen FROM fnb_conv
              UNION ALL
              SELECT server_id, bytes_to_client, bytes_to_server, client_id, first_seen, last_seen FROM fnb_conv),
            peers AS (
              -- One row per address and peer first: the peer count is then a plain count (a DISTINCT aggregate over
              -- millions of ends runs on one thread).
              SELECT address_id, peer_id, sum(sent) AS sent, sum(received) AS received, min(first_seen) AS first_seen, max(last_seen) AS last_seen
              FROM ends GROUP BY address_id, peer_id),
            top AS (
              SELECT address_id, sum(sent)::BIGINT AS bytes_sent, sum(received)::BIGINT AS bytes_received,
                     count(peer_id) AS peers, min(first_seen) AS first_seen, max(last_seen) AS last_seen
              FROM peers GROUP BY address_id ORDER BY bytes_sent + bytes_received DESC, address_id LIMIT $limit)
            SELECT e.ip AS address, a.name, a.role, top.bytes_sent, top.bytes_received, top.peers, top.first_seen, top.last_seen
            FROM top JOIN case_addresses e USING (address_id) LEFT JOIN fnb_assets a ON a.ip = e.ip
            ORDER BY top.bytes_sent + top.bytes_received DESC, top.address_id
            """),
        new("timeline", "Bytes per time bucket (each record spread over its capture window), by internal/outbound/inbound.", ProcedureSql.Traffic + """
            , r AS (
              -- In microseconds since the epoch (integer arithmetic; timestamps and intervals cost several times more per record),
              -- buckets aligned like time_bucket's (origin Monday 2000-01-03).
              SELECT bytes, s, e, s - ((s - $bucket_origin) % $bucket_us + $bucket_us) % $bucket_us AS first_bucket, traffic
              FROM (SELECT bytes, epoch_us(start_time) AS s, greatest(epoch_us(end_time), epoch_us(start_time) + 1000000) AS e,
                           CASE WHEN {src in internal_cidrs} AND {dst in internal_cidrs} THEN 'internal'
                                WHEN {src in internal_cidrs} THEN 'outbound' WHEN {dst in internal_cidrs} THEN 'inbound' ELSE 'external' END AS traffic
                    FROM traffic WHERE $any_address OR {src in address} OR {dst in address})),
            g AS (
              -- One pass: a record inside one bucket puts all its bytes there (most records: summed per bucket); records
              -- across buckets that share a window and a kind of traffic are spread alike (summed per window, spread once).
              SELECT traffic, first_bucket,
                     CASE WHEN e > first_bucket + $bucket_us THEN s END AS span_start,
                     CASE WHEN e > first_bucket + $bucket_us THEN e END AS span_end,
                     sum(bytes) AS bytes
              FROM r GROUP BY ALL),
            whole AS (SELECT first_bucket AS bucket, traffic, bytes::DOUBLE AS bytes FROM g WHERE span_start IS NULL),
            spread AS (
              SELECT bucket, traffic,
                     sum(bytes * (least(span_end, bucket + $bucket_us) - greatest(span_start, bucket)) / (span_end - span_start)) AS bytes
              FROM (SELECT unnest(range(first_bucket, span_end, $bucket_us)) AS bucket, * FROM g WHERE span_start IS NOT NULL)
              GROUP BY ALL)
            SELECT make_timestamp(bucket) AS bucket, traffic, round(sum(bytes))::BIGINT AS bytes
            FROM (SELECT * FROM whole UNION ALL SELECT * FROM spread) GROUP BY ALL ORDER BY bucket, traffic
            """),
    ];

    protected override void Execute(ProcedureRun run)
    {
        var days = ConversationDays.Of(run);
        var extra = new Dictionary<string, object?>
        {
            ["any_address"] = run.Get<Enrichment.CidrList>("address")?.IsEmpty ?? true,
            ["days_from"] = days.From,
            ["days_to"] = days.To,
            ["bucket_us"] = (long)Math.Max(1, run.Get<TimeSpan>("bucket").TotalSeconds) * 1_000_000,
            ["bucket_origin"] = (new DateTime(2000, 1, 3, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10,
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
        var top = t.Row(0);
        var client = top.Text("client");
        var server = top.Text("server");
        var port = top.Int("server_port");
        int? protocol = top.IsNull("protocol") ? null : top.Int("protocol");
        var toServer = top.Long("bytes_to_server");
        var toClient = top.Long("bytes_to_client");
        var (first, last) = (top.Time("first_seen"), top.Time("last_seen"));
        run.Add(new Finding
        {
            Title = $"Largest conversation: {client} → {server}:{port}",
            Severity = Severity.Info,
            Statement = $"{client} (client) sent {ProcedureRun.Bytes(toServer)} to {server}:{port} and received {ProcedureRun.Bytes(toClient)}, "
                + $"{ProcedureRun.Show(first)} to {ProcedureRun.Show(last)}.",
            // Both directions make the figures: the cited records are the largest either way, between the two parties.
            Facts = Finding.FactsOf([("client", client), ("server", server), ("server_port", port.ToString(CultureInfo.InvariantCulture)),
                ("bytes_to_server", toServer.ToString(CultureInfo.InvariantCulture)), ("bytes_to_client", toClient.ToString(CultureInfo.InvariantCulture)),
                .. Finding.Span(first, last), ("parties", $"{client},{server}"), ("protocol", protocol?.ToString(CultureInfo.InvariantCulture))]),
            Evidence = run.Cite(Citations.ConversationRecords, new Dictionary<string, object?>
            {
                ["cited_src"] = client, ["cited_dst"] = server, ["cited_port"] = port, ["cited_protocol"] = protocol ?? -1,
            }),
        });
    }
}
