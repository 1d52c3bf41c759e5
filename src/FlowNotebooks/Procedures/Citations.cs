namespace FlowNotebooks.Procedures;

/// <summary>
/// Which records a finding cites: for each kind of finding, the SQL that picks, among the records its figures are made
/// of, the few worth showing (evidence_id and line, at most <see cref="Lines"/>). Each reads the window's records as the
/// procedures count them (<see cref="ProcedureSql.Counted"/>), limited to the finding's own parties, ports, action and
/// span, so a citation can be checked against the finding's facts (<c>from</c>, <c>to</c>, <c>src</c>, <c>dst</c>, …).
/// Values are bound as <c>$cited_*</c> parameters (<see cref="ProcedureRun.Cite"/>).
/// </summary>
public static class Citations
{
    /// <summary>Lines cited per finding: enough to open and check, few enough to read.</summary>
    public const int Lines = 5;

    // The journeys aggregations sum (counted_traffic is these records without evidence_id and line).
    const string Journeys = ProcedureSql.Counted + ", journeys AS NOT MATERIALIZED (SELECT * FROM counted WHERE NOT translated)\n";

    /// <summary>The largest accepted transfers from <c>$cited_src</c> to <c>$cited_dst</c>: the records whose bytes an exfil-ledger row sums.</summary>
    public static readonly ProcedureQuery LargestTransfers = new("cited transfers", "Largest counted transfers of an asset → destination pair.", Journeys + $$"""
        SELECT evidence_id, line FROM journeys
        WHERE action = 'ACCEPT' AND src = $cited_src AND dst = $cited_dst
        ORDER BY bytes DESC, start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>
    /// Probes of a scan: records from <c>$cited_src</c> to the scanned hosts (<c>$cited_hosts</c>, comma-separated) and ports,
    /// inside the scan's span, that look like a connection attempt (<see cref="LateralMovement.Probe"/>), accepted or
    /// rejected as counted; one per host so the lines show the sweep.
    /// </summary>
    public static readonly ProcedureQuery ScanProbes = new("cited probes", "Probes of a scan inside its span.", Journeys + $$"""
        , probes AS (
          SELECT evidence_id, line, dst, start_time FROM journeys
          WHERE src = $cited_src AND list_contains(string_split($cited_hosts, ','), dst) AND dstport IN {list cited_ports}
            AND start_time >= $cited_from AND end_time <= $cited_to AND {{LateralMovement.Probe}}
          QUALIFY row_number() OVER (PARTITION BY dst ORDER BY start_time, evidence_id, line) = 1)
        SELECT evidence_id, line FROM probes ORDER BY start_time, dst, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>
    /// The first session of a lateral hop: the client → server records, at the hop's first time, of the connection (one
    /// client port) that was accepted and sent at least min_session_bytes, as admin_pairs defines a session.
    /// </summary>
    public static readonly ProcedureQuery FirstSession = new("cited session", "Records of a hop's first session at its first time.", Journeys + $$"""
        , session AS (
          SELECT srcport FROM journeys
          WHERE protocol IN (6, 17) AND src = $cited_src AND dst = $cited_dst AND dstport = $cited_port
          GROUP BY srcport
          HAVING min(start_time) = $cited_from AND bool_or(action = 'ACCEPT') AND sum(bytes) >= $min_session_bytes)
        SELECT evidence_id, line FROM journeys SEMI JOIN session USING (srcport)
        WHERE protocol IN (6, 17) AND src = $cited_src AND dst = $cited_dst AND dstport = $cited_port AND start_time = $cited_from
        ORDER BY evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>The first accepted connections from <c>$cited_src</c> to <c>$cited_dst</c>:<c>$cited_port</c> (inbound admin access).</summary>
    public static readonly ProcedureQuery FirstConnections = new("cited connections", "First accepted connections to a port.", Journeys + $$"""
        SELECT evidence_id, line FROM journeys
        WHERE action = 'ACCEPT' AND src = $cited_src AND dst = $cited_dst AND dstport = $cited_port
        ORDER BY start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>
    /// <see cref="FirstConnections"/> of many pairs in one pass (a baseline comparison can flag thousands): <c>$cited_pairs</c>
    /// is "src dst port" items separated by ';', and each row says which item it cites (<c>cited_for</c>).
    /// </summary>
    public static readonly ProcedureQuery FirstConnectionsOfPairs = new("cited connections of pairs", "First accepted connections of each pair.", Journeys + $$"""
        , wanted AS (
          SELECT k[1] AS src, k[2] AS dst, k[3]::INTEGER AS dstport, p AS cited_for
          FROM (SELECT p, string_split(p, ' ') AS k FROM unnest(string_split($cited_pairs, ';')) AS t(p)))
        SELECT w.cited_for, j.evidence_id, j.line FROM journeys j JOIN wanted w USING (src, dst, dstport)
        WHERE j.action = 'ACCEPT'
        QUALIFY row_number() OVER (PARTITION BY w.cited_for ORDER BY j.start_time, j.evidence_id, j.line) <= {{Lines}}
        """);

    /// <summary>
    /// Connections of a beacon: the first record of each new connection (client port) from <c>$cited_src</c> to
    /// <c>$cited_dst</c>:<c>$cited_port</c> over <c>$cited_protocol</c> (-1: none logged) that starts inside the beacon's span.
    /// </summary>
    public static readonly ProcedureQuery BeaconConnections = new("cited beats", "First records of a beacon's connections.", Journeys + $$"""
        , beats AS (
          SELECT evidence_id, line, start_time FROM journeys
          WHERE src = $cited_src AND dst = $cited_dst AND dstport = $cited_port AND coalesce(protocol, -1) = $cited_protocol
          QUALIFY row_number() OVER (PARTITION BY srcport ORDER BY start_time, evidence_id, line) = 1)
        SELECT evidence_id, line FROM beats WHERE start_time >= $cited_from AND start_time <= $cited_to
        ORDER BY start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>The first records between <c>$cited_src</c> and <c>$cited_dst</c>, either way (an IOC contact).</summary>
    public static readonly ProcedureQuery Contacts = new("cited contacts", "First records between two addresses, either way.", Journeys + $$"""
        SELECT evidence_id, line FROM journeys
        WHERE (src = $cited_src AND dst = $cited_dst) OR (src = $cited_dst AND dst = $cited_src)
        ORDER BY start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>
    /// The largest records of a conversation: between client <c>$cited_src</c> and server <c>$cited_dst</c> on server port
    /// <c>$cited_port</c> and <c>$cited_protocol</c> (-1: none logged), in both directions.
    /// </summary>
    public static readonly ProcedureQuery ConversationRecords = new("cited conversation", "Largest records of a conversation.", Journeys + $$"""
        SELECT evidence_id, line FROM journeys
        WHERE coalesce(protocol, -1) = $cited_protocol
          AND ((src = $cited_src AND dst = $cited_dst AND dstport = $cited_port) OR (src = $cited_dst AND dst = $cited_src AND srcport = $cited_port))
        ORDER BY bytes DESC, start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>
    /// The first rejected records from external <c>$cited_src</c> to our addresses, as rejected-recon counts them (every
    /// counted copy, a NAT gateway's leg included).
    /// </summary>
    public static readonly ProcedureQuery RejectedProbes = new("cited rejects", "First rejected records of an external source.", ProcedureSql.Counted + $$"""
        SELECT evidence_id, line FROM counted
        WHERE action = 'REJECT' AND src = $cited_src AND {dst in internal_cidrs}
        ORDER BY start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>The first records of the window naming <c>$cited_address</c> as packet or interface address (an unmanaged host).</summary>
    public static readonly ProcedureQuery AddressRecords = new("cited address", "First records naming an address.", ProcedureSql.Counted + $$"""
        SELECT evidence_id, line FROM observed
        WHERE srcaddr = $cited_address OR dstaddr = $cited_address OR src = $cited_address OR dst = $cited_address
        ORDER BY start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>The SKIPDATA records of an interface and capture (<c>''</c> for none) inside a gap's span.</summary>
    public static readonly ProcedureQuery SkippedRecords = new("cited skipdata", "SKIPDATA records of a coverage gap.", $$"""
        SELECT evidence_id, line FROM skipdata_records
        WHERE interface_id = $cited_interface AND coalesce(flow_log_id, '') = $cited_capture
          AND end_time >= $cited_from AND start_time < $cited_to
        ORDER BY start_time, evidence_id, line LIMIT {{Lines}}
        """);

    /// <summary>
    /// The records on either side of a capture's delivery gap: the last records of the last object it delivered before
    /// <c>$cited_from</c> and the first records of the first object it delivered at or after <c>$cited_to</c> (by the
    /// objects' delivery stamps, the same the gap was found from). Any log status: a NODATA record shows delivery too.
    /// </summary>
    public static readonly ProcedureQuery DeliveryEdges = new("cited delivery edges", "Records delivered just before and just after a gap.", $$"""
        WITH objects AS (
          SELECT evidence_id, delivery_time FROM evidence WHERE flow_log_id = $cited_capture AND delivery_time IS NOT NULL),
        edges AS (
          SELECT (SELECT arg_max(evidence_id, delivery_time) FROM objects WHERE delivery_time < $cited_from) AS before_id,
                 (SELECT arg_min(evidence_id, delivery_time) FROM objects WHERE delivery_time >= $cited_to) AS after_id),
        last_before AS (
          SELECT evidence_id, line FROM flows WHERE evidence_id = (SELECT before_id FROM edges)
          ORDER BY end_time DESC, line DESC LIMIT {{(Lines + 1) / 2}}),
        first_after AS (
          SELECT evidence_id, line FROM flows WHERE evidence_id = (SELECT after_id FROM edges)
          ORDER BY start_time, line LIMIT {{(Lines + 1) / 2}})
        SELECT * FROM last_before UNION ALL SELECT * FROM first_after
        """);
}
