using System.Diagnostics;
using System.Globalization;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// Evidence added to a counted case recounts only the hours it touches. Every decision of the counting is local in time
/// (the capture per interface and hour, the minutes each capture delivered, whose copy counts at a minute): a record
/// logs minutes up to an hour past its start, and a relay's copy reaches an hour further, so new records change the
/// hour they start in and the two after it, and nothing else. The rest of the case is left as it was (a conversation
/// pair, kept per day, is summed again for the day when the recount removed or added a record of it). An update gives the
/// tables a whole-case build gives (tested), and falls back to that build when what it cannot see changed: the
/// inventory, the flow-log configuration, evidence removed, an interface's own address or role, records without a time.
/// </summary>
public static partial class CountedFlows
{
    /// <summary>A record (by its start column) in an hour being recounted.</summary>
    static string InUpdatedHours(string column) =>
        $"{column} >= $lo AND {column} < $hi AND time_bucket(INTERVAL 1 HOUR, {column}) IN (SELECT hour FROM fnb_update_hours)";

    /// <summary>The records starting from the first recounted hour to the last: read through <c>flows_starting</c>, an
    /// update reads those hours' row groups, not every record of the case.</summary>
    const string UpdatedRecords = "flows_starting($lo, $hi)";

    /// <summary>A minute number in an hour being recounted.</summary>
    static string MinuteInUpdatedHours(string minute) => $"{minute} // 60 IN (SELECT hour_no FROM fnb_update_hours)";

    /// <summary>A record (by its start column) in a day whose conversation pairs are summed again.</summary>
    static string InUpdatedDays(string column) =>
        $"{column} >= $lo_day AND {column} < $hi_day AND time_bucket(INTERVAL 1 DAY, {column}) IN (SELECT day FROM fnb_update_days)";

    /// <summary>The hours new evidence (<c>evidence_id &gt; $counted_evidence</c>) recounts: the hour each new record
    /// starts in and the two after it.</summary>
    public static readonly ProcedureQuery UpdateHours = new("fnb_update_hours", "The hours new evidence recounts.", """
        CREATE OR REPLACE TEMP TABLE fnb_update_hours AS
        SELECT hour, epoch(hour)::BIGINT // 3600 AS hour_no FROM (
          SELECT DISTINCT time_bucket(INTERVAL 1 HOUR, start_time + INTERVAL (h) HOUR) AS hour
          FROM (SELECT DISTINCT time_bucket(INTERVAL 1 HOUR, start_time) AS start_time FROM flows WHERE evidence_id > $counted_evidence),
               (VALUES (0), (1), (2)) AS t(h))
        WHERE hour IS NOT NULL
        """);

    /// <summary>The days of the recounted hours (the conversation pairs are kept per day).</summary>
    public static readonly ProcedureQuery UpdateDays = new("fnb_update_days", "The days of the recounted hours.", """
        CREATE OR REPLACE TEMP TABLE fnb_update_days AS SELECT DISTINCT time_bucket(INTERVAL 1 DAY, hour) AS day FROM fnb_update_hours
        """);

    /// <summary>The addresses the recounted hours' counted records name after the recount.</summary>
    static readonly ProcedureQuery RecountedAddresses = new("fnb_recounted_addresses", "Addresses of the recounted hours' counted records.",
        "CREATE OR REPLACE TEMP TABLE fnb_recounted_addresses AS " + AddressesOf(InUpdatedHours("start_time")));

