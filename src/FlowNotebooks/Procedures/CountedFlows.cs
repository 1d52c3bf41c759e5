using System.Diagnostics;
using System.Globalization;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// The case's records counted once, kept as a table (<c>counted_records</c>, read through the view <c>counted_flows</c>) so that a procedure on 10^8 records does not
/// redo the work each time: the OK records of one capture per interface and hour (an ENI-level and a subnet-level
/// capture do not double the traffic), exact copies collapsed (the same record in two overlapping exports), addresses
/// taken from pkt-* when present, and for each record who observed it (the sender's interface, the receiver's or a
/// relay such as a NAT gateway) and whether it is the one copy of the packet's journey that counts. Whose copy counts is
/// decided per minute from what each capture actually delivered (<c>capture_minutes</c>), never from the hour a record
/// started, and SKIPDATA minutes make an interface's copies give way to an observer that saw the minute whole.
/// Built in ranges of hours (bounded memory); evidence added later recounts only the hours it touches, and the tables are built
/// whole again when the inventory, the flow-log configuration or this SQL changed.
/// </summary>
/// <remarks>
/// Beside it, small tables every run reads instead of scanning the records again: <c>interface_hours</c> (per interface,
/// capture and hour: records by log status, bytes, time span, pkt-* use), <c>skipdata_records</c>,
/// <c>interface_own_address</c> (the likeliest own address of an interface the inventory lacks), <c>capture_minutes</c>,
/// <c>counted_captures</c> and <c>observed_minutes</c> (the observer decision's inputs); and for the procedures
/// that aggregate every record of a window (conversations, exfil ledger, lateral movement, beacons) <c>counted_traffic</c>,
/// the counted records in numbers only, with addresses as ids from <c>case_addresses</c>, and their conversation pairs per
/// day (<see cref="ConversationDays"/>).
/// </remarks>
public static partial class CountedFlows
{
    const string StateKey = "counted_flows";

    /// <summary>Builds the table when the case changed since it was last built (or always, when <paramref name="rebuild"/>):
    /// evidence added since recounts only the days it touches (<see cref="UpdateStatements"/>); returns the time taken (zero when current). A load ends with it, so ad-hoc SQL finds the counted tables at once;
    /// <paramref name="progress"/> hears of each day counted (a 10^8-record case takes minutes).</summary>
    public static TimeSpan EnsureCurrent(CaseStore store, bool rebuild = false, IProgress<CountingProgress>? progress = null)
    {
        var state = State(store);
        var built = store.Scalar<string>("SELECT value FROM case_info WHERE key = $1", StateKey);
        if (!rebuild && built == state && store.HasTable("counted_records"))
            return TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        // Counting runs under the case's DuckDB memory limit (CaseStore.DefaultMemoryLimit): what a day's decisions do
        // not fit in spills to the case's temp folder instead of taking an analyst's laptop's memory.
        var updated = !rebuild && CountedBasis.Parse(built) is { } basis && CanUpdate(store, basis, CountedBasis.Parse(state)!)
                      && Update(store, basis, progress, clock);
        if (!updated) Count(store, progress, clock);
        store.Execute("INSERT OR REPLACE INTO case_info VALUES ($1, $2)", StateKey, state);
        return clock.Elapsed;
    }

    static void Count(CaseStore store, IProgress<CountingProgress>? progress, Stopwatch clock) =>
        BuildWhole(store, new HashSet<ProcedureQuery>(), [], progress, clock);

    /// <summary>
    /// A whole build of the derived tables (<see cref="WholeBuild"/>) but those <paramref name="provided"/> already made
    /// (Athena's rollups), in order, <c>counted_flows</c> range by range. The build record lists <paramref name="before"/> (how
    /// the provided tables were made) and then every statement run here, with its values.
    /// </summary>
    internal static void BuildWhole(CaseStore store, IReadOnlySet<ProcedureQuery> provided, IReadOnlyList<(string Sql, object?[] Parameters)> before,
        IProgress<CountingProgress>? progress, Stopwatch? clock)
    {
        // Every statement of the build with its values, kept in the case for the audit record of every later run.
        using var recording = store.Record();
        var values = new Dictionary<string, object?>();
        foreach (var q in WholeBuild.Where(q => !provided.Contains(q)))
        {
            // The observer decision needs the interfaces of the whole case, not of one analyst's window.
            if (q == CaseInterfaces.WindowHours) CaseSpan(store, values);
            if (q == Build)
            {
                CountRanges(store, progress, clock);
                continue;
            }
            var (sql, ps) = q.Render(values);
            store.Execute(sql, [.. ps]);
        }
        // What was built and with which values, for the audit record of every later run (the build happens once).
        DerivedTablesRecord.Save(store, [.. before, .. recording.Statements], values);
    }

