using System.Diagnostics;
using System.Globalization;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// The case's records counted once, kept as a table (<c>counted_flows</c>) so that a procedure on 10^8 records does not
/// redo the work each time: the OK records of one capture per interface and hour (an ENI-level and a subnet-level
/// capture do not double the traffic), exact copies collapsed (the same record in two overlapping exports), addresses
/// taken from pkt-* when present, and for each record who observed it (the sender's interface, the receiver's or a
/// relay such as a NAT gateway) and whether it is the one copy of the packet's journey that counts.
/// Rebuilt when the evidence or the inventory changed since it was built.
/// </summary>
/// <remarks>
/// Beside it, small tables every run reads instead of scanning the records again: <c>interface_hours</c> (per interface,
/// capture and hour: records by log status, bytes, time span, pkt-* use), <c>skipdata_records</c> and
/// <c>interface_own_address</c> (the likeliest own address of an interface the inventory lacks); and for the procedures
/// that aggregate every record of a window (conversations, exfil ledger, lateral movement, beacons) <c>counted_traffic</c>,
/// the counted records in numbers only, with addresses as ids from <c>case_addresses</c>, and their conversation pairs per
/// day (<see cref="ConversationDays"/>).
/// </remarks>
public static class CountedFlows
{
    const string StateKey = "counted_flows";