    /// <summary>
    /// The addresses the recounted hours bring, each given an id between its neighbours' in text order (so ids keep
    /// comparing as the text does): the k-th of n new addresses between ids lo and hi takes lo + k·(hi − lo) / (n + 1).
    /// <c>fits</c> is false where the gap is too small; then every address is numbered again. The neighbours are found
    /// by two as-of joins: numbering the case's addresses in text order with window functions took 26 s of an update
    /// on the 10^8 case (2.9M addresses), the joins under 2 s.
    /// </summary>
    public static readonly ProcedureQuery NewAddresses = new("fnb_new_addresses", "The new addresses with ids between their neighbours'.", $"""
        CREATE OR REPLACE TEMP TABLE fnb_new_addresses AS
        WITH new AS (SELECT * FROM fnb_recounted_addresses ANTI JOIN case_addresses USING (ip)),
        below AS (SELECT n.*, coalesce(c.address_id, 0)::BIGINT AS lo FROM new n ASOF LEFT JOIN case_addresses c ON n.ip > c.ip),
        placed AS (SELECT b.*, c.address_id::BIGINT AS hi FROM below b ASOF LEFT JOIN case_addresses c ON b.ip < c.ip),
        gaps AS (
          SELECT ip, ip_v4, ip_v6, lo, coalesce(hi, lo + (count(*) OVER (PARTITION BY lo) + 1) * {AddressSpacing}) AS hi,
                 row_number() OVER (PARTITION BY lo ORDER BY ip) AS k, count(*) OVER (PARTITION BY lo) AS n
          FROM placed)
        SELECT ip, ip_v4, ip_v6, lo + k * ((hi - lo) // (n + 1)) AS address_id, hi - lo > n AND hi < 2147483647 AS fits FROM gaps
        """);

    /// <summary>The statements that recount the updated hours, table by table: the rows of those hours removed, then built
    /// again by the whole-case statement's own body limited to them.</summary>
    public static readonly IReadOnlyList<ProcedureQuery> UpdateStatements =
    [
        UpdateHours,
        UpdateDays,
        new("interface_hours", "Remove the updated hours' interface hours.", $"DELETE FROM interface_hours WHERE {InUpdatedHours("hour")}"),
        new("interface_hours", "Count the updated hours' interface hours.", "INSERT INTO interface_hours " + InterfaceHoursOf(UpdatedRecords, "WHERE " + InUpdatedHours("start_time"))),
        new("skipdata_records", "Remove the updated hours' SKIPDATA records.", $"DELETE FROM skipdata_records WHERE {InUpdatedHours("start_time")}"),
        new("skipdata_records", "The updated hours' SKIPDATA records.", "INSERT INTO skipdata_records " + SkipDataOf(UpdatedRecords, InUpdatedHours("start_time"))),
        new("capture_minutes", "Remove the updated hours' capture minutes.", $"DELETE FROM capture_minutes WHERE {MinuteInUpdatedHours("minute")}"),
        // A record logs minutes up to an hour past its start: those starting in an updated hour or the hour before it.
        new("capture_minutes", "The updated hours' capture minutes.", "INSERT INTO capture_minutes " + CaptureMinutesOf("flows_starting($lo - INTERVAL 1 HOUR, $hi)",
            "f.start_time >= $lo - INTERVAL 1 HOUR AND f.start_time < $hi AND (time_bucket(INTERVAL 1 HOUR, f.start_time) IN (SELECT hour FROM fnb_update_hours) "
            + "OR time_bucket(INTERVAL 1 HOUR, f.start_time + INTERVAL 1 HOUR) IN (SELECT hour FROM fnb_update_hours))", MinuteInUpdatedHours("m"))),
        new("counted_captures", "Remove the updated hours' counted captures.", "DELETE FROM counted_captures WHERE hour_no IN (SELECT hour_no FROM fnb_update_hours)"),
        new("counted_captures", "The updated hours' counted captures.", "INSERT INTO counted_captures " + CountedCapturesOf(MinuteInUpdatedHours("minute"))),
        new("observed_minutes", "Remove the updated hours' observed minutes.", $"DELETE FROM observed_minutes WHERE {MinuteInUpdatedHours("minute")}"),
        new("observed_minutes", "The updated hours' observed minutes.", "INSERT INTO observed_minutes " + ObservedMinutesOf(MinuteInUpdatedHours("m.minute"))),
        new("fnb_update_addresses", "Addresses of the updated hours' counted records before the recount.",
            "CREATE OR REPLACE TEMP TABLE fnb_update_addresses AS " + AddressesOf(InUpdatedHours("start_time"))),
        new("counted_records", "Remove a recounted range's counted records.", "DELETE FROM counted_records WHERE start_time >= $day_from AND start_time < $day_to"),
        // Read once: both the new addresses and those the recount may have left unnamed are found against it.
        RecountedAddresses,
        NewAddresses,
        new("case_addresses", "Number the new addresses.", "INSERT INTO case_addresses SELECT address_id::INTEGER, ip, ip_v4, ip_v6 FROM fnb_new_addresses"),
        new("fnb_gone_addresses", "Addresses the recount may have left unnamed.", $"""
            CREATE OR REPLACE TEMP TABLE fnb_gone_addresses AS
            SELECT ip FROM fnb_update_addresses ANTI JOIN fnb_recounted_addresses USING (ip)
            """),
        new("case_addresses", "Remove the addresses no counted record names any more.", $"""
            DELETE FROM case_addresses WHERE ip IN (SELECT ip FROM fnb_gone_addresses ANTI JOIN ({AddressesOf("true")}) USING (ip))
            """),
        // A pair's day is summed again when a record of it was removed or added: its pairs before the recount and after.
        new("fnb_update_pairs", "The updated hours' conversation pairs before the recount.",
            "CREATE OR REPLACE TEMP TABLE fnb_update_pairs AS " + ConversationDays.PairsOf(InUpdatedHours("start_time"))),
        new("counted_traffic", "Remove the updated hours' traffic.", $"DELETE FROM counted_traffic WHERE {InUpdatedHours("start_time")}"),
        new("counted_traffic", "The updated hours' traffic.", "INSERT INTO counted_traffic " + TrafficOf(InUpdatedHours("c.start_time"))),
        new("fnb_update_pairs", "The updated hours' conversation pairs after the recount.",
            "INSERT INTO fnb_update_pairs " + ConversationDays.PairsOf(InUpdatedHours("start_time"))),
        new("conversation_days", "Remove the updated pairs' days.",
            $"DELETE FROM conversation_days c USING fnb_update_pairs p WHERE {ConversationDays.SamePair("p", "c")}"),
        // Only those pairs' records of the days are summed: a 10^8 day is 33M records, and an hour's new evidence names
        // few of its pairs (summing the whole day took 10.1 s of a one-page update there).
        new("conversation_days", "The updated pairs' days summed again.",
            "INSERT INTO conversation_days " + ConversationDays.BuildOf(InUpdatedDays("start_time"), "fnb_update_pairs")),
        new("traffic_days", "Remove the updated days' spans.", "DELETE FROM traffic_days WHERE day IN (SELECT day FROM fnb_update_days)"),
        new("traffic_days", "The updated days' spans.", "INSERT INTO traffic_days " + ConversationDays.SpansOf(InUpdatedDays("start_time"))),
    ];