    // Range by range: each range's records are decided from that range's tables alone, so memory follows a range, not
    // the case. A range is consecutive hours of one day holding at most RecordsPerCount records (a whole day on a 10^7
    // case; at 10^8 a day is 33M records, whose hash tables no longer fit the case's memory limit and spill to disk).
    static void CountRanges(CaseStore store, IProgress<CountingProgress>? progress, Stopwatch? clock)
    {
        // Every hour from the first to the last, empty ones too: a range may span an hour without records.
        var ranges = Ranges(HourRecords(store, "SELECT unnest(range(min(hour), max(hour) + INTERVAL 1 HOUR, INTERVAL 1 HOUR)) AS hour FROM interface_hours"));
        // A case counted before counted_flows was a view over counted_records holds it as a table.
        if (store.HasTable("counted_flows"))
            store.Execute("DROP TABLE counted_flows");
        // The table first, empty, in the types of the build; its times as whole seconds when every record's are (half
        // the bytes of microseconds; a record with a fraction keeps microseconds, and an update that brings one counts
        // the case whole again: UpdateKeepsTimes).
        var (empty, eps) = Build.Render(new Dictionary<string, object?> { ["day_from"] = DateTime.UnixEpoch, ["day_to"] = DateTime.UnixEpoch });
        store.Execute($"CREATE OR REPLACE TABLE counted_records AS SELECT * FROM ({empty}\n) LIMIT 0", [.. eps]);
        if (RecordTimesInSeconds(store))
            foreach (var column in new[] { "start_time", "end_time" })
                store.Execute($"ALTER TABLE counted_records ALTER {column} SET DATA TYPE TIMESTAMP_S");
        var done = 0;
        foreach (var (from, to) in ranges)
        {
            progress?.Report(new CountingProgress(from, done++, ranges.Count, clock?.Elapsed ?? TimeSpan.Zero));
            var (sql, ps) = Build.Render(new Dictionary<string, object?> { ["day_from"] = from, ["day_to"] = to });
            store.Execute("INSERT INTO counted_records " + sql, [.. ps]);
        }
    }

    /// <summary>Whether every record's start and end are whole seconds: the load stores a batch's times as
    /// <c>TIMESTAMP_S</c> exactly when they are (<c>StagedBatch</c>).</summary>
    static bool RecordTimesInSeconds(CaseStore store) => store.Scalar<long>($"""
        SELECT count(*) FROM duckdb_columns() WHERE starts_with(table_name, '{CaseSchema.RecordsTablePrefix}')
          AND column_name IN ('start_time', 'end_time') AND data_type <> 'TIMESTAMP_S'
        """) == 0;

    /// <summary>Whether counted_records can take the records' times as they are: false when it keeps seconds and a record
    /// has a fraction (an update then counts the case whole, in microseconds).</summary>
    static bool UpdateKeepsTimes(CaseStore store) =>
        RecordTimesInSeconds(store)
        || store.Scalar<string>("SELECT data_type FROM duckdb_columns() WHERE table_name = 'counted_records' AND column_name = 'start_time'") == "TIMESTAMP";

    /// <summary>The hours <paramref name="hoursSql"/> lists (a column <c>hour</c>), in order, with the records starting in
    /// each (<c>interface_hours</c>).</summary>
    static List<(DateTime Hour, long Records)> HourRecords(CaseStore store, string hoursSql) => store.Query($"""
        SELECT h.hour, coalesce(sum(i.records), 0)::BIGINT FROM ({hoursSql}) h LEFT JOIN interface_hours i USING (hour)
        WHERE h.hour IS NOT NULL GROUP BY h.hour ORDER BY h.hour
        """).Rows.Select(r => ((DateTime)r[0]!, (long)r[1]!)).ToList();