    /// <summary>Builds the table when the case changed since it was last built (or always, when <paramref name="rebuild"/>);
    /// returns the time taken (zero when current).</summary>
    public static TimeSpan EnsureCurrent(CaseStore store, bool rebuild = false)
    {
        var state = State(store);
        if (!rebuild && store.Scalar<string>("SELECT value FROM case_info WHERE key = $1", StateKey) == state
            && store.Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'counted_flows' AND NOT temporary") == 1)
            return TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        store.Execute(InterfaceHours.Sql);
        store.Execute(SkipData.Sql);
        store.Execute(OwnAddressGuess.Sql);
        var span = store.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        var values = new Dictionary<string, object?>
        {
            ["from"] = span[0] as DateTime? ?? DateTime.UnixEpoch,
            ["to"] = (span[1] as DateTime?)?.AddSeconds(1) ?? DateTime.UnixEpoch,
        };
        // The observer decision needs the interfaces of the whole case, not of one analyst's window.
        CaseInterfaces.Prepare(store, values, []);
        var (sql, ps) = Build.Render(values);
        store.Execute(sql, [.. ps]);
        store.Execute(Addresses.Sql);
        store.Execute(Traffic.Sql);
        store.Execute(ConversationDays.Build.Sql);
        store.Execute(ConversationDays.Spans.Sql);
        // What was built and with which values, for the audit record of every later run (the build happens once).
        DerivedTablesRecord.Save(store, values);
        store.Execute("INSERT OR REPLACE INTO case_info VALUES ($1, $2)", StateKey, state);
        return clock.Elapsed;
    }

    // Anything that changes the counted records: new evidence (records, configuration) or a new inventory.
    static string State(CaseStore store)
    {
        var r = store.Query("""
            SELECT (SELECT count(*) FROM evidence), (SELECT coalesce(max(evidence_id), 0) FROM evidence),
                   (SELECT count(*) FROM interfaces), (SELECT count(*) FROM interface_addresses), (SELECT count(*) FROM flow_logs)
            """).Rows[0];
        return string.Join("/", r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))) + "/" + Version;
    }

    /// <summary>Every statement that builds the derived tables, in the order they run.</summary>
    public static IReadOnlyList<ProcedureQuery> Statements =>
        [InterfaceHours, SkipData, OwnAddressGuess, CaseInterfaces.WindowHours, CaseInterfaces.Interfaces, CaseInterfaces.Assets,
         Build, Addresses, Traffic, ConversationDays.Build, ConversationDays.Spans];

    /// <summary>The derived tables' version: a hash of the SQL that builds them, so a change of definition rebuilds them
    /// (no hand-bumped number to forget).</summary>
    public static string Version => version.Value;

    // Lazy: the statements are static fields declared below, not yet initialised when this class's initialiser reaches here.
    static readonly Lazy<string> version = new(() => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join("\n;\n", Statements.Select(q => q.Sql)))))[..16]);

    /// <summary>The columns of <c>interface_hours</c>, over <c>flows</c> grouped by all (shared with a run's window edges).</summary>
    internal const string HourColumns = """
        interface_id, flow_log_id, time_bucket(INTERVAL 1 HOUR, start_time) AS hour,
               count(*) AS records,
               count(*) FILTER (WHERE coalesce(log_status, 'OK') = 'OK') AS ok,
               count(*) FILTER (WHERE log_status = 'NODATA') AS nodata,
               count(*) FILTER (WHERE log_status = 'SKIPDATA') AS skipdata,
               coalesce(sum(bytes), 0)::BIGINT AS bytes,
               min(start_time) AS first_start, max(start_time) AS last_start, max(end_time) AS last_end,
               coalesce(bool_or(pkt_srcaddr IS NOT NULL OR pkt_dstaddr IS NOT NULL), false) AS has_pkt,
               coalesce(bool_or(pkt_dstaddr <> dstaddr OR pkt_srcaddr <> srcaddr), false) AS relays,
               any_value(vpc_id) AS vpc_id, any_value(subnet_id) AS subnet_id, any_value(instance_id) AS instance_id
        """;

    /// <summary>Per interface, capture and hour of start: what <see cref="CaseInterfaces"/> and coverage need of the records.</summary>
    public static readonly ProcedureQuery InterfaceHours = new("interface_hours", "Records per interface, capture and hour.", $$"""
        CREATE OR REPLACE TABLE interface_hours AS
        SELECT {{HourColumns}}
        FROM flows GROUP BY ALL
        """);

    /// <summary>The SKIPDATA records (few): their windows are coverage gaps.</summary>
    public static readonly ProcedureQuery SkipData = new("skipdata_records", "SKIPDATA records.", """
        CREATE OR REPLACE TABLE skipdata_records AS
        SELECT interface_id, flow_log_id, start_time, end_time, evidence_id, line FROM flows WHERE log_status = 'SKIPDATA'
        """);

    /// <summary>An interface missing from the inventory: its own address is the one most often in srcaddr (its egress records).</summary>
    public static readonly ProcedureQuery OwnAddressGuess = new("interface_own_address", "Own address of interfaces the inventory lacks.", """
        CREATE OR REPLACE TABLE interface_own_address AS
        SELECT interface_id, mode(srcaddr) AS ip FROM flows
        WHERE srcaddr IS NOT NULL AND interface_id IS NOT NULL
          AND interface_id NOT IN (SELECT interface_id FROM interfaces WHERE interface_id IS NOT NULL)
        GROUP BY interface_id
        """);

    /// <summary>The statement that builds <c>counted_flows</c> (needs <c>fnb_interfaces</c> of the whole case).</summary>
    public static readonly ProcedureQuery Build = new("counted_flows", "The case's records counted once, with their observer.", """
        CREATE OR REPLACE TABLE counted_flows AS
        WITH ev AS (
          -- The capture that wrote a record: its flow-log id, or (CloudWatch exports carry none) the log group folder it came from.
          SELECT evidence_id, coalesce(flow_log_id, 'group:' || regexp_extract(object, '([^/]+)/[^/]+$', 1)) AS capture FROM evidence),
        fc AS (
          SELECT f.*, coalesce(f.flow_log_id, ev.capture) AS capture, time_bucket(INTERVAL 1 HOUR, f.start_time) AS hour
          FROM flows f JOIN ev USING (evidence_id)),
        pick AS (
          -- Two captures of one interface (ENI-level and subnet-level, often with different aggregation intervals) log the
          -- same traffic in records that do not match one for one: per interface and hour, keep the capture with the most records.
          SELECT interface_id, hour, capture FROM (SELECT interface_id, hour, capture, count(*) AS n FROM fc GROUP BY ALL)
          QUALIFY row_number() OVER (PARTITION BY interface_id, hour ORDER BY n DESC, capture) = 1),
        picked AS (
          SELECT interface_id, hour,
                 coalesce(pkt_srcaddr, srcaddr) AS src, coalesce(pkt_srcaddr_v4, srcaddr_v4) AS src_v4, coalesce(pkt_srcaddr_v6, srcaddr_v6) AS src_v6,
                 coalesce(pkt_dstaddr, dstaddr) AS dst, coalesce(pkt_dstaddr_v4, dstaddr_v4) AS dst_v4, coalesce(pkt_dstaddr_v6, dstaddr_v6) AS dst_v6,
                 srcaddr, srcaddr_v4, srcaddr_v6, dstaddr, dstaddr_v4, dstaddr_v6,
                 srcport, dstport, protocol, packets, bytes, start_time, end_time, action, tcp_flags,
                 pkt_src_aws_service, pkt_dst_aws_service, evidence_id, line,
                 hash(interface_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr, srcport, dstport, protocol, packets, bytes,
                      start_time, end_time, action, tcp_flags, pkt_src_aws_service, pkt_dst_aws_service) AS h
          FROM fc SEMI JOIN pick ON fc.interface_id = pick.interface_id AND fc.hour = pick.hour AND fc.capture = pick.capture
          WHERE coalesce(log_status, 'OK') = 'OK' AND srcaddr IS NOT NULL),
        repeated AS (
          -- Exact copies share a hash; only those few rows are compared column by column (a hash collision is not a copy).
          SELECT h FROM picked GROUP BY h HAVING count(*) > 1),
        w AS (
          SELECT * EXCLUDE (h), 1 AS copies FROM picked ANTI JOIN repeated USING (h)
          UNION ALL BY NAME
          SELECT * EXCLUDE (h, n), n AS copies FROM (
            SELECT * EXCLUDE (evidence_id, line), min(evidence_id) AS evidence_id, arg_min(line, evidence_id) AS line, count(*) AS n
            FROM (SELECT * FROM picked SEMI JOIN repeated USING (h)) GROUP BY ALL)),
        logged_hours AS (
          -- An interface's records were being delivered in that hour: the sender's own record is then the one that counts.
          SELECT i.own_ip, h.hour, min(i.interface_id) AS interface_id
          FROM (SELECT DISTINCT interface_id, hour FROM fc) h JOIN fnb_interfaces i USING (interface_id)
          WHERE i.own_ip IS NOT NULL GROUP BY ALL),
        observed AS (
          SELECT w.*, i.role AS observer_role, i.own_ip AS observer_ip,
                 CASE WHEN w.src = i.own_ip THEN 'sender' WHEN w.dst = i.own_ip THEN 'receiver' ELSE 'relay' END AS observer,
                 s.interface_id AS src_interface, d.interface_id AS dst_interface,
                 coalesce(i.role = 'nat_gateway' AND i.has_pkt AND (w.src = i.own_ip OR w.dst = i.own_ip), false) AS translated
          FROM w LEFT JOIN fnb_interfaces i ON i.interface_id = w.interface_id
          LEFT JOIN logged_hours s ON s.own_ip = w.src AND s.hour = w.hour
          LEFT JOIN logged_hours d ON d.own_ip = w.dst AND d.hour = w.hour)
        SELECT *, (observer = 'sender' OR (observer = 'receiver' AND src_interface IS NULL)
                   OR (observer = 'relay' AND src_interface IS NULL AND dst_interface IS NULL)) AS counts
        FROM observed
        """);

    /// <summary>Every address the counted records name (the packet's and the interface's), numbered in text order (so an
    /// order or a comparison of ids is that of the text), with its numeric forms for CIDR tests.</summary>
    public static readonly ProcedureQuery Addresses = new("case_addresses", "Addresses of the counted records, numbered in text order.", """
        CREATE OR REPLACE TABLE case_addresses AS
        SELECT (row_number() OVER (ORDER BY ip))::INTEGER AS address_id, ip, ip_v4, ip_v6
        FROM (SELECT src AS ip, src_v4 AS ip_v4, src_v6 AS ip_v6 FROM counted_flows
              UNION SELECT dst, dst_v4, dst_v6 FROM counted_flows
              UNION SELECT srcaddr, srcaddr_v4, srcaddr_v6 FROM counted_flows
              UNION SELECT dstaddr, dstaddr_v4, dstaddr_v6 FROM counted_flows)
        WHERE ip IS NOT NULL
        """);

    /// <summary>
    /// The records that count, less the NAT gateway's translated legs (the packet journeys every aggregation sums), in numbers:
    /// grouping 10^8 records by address ids and reading no text column is several times cheaper than by address text.
    /// <c>accepted</c> is action = ACCEPT (NULL when a custom format left the action out, like the comparison on the text).
    /// </summary>
    public static readonly ProcedureQuery Traffic = new("counted_traffic", "The counted journeys with address ids.", """
        CREATE OR REPLACE TABLE counted_traffic AS
        SELECT s.address_id AS src_id, d.address_id AS dst_id, c.src_v4, c.src_v6, c.dst_v4, c.dst_v6,
               c.srcport, c.dstport, c.protocol, c.packets, c.bytes, c.start_time, c.end_time, c.action = 'ACCEPT' AS accepted, c.tcp_flags,
               c.interface_id, c.pkt_src_aws_service, c.pkt_dst_aws_service
        FROM counted_flows c LEFT JOIN case_addresses s ON s.ip = c.src LEFT JOIN case_addresses d ON d.ip = c.dst
        WHERE c.counts AND NOT c.translated
        """);
}