    /// <summary>What an update needs of the last build: the evidence it counted and the configuration it used.</summary>
    sealed record CountedBasis(long Objects, long LastEvidenceId, string Configuration)
    {
        public static CountedBasis? Parse(string? state) =>
            state?.Split('/', 3) is [var n, var id, var rest]
            && long.TryParse(n, CultureInfo.InvariantCulture, out var objects) && long.TryParse(id, CultureInfo.InvariantCulture, out var last)
                ? new CountedBasis(objects, last, rest) : null;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Objects}/{LastEvidenceId}/{Configuration}");
    }

    // The last build's evidence is all still there, only objects after it were added, the configuration is the same,
    // every new record has a time, and counted_records can hold its times.
    static bool CanUpdate(CaseStore store, CountedBasis built, CountedBasis now) =>
        built.Configuration == now.Configuration && now.LastEvidenceId > built.LastEvidenceId
        && store.Scalar<long>("SELECT count(*) FROM evidence WHERE evidence_id <= $1", built.LastEvidenceId) == built.Objects
        && store.Scalar<long>("SELECT count(*) FROM flows WHERE evidence_id > $1 AND start_time IS NULL", built.LastEvidenceId) == 0
        && store.HasTable("counting_interfaces") && store.HasTable("traffic_days")
        && UpdateKeepsTimes(store);

    /// <summary>The interfaces the observer decision used: <c>counted_flows</c> reads each record's observer from them, and
    /// an update compares them with the case's interfaces to tell whether it may keep the other hours.</summary>
    static readonly ProcedureQuery KeepInterfaces = new("counting_interfaces", "The interfaces the counting used.", """
        CREATE OR REPLACE TABLE counting_interfaces AS SELECT interface_id, own_ip, role, has_pkt FROM fnb_interfaces
        """);

    // An interface the other hours were decided with that now has another address, role or pkt-* use (or is gone).
    const string InterfacesChanged = """
        SELECT count(*) FROM counting_interfaces o LEFT JOIN fnb_interfaces n USING (interface_id)
        WHERE n.interface_id IS NULL OR o.own_ip IS DISTINCT FROM n.own_ip OR o.role IS DISTINCT FROM n.role OR o.has_pkt IS DISTINCT FROM n.has_pkt
        """;

    /// <summary>Recounts the hours the evidence after <paramref name="built"/> touches; false (tables to be built whole) when
    /// an interface the other hours were decided with changed.</summary>
    static bool Update(CaseStore store, CountedBasis built, IProgress<CountingProgress>? progress, Stopwatch clock)
    {
        using var recording = store.Record();
        var values = new Dictionary<string, object?> { ["counted_evidence"] = built.LastEvidenceId };
        void Run(ProcedureQuery q)
        {
            var (sql, ps) = q.Render(values);
            store.Execute(sql, [.. ps]);
        }
        Run(UpdateHours);
        Run(UpdateDays);
        var hours = store.Query("SELECT hour FROM fnb_update_hours ORDER BY hour").Rows.Select(r => (DateTime)r[0]!).ToList();
        values["lo"] = hours.Count > 0 ? hours[0] : DateTime.UnixEpoch;
        values["hi"] = hours.Count > 0 ? hours[^1].AddHours(1) : DateTime.UnixEpoch;
        values["lo_day"] = hours.Count > 0 ? hours[0].Date : DateTime.UnixEpoch;
        values["hi_day"] = hours.Count > 0 ? hours[^1].Date.AddDays(1) : DateTime.UnixEpoch;
        var steps = UpdateStatements.Skip(2).ToList();
        // The capture of each object and the own address of interfaces the inventory lacks are small: made whole (the
        // guess once interface_hours holds the new records' interfaces).
        store.Execute(EvidenceCaptures.Sql);
        foreach (var q in steps.TakeWhile(q => q.Name != "observed_minutes")) Run(q);
        store.Execute(OwnAddressGuess.Sql);
        CaseInterfaces.Prepare(store, CaseSpan(store, values), []);
        if (store.Scalar<long>(InterfacesChanged) > 0) return false;
        foreach (var q in steps.SkipWhile(q => q.Name != "observed_minutes").TakeWhile(q => q.Name != "counted_records")) Run(q);
        // interface_hours holds the recounted hours' records by now.
        var ranges = Ranges(HourRecords(store, "SELECT hour FROM fnb_update_hours"));
        var done = 0;
        foreach (var (from, to) in ranges)
        {
            progress?.Report(new CountingProgress(from, done++, ranges.Count, clock.Elapsed));
            values["day_from"] = from;
            values["day_to"] = to;
            Run(steps.First(q => q.Name == "counted_records"));
            Run(Build with { Sql = "INSERT INTO counted_records " + Build.Sql });
        }
        Run(RecountedAddresses);
        Run(NewAddresses);
        if (store.Scalar<long>("SELECT count(*) FROM fnb_new_addresses WHERE NOT fits") > 0)
        {
            // No room between neighbours: number every address again, and re-key the journeys and pairs with the new ids.
            foreach (var q in new[] { Addresses, Traffic, ConversationDays.Build, ConversationDays.Spans }) store.Execute(q.Sql);
        }
        else
            foreach (var q in steps.SkipWhile(q => q.Name != "fnb_new_addresses").Skip(1))
            {
                // Looking for an address no record names any more reads every counted record: only when one may be gone.
                if (q.Name == "case_addresses" && q.Sql.StartsWith("DELETE", StringComparison.Ordinal)
                    && store.Scalar<long>("SELECT count(*) FROM fnb_gone_addresses") == 0) continue;
                Run(q);
            }
        store.Execute(KeepInterfaces.Sql);
        DerivedTablesRecord.Append(store, recording.Statements, values);
        return true;
    }

    // The case's span, for the observer decision's interfaces (of the whole case, as a whole build takes them).
    static Dictionary<string, object?> CaseSpan(CaseStore store, Dictionary<string, object?> values)
    {
        var span = store.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        values["from"] = span[0] as DateTime? ?? DateTime.UnixEpoch;
        values["to"] = (span[1] as DateTime?)?.AddSeconds(1) ?? DateTime.UnixEpoch;
        return values;
    }
}