    /// <summary>The most records one counting statement reads (its own hours; it also reads the hour before them).</summary>
    internal const long RecordsPerCount = 8_000_000;

    /// <summary>The hours to count (with their records) as ranges [from, to) of consecutive listed hours of one day, each
    /// holding at most <paramref name="budget"/> records (an hour holding more is a range of its own). A whole build lists
    /// every hour; an update only those it recounts, so a range never spans an hour it must leave as it was.</summary>
    internal static List<(DateTime From, DateTime To)> Ranges(IReadOnlyList<(DateTime Hour, long Records)> hours, long budget = RecordsPerCount)
    {
        var ranges = new List<(DateTime From, DateTime To)>();
        long inRange = 0;
        foreach (var (hour, records) in hours)
        {
            if (ranges.Count > 0 && ranges[^1].To == hour && hour.TimeOfDay != TimeSpan.Zero && inRange + records <= budget)
            {
                ranges[^1] = (ranges[^1].From, hour.AddHours(1));
                inRange += records;
            }
            else
            {
                ranges.Add((hour, hour.AddHours(1)));
                inRange = records;
            }
        }
        return ranges;
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

    /// <summary>The statements of a whole build of the derived tables, in the order they run.</summary>
    public static IReadOnlyList<ProcedureQuery> WholeBuild =>
        [InterfaceHours, SkipData, OwnAddressGuess, EvidenceCaptures, CaptureMinutes, CountedCaptures,
         CaseInterfaces.WindowHours, CaseInterfaces.Interfaces, CaseInterfaces.Assets, ObservedMinutes,
         Build, KeepInterfaces, Counted, Addresses, Traffic, ConversationDays.Build, ConversationDays.Spans, Journeys];

    /// <summary>Every statement that builds or updates the derived tables: a whole build's, then an update's.</summary>
    public static IReadOnlyList<ProcedureQuery> Statements => [.. WholeBuild, .. UpdateStatements];

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
               min(vpc_id) AS vpc_id, min(subnet_id) AS subnet_id,
               arg_max(instance_id, (start_time, instance_id)) FILTER (WHERE instance_id IS NOT NULL) AS instance_id
        """;

    /// <summary>Per interface, capture and hour of start: what <see cref="CaseInterfaces"/> and coverage need of the records.</summary>
    public static readonly ProcedureQuery InterfaceHours = new("interface_hours", "Records per interface, capture and hour.",
        "CREATE OR REPLACE TABLE interface_hours AS " + InterfaceHoursOf("flows", ""));

    static string InterfaceHoursOf(string records, string where) => $$"""
        SELECT {{HourColumns}}
        FROM {{records}} {{where}} GROUP BY ALL
        """;

    /// <summary>The SKIPDATA records (few): their windows are coverage gaps.</summary>
    public static readonly ProcedureQuery SkipData = new("skipdata_records", "SKIPDATA records.",
        "CREATE OR REPLACE TABLE skipdata_records AS " + SkipDataOf("flows", "true"));

    static string SkipDataOf(string records, string where) => $"""
        SELECT interface_id, flow_log_id, start_time, end_time, evidence_id, line FROM {records} WHERE log_status = 'SKIPDATA' AND {where}
        """;

    /// <summary>An interface missing from the inventory: its own address is the one most often in srcaddr (its egress
    /// records), the lowest such address on a tie (<c>mode</c> left a tie to the order rows arrive in). Those interfaces
    /// are taken from <c>interface_hours</c> (built first): when the inventory names every interface, as it usually does,
    /// no record is read (reading every record's interface cost 0.1–0.3 s of a 3 s update at 10^7 records, and grows with
    /// the case).</summary>
    public static readonly ProcedureQuery OwnAddressGuess = new("interface_own_address", "Own address of interfaces the inventory lacks.", """
        CREATE OR REPLACE TABLE interface_own_address AS
        SELECT interface_id, srcaddr AS ip FROM flows
        WHERE srcaddr IS NOT NULL
          AND interface_id IN (SELECT interface_id FROM interface_hours
                               WHERE interface_id NOT IN (SELECT interface_id FROM interfaces WHERE interface_id IS NOT NULL))
        GROUP BY interface_id, srcaddr
        QUALIFY row_number() OVER (PARTITION BY interface_id ORDER BY count(*) DESC, srcaddr) = 1
        """);

    /// <summary>The capture each evidence object belongs to: its flow-log id; or (CloudWatch pages, exports and Firehose
    /// objects may name none) the log group that delivered it; else the folder it came from (an export's stream); else one
    /// capture of all such objects. Never a folder when the group is known: Firehose files objects by hour, and one
    /// group's objects of two hour folders taken as two captures of an interface lost the second's records. Never NULL:
    /// a NULL capture matches no counted capture, and its records would silently not count.</summary>
    public static readonly ProcedureQuery EvidenceCaptures = new("evidence_captures", "The capture of each evidence object.", """
        CREATE OR REPLACE TABLE evidence_captures AS
        SELECT evidence_id, coalesce(flow_log_id, 'group:' || coalesce(log_group, nullif(regexp_extract(object, '([^/]+)/[^/]+$', 1), ''), '')) AS capture FROM evidence
        """);

    /// <summary>
    /// The minutes each capture of an interface delivered records for: a record (OK or NODATA) shows the capture logged the
    /// interface from its start to its end; a SKIPDATA record shows records of those minutes were skipped. Only what was
    /// delivered counts: a record that started at 13:56 and arrived in a later object says nothing of 13:00–13:55.
    /// </summary>
    public static readonly ProcedureQuery CaptureMinutes = new("capture_minutes", "Minutes each capture delivered records of an interface.",
        "CREATE OR REPLACE TABLE capture_minutes AS " + CaptureMinutesOf("flows", "true", "true"));

    // records (flows, or flows_starting of some hours) and recordsWhere limit the records read, minutesWhere (over m) the minutes kept.
    static string CaptureMinutesOf(string records, string recordsWhere, string minutesWhere) => $"""
        WITH spans AS (
          SELECT f.interface_id, coalesce(f.flow_log_id, c.capture) AS capture, coalesce(f.log_status, 'OK') = 'SKIPDATA' AS skipped,
                 epoch(f.start_time)::BIGINT // 60 AS m0, epoch(coalesce(f.end_time, f.start_time))::BIGINT // 60 AS m1, count(*) AS records
          FROM {records} f JOIN evidence_captures c USING (evidence_id)
          WHERE f.interface_id IS NOT NULL AND f.start_time IS NOT NULL AND {recordsWhere}
          GROUP BY ALL)
        -- A record spans at most its aggregation interval (10 minutes); a longer span is clipped to an hour, not trusted whole.
        SELECT interface_id, capture, m AS minute, bool_or(skipped) AS skipped, bool_or(NOT skipped) AS logged,
               sum(records) FILTER (WHERE m = m0 AND NOT skipped)::BIGINT AS records
        FROM spans, unnest(range(m0, least(greatest(m1, m0), m0 + 60) + 1)) AS t(m)
        WHERE {minutesWhere}
        GROUP BY ALL
        """;

    /// <summary>
    /// Per interface and hour, the capture whose records count. Two captures of one interface (ENI-level and subnet-level,
    /// often with different aggregation intervals) log the same traffic in records that do not match one for one, so only
    /// one is kept: the one that delivered the most whole minutes of the hour (not skipped), then the most records.
    /// </summary>
    public static readonly ProcedureQuery CountedCaptures = new("counted_captures", "The capture counted per interface and hour.",
        "CREATE OR REPLACE TABLE counted_captures AS " + CountedCapturesOf("true"));

    static string CountedCapturesOf(string minutesWhere) => $"""
        SELECT interface_id, hour_no, capture FROM (
          SELECT interface_id, minute // 60 AS hour_no, capture,
                 count(*) FILTER (WHERE logged AND NOT skipped) AS whole_minutes, coalesce(sum(records), 0) AS records
          FROM capture_minutes WHERE {minutesWhere} GROUP BY ALL)
        QUALIFY row_number() OVER (PARTITION BY interface_id, hour_no ORDER BY whole_minutes DESC, records DESC, capture) = 1
        """;

    /// <summary>
    /// Per own address and minute, whether its interface was observed by the counted capture: <c>whole</c> when records
    /// were delivered and none skipped. Decides whose copy of a journey counts (needs <c>fnb_interfaces</c> of the whole case).
    /// </summary>
    public static readonly ProcedureQuery ObservedMinutes = new("observed_minutes", "Minutes each address's interface was observed.",
        "CREATE OR REPLACE TABLE observed_minutes AS " + ObservedMinutesOf("true"));

    static string ObservedMinutesOf(string minutesWhere) => $"""
        SELECT i.own_ip, m.minute, min(m.interface_id) AS interface_id, bool_and(m.logged AND NOT m.skipped) AS whole
        FROM capture_minutes m
        SEMI JOIN counted_captures p ON p.interface_id = m.interface_id AND p.hour_no = m.minute // 60 AND p.capture = m.capture
        JOIN fnb_interfaces i ON i.interface_id = m.interface_id
        WHERE i.own_ip IS NOT NULL AND {minutesWhere}
        GROUP BY ALL
        """;

    /// <summary>
    /// The records starting from <c>$day_from</c> to <c>$day_to</c> counted once. Decided: the capture per interface and
    /// hour, exact copies (same values, two objects), and whose copy of a journey counts, judged at the minute the record
    /// started: the sender's own copy when the sender's interface was observed whole that minute; else the receiver's when
    /// its interface was; else a relay's (a NAT gateway) that was observed whole; and only when no observer saw that
    /// minute whole (SKIPDATA), the copy of the first that logged anything, in the same order. Built in ranges of hours of
    /// one day (<see cref="RecordsPerCount"/> records at most), so memory follows a range, not the case; the result does
    /// not depend on how the case is cut (tested): every decision is local in time, and a range reads the records of the
    /// hour before it that reach into it (a relay's copy spans minutes of the range). It reads them through
    /// <c>flows_starting</c>, which skips the row groups of other hours (a filter on <c>flows</c> reads every one). Its
    /// parts are NOT MATERIALIZED, so those read twice are read again from the range's row groups: materialized, a range's
    /// records were kept twice (the picked ones, then with their observers) and spilled to disk at the case's memory limit
    /// (one day of the 10^7 case: 3.2 s, 550 MB spilled; not materialized, 1.6 s and none).
    /// </summary>
    public static readonly ProcedureQuery Build = new("counted_records", "The case's records of a range of hours counted once, with their observer.", $$"""
        WITH fc AS NOT MATERIALIZED (
          -- The range's records, and those of the hour before that reach into it: a relay's copy spans the range's minutes.
          SELECT f.*, coalesce(f.flow_log_id, c.capture) AS capture, epoch(f.start_time)::BIGINT // 60 AS minute
          FROM flows_starting($day_from - INTERVAL 1 HOUR, $day_to) f JOIN evidence_captures c USING (evidence_id)
          WHERE (f.start_time >= $day_from OR f.end_time >= $day_from)
            AND coalesce(f.log_status, 'OK') = 'OK' AND f.srcaddr IS NOT NULL),
        picked AS NOT MATERIALIZED (
          SELECT interface_id, minute,
                 coalesce(pkt_srcaddr, srcaddr) AS src, coalesce(pkt_srcaddr_v6, srcaddr_v6) AS src_v6,
                 coalesce(pkt_dstaddr, dstaddr) AS dst, coalesce(pkt_dstaddr_v6, dstaddr_v6) AS dst_v6,
                 srcaddr, srcaddr_v6, dstaddr, dstaddr_v6,
                 srcport, dstport, protocol, packets, bytes, start_time, end_time, action, tcp_flags,
                 pkt_src_aws_service, pkt_dst_aws_service, evidence_id, line,
                 hash(interface_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr, srcport, dstport, protocol, packets, bytes,
                      start_time, end_time, action, tcp_flags, pkt_src_aws_service, pkt_dst_aws_service) AS h
          FROM fc SEMI JOIN counted_captures p
            ON fc.interface_id = p.interface_id AND fc.minute // 60 = p.hour_no AND fc.capture = p.capture),
        repeated AS (
          -- Exact copies share a hash; only those few rows are compared column by column (a hash collision is not a copy).
          SELECT h FROM picked GROUP BY h HAVING count(*) > 1),
        w AS NOT MATERIALIZED (
          SELECT * EXCLUDE (h), 1 AS copies FROM picked ANTI JOIN repeated USING (h)
          UNION ALL BY NAME
          SELECT * EXCLUDE (h, n), n AS copies FROM (
            -- The first copy's line, by evidence id then line: by the id alone, a record twice in one object left the
            -- line to the order DuckDB met the rows in (two builds of the 10^8 case cited different lines).
            SELECT * EXCLUDE (evidence_id, line), min(evidence_id) AS evidence_id, arg_min(line, [evidence_id, line]) AS line, count(*) AS n
            FROM (SELECT * FROM picked SEMI JOIN repeated USING (h)) GROUP BY ALL)),
        observed AS NOT MATERIALIZED (
          SELECT w.*, i.role AS observer_role, i.own_ip AS observer_ip,
                 CASE WHEN w.src = i.own_ip THEN 'sender' WHEN w.dst = i.own_ip THEN 'receiver' ELSE 'relay' END AS observer,
                 s.interface_id AS src_interface, d.interface_id AS dst_interface,
                 coalesce(s.whole, false) AS src_whole, coalesce(d.whole, false) AS dst_whole,
                 coalesce(o.whole, true) AS own_whole,
                 coalesce(i.role = 'nat_gateway' AND i.has_pkt AND (w.src = i.own_ip OR w.dst = i.own_ip), false) AS translated
          FROM w LEFT JOIN fnb_interfaces i ON i.interface_id = w.interface_id
          LEFT JOIN observed_minutes s ON s.own_ip = w.src AND s.minute = w.minute
          LEFT JOIN observed_minutes d ON d.own_ip = w.dst AND d.minute = w.minute
          LEFT JOIN observed_minutes o ON o.own_ip = i.own_ip AND o.minute = w.minute),
        skipped AS (
          -- The minutes an address's interface was logged but not whole (SKIPDATA; few): only there is a relay's view needed.
          SELECT own_ip, minute FROM observed_minutes WHERE NOT whole AND minute >= epoch($day_from)::BIGINT // 60
                                                            AND minute < epoch($day_to)::BIGINT // 60),
        relay_minutes AS (
          -- The minutes a relay observed whole saw a journey of such an address (its record's whole span, up to an hour):
          -- a relay's record names neither address of its interface (the observer 'relay' of observed, never translated).
          SELECT src, dst, m AS minute
          FROM (SELECT p.src, p.dst, p.minute, p.end_time
                FROM picked p LEFT JOIN fnb_interfaces i ON i.interface_id = p.interface_id
                LEFT JOIN observed_minutes o ON o.own_ip = i.own_ip AND o.minute = p.minute
                WHERE p.src IS DISTINCT FROM i.own_ip AND p.dst IS DISTINCT FROM i.own_ip AND coalesce(o.whole, true)
                  AND (p.src IN (SELECT own_ip FROM skipped) OR p.dst IN (SELECT own_ip FROM skipped))),
               unnest(range(minute, least(greatest(epoch(end_time)::BIGINT // 60, minute), minute + 60) + 1)) AS t(m)),
        relayed AS (
          SELECT src, dst, minute FROM relay_minutes r SEMI JOIN skipped s ON s.own_ip = r.src AND s.minute = r.minute
          UNION
          SELECT src, dst, minute FROM relay_minutes r SEMI JOIN skipped s ON s.own_ip = r.dst AND s.minute = r.minute)
        -- The observer, its role and address follow from the interface (counting_interfaces): counted_flows shows them.
        SELECT o.* EXCLUDE (src_whole, dst_whole, own_whole, minute, srcaddr, srcaddr_v6, dstaddr, dstaddr_v6, observer, observer_role, observer_ip),
               -- An IPv4 address's number read from its text once, here, for the row kept (records store the text only).
               {{CaseSchema.IPv4Number("o.src")}} AS src_v4, {{CaseSchema.IPv4Number("o.dst")}} AS dst_v4,
               -- The interface's addresses kept only where they are not the packet's (a relay's, a NAT leg's: few).
               o.srcaddr IS DISTINCT FROM o.src OR o.dstaddr IS DISTINCT FROM o.dst AS logged_other,
               CASE WHEN logged_other THEN o.srcaddr END AS srcaddr, CASE WHEN logged_other THEN {{CaseSchema.IPv4Number("o.srcaddr")}} END AS srcaddr_v4,
               CASE WHEN logged_other THEN o.srcaddr_v6 END AS srcaddr_v6, CASE WHEN logged_other THEN o.dstaddr END AS dstaddr,
               CASE WHEN logged_other THEN {{CaseSchema.IPv4Number("o.dstaddr")}} END AS dstaddr_v4, CASE WHEN logged_other THEN o.dstaddr_v6 END AS dstaddr_v6,
               CASE WHEN o.src_whole THEN o.observer = 'sender'
                    WHEN o.dst_whole THEN o.observer = 'receiver'
                    WHEN r.src IS NOT NULL THEN o.observer = 'relay' AND o.own_whole
                    WHEN o.src_interface IS NOT NULL THEN o.observer = 'sender'
                    WHEN o.dst_interface IS NOT NULL THEN o.observer = 'receiver'
                    ELSE o.observer = 'relay' END AS counts
        FROM observed o LEFT JOIN relayed r ON r.src = o.src AND r.dst = o.dst AND r.minute = o.minute
        WHERE o.start_time >= $day_from
        """);

    /// <summary>
    /// The counted records as every procedure and analyst reads them: <c>counted_records</c> with the interface's
    /// addresses (the packet's where the record logged no other), the times as <c>TIMESTAMP</c>, and the observer with its
    /// role and address from the interfaces the counting used. Stored narrower than read: most records' interface
    /// addresses are the packet's, and two copies of each address cost a fifth of the table; the observer's three text
    /// columns, one per record, took a quarter of the time of writing a day's counted records at 10^7 (2.44M records:
    /// 1.44–1.49 s without them, 1.94–1.95 s with them), and follow from the interface as the build decides them.
    /// </summary>
    public static readonly ProcedureQuery Counted = new("counted_flows", "The counted records as procedures read them.", $"""
        CREATE OR REPLACE VIEW counted_flows AS
        SELECT {ColumnsBeforeObserver}, {ObserverColumns}, {ColumnsAfterObserver}
        FROM counted_records LEFT JOIN counting_interfaces i USING (interface_id)
        """);

    /// <summary>The counted records as <c>counted_flows</c> shows them but without the observer (no join to the
    /// interfaces): what <c>counted_traffic</c> is built from (one 10^7 case's, 1.43–1.45 s against 2.19 s through
    /// <c>counted_flows</c>). The procedures read <c>counted_flows</c>: at 10^8 the seven took 32.3 and 33.3 s without
    /// the join where they need no observer, 31.7 and 33.5 s with it.</summary>
    internal const string Unobserved = $"SELECT {ColumnsBeforeObserver}, {ColumnsAfterObserver} FROM counted_records";

    // counted_flows' columns over counted_records, before and after the observer's.
    const string ColumnsBeforeObserver = """
        interface_id, src, src_v4, src_v6, dst, dst_v4, dst_v6,
               CASE WHEN logged_other THEN srcaddr ELSE src END AS srcaddr, CASE WHEN logged_other THEN srcaddr_v4 ELSE src_v4 END AS srcaddr_v4,
               CASE WHEN logged_other THEN srcaddr_v6 ELSE src_v6 END AS srcaddr_v6, CASE WHEN logged_other THEN dstaddr ELSE dst END AS dstaddr,
               CASE WHEN logged_other THEN dstaddr_v4 ELSE dst_v4 END AS dstaddr_v4, CASE WHEN logged_other THEN dstaddr_v6 ELSE dst_v6 END AS dstaddr_v6,
               srcport, dstport, protocol, packets, bytes, start_time::TIMESTAMP AS start_time, end_time::TIMESTAMP AS end_time, action, tcp_flags,
               pkt_src_aws_service, pkt_dst_aws_service, evidence_id, line, copies
        """;

    const string ColumnsAfterObserver = "src_interface, dst_interface, translated, counts";

    // A record's observer, its role and address, from the interface the counting used (counting_interfaces as i, joined
    // on the interface): as the build decides them.
    const string ObserverColumns = """
        i.role AS observer_role, i.own_ip AS observer_ip,
               CASE WHEN src = i.own_ip THEN 'sender' WHEN dst = i.own_ip THEN 'receiver' ELSE 'relay' END AS observer
        """;

    /// <summary>The one way to count for ad-hoc SQL: each packet journey once (its counted copy, the NAT gateway's translated
    /// legs left out), with text addresses. <c>flows</c> keeps every copy, so sums over it count a journey once per
    /// interface that logged it.</summary>
    public static readonly ProcedureQuery Journeys = new("counted_journeys", "Each packet journey once, for ad-hoc SQL.", """
        CREATE OR REPLACE VIEW counted_journeys AS SELECT * FROM counted_flows WHERE counts AND NOT translated
        """);

    /// <summary>Every address the counted records name (the packet's and the interface's), numbered in text order (so an
    /// order or a comparison of ids is that of the text), with its numeric forms for CIDR tests. Ids are spaced
    /// (<see cref="AddressSpacing"/> apart) so that addresses a later day brings take ids between their neighbours in text
    /// order without renumbering the 10^8 records already counted.</summary>
    public static readonly ProcedureQuery Addresses = new("case_addresses", "Addresses of the counted records, numbered in text order.", $"""
        CREATE OR REPLACE TABLE case_addresses AS
        WITH a AS ({AddressesOf("true")})
        SELECT (row_number() OVER (ORDER BY ip) * (SELECT greatest(1, least({AddressSpacing}, 2147483647 // (count(*) + 1))) FROM a))::INTEGER AS address_id,
               ip, ip_v4, ip_v6
        FROM a
        """);

    /// <summary>The gap between neighbouring address ids of a whole-case build (fewer when the case has over 33M addresses).</summary>
    internal const int AddressSpacing = 64;

    static string AddressesOf(string where) => $"""
        SELECT * FROM (SELECT src AS ip, src_v4 AS ip_v4, src_v6 AS ip_v6 FROM counted_records WHERE {where}
              UNION SELECT dst, dst_v4, dst_v6 FROM counted_records WHERE {where}
              -- The interface's own where it is not the packet's (elsewhere counted_flows shows the packet's).
              UNION SELECT srcaddr, srcaddr_v4, srcaddr_v6 FROM counted_records WHERE logged_other AND {where}
              UNION SELECT dstaddr, dstaddr_v4, dstaddr_v6 FROM counted_records WHERE logged_other AND {where})
        WHERE ip IS NOT NULL
        """;

    /// <summary>
    /// The records that count, less the NAT gateway's translated legs (the packet journeys every aggregation sums), in numbers:
    /// grouping 10^8 records by address ids and reading no text column is several times cheaper than by address text.
    /// <c>accepted</c> is action = ACCEPT (NULL when a custom format left the action out, like the comparison on the text).
    /// </summary>
    public static readonly ProcedureQuery Traffic = new("counted_traffic", "The counted journeys with address ids.",
        "CREATE OR REPLACE TABLE counted_traffic AS " + TrafficOf("true"));

    static string TrafficOf(string where) => $"""
        SELECT s.address_id AS src_id, d.address_id AS dst_id, c.src_v4, c.src_v6, c.dst_v4, c.dst_v6,
               c.srcport, c.dstport, c.protocol, c.packets, c.bytes, c.start_time, c.end_time, c.action = 'ACCEPT' AS accepted, c.tcp_flags,
               c.interface_id, c.pkt_src_aws_service, c.pkt_dst_aws_service
        FROM ({Unobserved}) c LEFT JOIN case_addresses s ON s.ip = c.src LEFT JOIN case_addresses d ON d.ip = c.dst
        WHERE c.counts AND NOT c.translated AND {where}
        """;
}

/// <summary>Counting a case's journeys: the start of the hours being counted, parts done of all, time so far.</summary>
public readonly record struct CountingProgress(DateTime From, int Done, int Parts, TimeSpan Elapsed);
