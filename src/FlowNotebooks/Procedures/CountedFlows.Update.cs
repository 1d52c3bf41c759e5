using System.Diagnostics;
using System.Globalization;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// Evidence added to a counted case recounts only the days it touches. Every decision of the counting is local in time
/// (the capture per interface and hour, the minutes each capture delivered, whose copy counts at a minute), so a day's
/// counted records depend on that day's records and on at most the last hour before it: new records starting in a day,
/// or up to two hours before it, are all that can change it. The rest of the case is left as it was. An update gives the
/// tables a whole-case build gives (tested), and falls back to that build when what it cannot see changed: the
/// inventory, the flow-log configuration, evidence removed, an interface's own address or role, records without a time.
/// </summary>
public static partial class CountedFlows
{
    /// <summary>A record (by its start column) in a day being recounted.</summary>
    static string InUpdatedDays(string column) =>
        $"{column} >= $lo AND {column} < $hi AND time_bucket(INTERVAL 1 DAY, {column}) IN (SELECT day FROM fnb_update_days)";

    /// <summary>A minute number in a day being recounted.</summary>
    static string MinuteInUpdatedDays(string minute) => $"{minute} // 1440 IN (SELECT day_no FROM fnb_update_days)";

    /// <summary>The days new evidence (<c>evidence_id &gt; $counted_evidence</c>) recounts: the day each new record starts
    /// in, and the day two hours later (a record's minutes run up to an hour past its start, and whose copy counts at a
    /// minute looks an hour back).</summary>
    public static readonly ProcedureQuery UpdateDays = new("fnb_update_days", "The days new evidence recounts.", """
        CREATE OR REPLACE TEMP TABLE fnb_update_days AS
        SELECT day, epoch(day)::BIGINT // 86400 AS day_no FROM (
          SELECT time_bucket(INTERVAL 1 DAY, start_time) AS day FROM flows WHERE evidence_id > $counted_evidence
          UNION
          SELECT time_bucket(INTERVAL 1 DAY, start_time + INTERVAL 2 HOUR) FROM flows WHERE evidence_id > $counted_evidence)
        WHERE day IS NOT NULL
        """);

    /// <summary>
    /// The addresses the recounted days bring, each given an id between its neighbours' in text order (so ids keep
    /// comparing as the text does): the k-th of n new addresses between ids lo and hi takes lo + k·(hi − lo) / (n + 1).
    /// <c>fits</c> is false where the gap is too small; then every address is numbered again.
    /// </summary>
    public static readonly ProcedureQuery NewAddresses = new("fnb_new_addresses", "The new addresses with ids between their neighbours'.", $"""
        CREATE OR REPLACE TEMP TABLE fnb_new_addresses AS
        WITH new AS (SELECT * FROM ({AddressesOf(InUpdatedDays("start_time"))}) ANTI JOIN case_addresses USING (ip)),
        placed AS (
          SELECT ip, ip_v4, ip_v6, address_id,
                 coalesce(max(address_id) OVER (ORDER BY ip ROWS UNBOUNDED PRECEDING), 0)::BIGINT AS lo,
                 (min(address_id) OVER (ORDER BY ip ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING))::BIGINT AS hi
          FROM (SELECT ip, ip_v4, ip_v6, NULL::INTEGER AS address_id FROM new
                UNION ALL SELECT ip, NULL, NULL, address_id FROM case_addresses)),
        gaps AS (
          SELECT ip, ip_v4, ip_v6, lo, coalesce(hi, lo + (count(*) OVER (PARTITION BY lo) + 1) * {AddressSpacing}) AS hi,
                 row_number() OVER (PARTITION BY lo ORDER BY ip) AS k, count(*) OVER (PARTITION BY lo) AS n
          FROM placed WHERE address_id IS NULL)
        SELECT ip, ip_v4, ip_v6, lo + k * ((hi - lo) // (n + 1)) AS address_id, hi - lo > n AND hi < 2147483647 AS fits FROM gaps
        """);

    /// <summary>The statements that recount the updated days, table by table: the rows of those days removed, then built
    /// again by the whole-case statement's own body limited to those days.</summary>
    public static readonly IReadOnlyList<ProcedureQuery> UpdateStatements =
    [
        UpdateDays,
        new("interface_hours", "Remove the updated days' interface hours.", $"DELETE FROM interface_hours WHERE {InUpdatedDays("hour")}"),
        new("interface_hours", "Count the updated days' interface hours.", "INSERT INTO interface_hours " + InterfaceHoursOf("WHERE " + InUpdatedDays("start_time"))),
        new("skipdata_records", "Remove the updated days' SKIPDATA records.", $"DELETE FROM skipdata_records WHERE {InUpdatedDays("start_time")}"),
        new("skipdata_records", "The updated days' SKIPDATA records.", "INSERT INTO skipdata_records " + SkipDataOf(InUpdatedDays("start_time"))),
        new("capture_minutes", "Remove the updated days' capture minutes.", $"DELETE FROM capture_minutes WHERE {MinuteInUpdatedDays("minute")}"),
        // A record that started in the hour before a day logs minutes of it.
        new("capture_minutes", "The updated days' capture minutes.", "INSERT INTO capture_minutes " + CaptureMinutesOf(
            "f.start_time >= $lo - INTERVAL 61 MINUTE AND f.start_time < $hi", MinuteInUpdatedDays("m"))),
        new("counted_captures", "Remove the updated days' counted captures.", "DELETE FROM counted_captures WHERE hour_no // 24 IN (SELECT day_no FROM fnb_update_days)"),
        new("counted_captures", "The updated days' counted captures.", "INSERT INTO counted_captures " + CountedCapturesOf(MinuteInUpdatedDays("minute"))),
        new("observed_minutes", "Remove the updated days' observed minutes.", $"DELETE FROM observed_minutes WHERE {MinuteInUpdatedDays("minute")}"),
        new("observed_minutes", "The updated days' observed minutes.", "INSERT INTO observed_minutes " + ObservedMinutesOf(MinuteInUpdatedDays("m.minute"))),
        new("fnb_update_addresses", "Addresses of the updated days' counted records before the recount.",
            "CREATE OR REPLACE TEMP TABLE fnb_update_addresses AS " + AddressesOf(InUpdatedDays("start_time"))),
        new("counted_flows", "Remove a recounted day's counted records.", "DELETE FROM counted_flows WHERE start_time >= $day_from AND start_time < $day_to"),
        NewAddresses,
        new("case_addresses", "Number the new addresses.", "INSERT INTO case_addresses SELECT address_id::INTEGER, ip, ip_v4, ip_v6 FROM fnb_new_addresses"),
        new("fnb_gone_addresses", "Addresses the recount may have left unnamed.", $"""
            CREATE OR REPLACE TEMP TABLE fnb_gone_addresses AS
            SELECT ip FROM fnb_update_addresses ANTI JOIN ({AddressesOf(InUpdatedDays("start_time"))}) USING (ip)
            """),
        new("case_addresses", "Remove the addresses no counted record names any more.", $"""
            DELETE FROM case_addresses WHERE ip IN (SELECT ip FROM fnb_gone_addresses ANTI JOIN ({AddressesOf("true")}) USING (ip))
            """),
        new("counted_traffic", "Remove the updated days' traffic.", $"DELETE FROM counted_traffic WHERE {InUpdatedDays("start_time")}"),
        new("counted_traffic", "The updated days' traffic.", "INSERT INTO counted_traffic " + TrafficOf(InUpdatedDays("c.start_time"))),
        new("conversation_days", "Remove the updated days' conversation pairs.", "DELETE FROM conversation_days WHERE day IN (SELECT day FROM fnb_update_days)"),
        new("conversation_days", "The updated days' conversation pairs.", "INSERT INTO conversation_days " + ConversationDays.BuildOf(InUpdatedDays("start_time"))),
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

    // The last build's evidence is all still there, only objects after it were added, the configuration is the same, and
    // every new record has a time.
    static bool CanUpdate(CaseStore store, CountedBasis built, CountedBasis now) =>
        built.Configuration == now.Configuration && now.LastEvidenceId > built.LastEvidenceId
        && store.Scalar<long>("SELECT count(*) FROM evidence WHERE evidence_id <= $1", built.LastEvidenceId) == built.Objects
        && store.Scalar<long>("SELECT count(*) FROM flows WHERE evidence_id > $1 AND start_time IS NULL", built.LastEvidenceId) == 0
        && store.Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('counting_interfaces', 'traffic_days') AND NOT temporary") == 2;

    /// <summary>The interfaces the observer decision used, kept to tell whether an update may keep the other days.</summary>
    static readonly ProcedureQuery KeepInterfaces = new("counting_interfaces", "The interfaces the counting used.", """
        CREATE OR REPLACE TABLE counting_interfaces AS SELECT interface_id, own_ip, role, has_pkt FROM fnb_interfaces
        """);

    // An interface the other days were decided with that now has another address, role or pkt-* use (or is gone).
    const string InterfacesChanged = """
        SELECT count(*) FROM counting_interfaces o LEFT JOIN fnb_interfaces n USING (interface_id)
        WHERE n.interface_id IS NULL OR o.own_ip IS DISTINCT FROM n.own_ip OR o.role IS DISTINCT FROM n.role OR o.has_pkt IS DISTINCT FROM n.has_pkt
        """;

    /// <summary>Recounts the days the evidence after <paramref name="built"/> touches; false (tables to be built whole) when
    /// an interface the other days were decided with changed.</summary>
    static bool Update(CaseStore store, CountedBasis built, IProgress<CountingProgress>? progress, Stopwatch clock)
    {
        using var recording = store.Record();
        var values = new Dictionary<string, object?> { ["counted_evidence"] = built.LastEvidenceId };
        void Run(ProcedureQuery q)
        {
            var (sql, ps) = q.Render(values);
            store.Execute(sql, [.. ps]);
        }
        Run(UpdateDays);
        var days = store.Query("SELECT day FROM fnb_update_days ORDER BY day").Rows.Select(r => (DateTime)r[0]!).ToList();
        values["lo"] = days.Count > 0 ? days[0] : DateTime.UnixEpoch;
        values["hi"] = days.Count > 0 ? days[^1].AddDays(1) : DateTime.UnixEpoch;
        var steps = UpdateStatements.Skip(1).ToList();
        // The capture of each object and the own address of interfaces the inventory lacks are small: made whole.
        store.Execute(EvidenceCaptures.Sql);
        store.Execute(OwnAddressGuess.Sql);
        foreach (var q in steps.TakeWhile(q => q.Name != "observed_minutes")) Run(q);
        CaseInterfaces.Prepare(store, CaseSpan(store, values), []);
        if (store.Scalar<long>(InterfacesChanged) > 0) return false;
        foreach (var q in steps.SkipWhile(q => q.Name != "observed_minutes").TakeWhile(q => q.Name != "counted_flows")) Run(q);
        var done = 0;
        foreach (var day in days)
        {
            progress?.Report(new CountingProgress(day, done++, days.Count, clock.Elapsed));
            values["day_from"] = day;
            values["day_to"] = day.AddDays(1);
            Run(steps.First(q => q.Name == "counted_flows"));
            Run(Build with { Sql = "INSERT INTO counted_flows " + Build.Sql });
        }
        Run(NewAddresses);
        if (store.Scalar<long>("SELECT count(*) FROM fnb_new_addresses WHERE NOT fits") > 0)
        {
            // No room between neighbours: number every address again, and re-key the journeys and pairs with the new ids.
            foreach (var q in new[] { Addresses, Traffic, ConversationDays.Build, ConversationDays.Spans }) store.Execute(q.Sql);
        }
        else
            foreach (var q in steps.SkipWhile(q => q.Name != "fnb_new_addresses").Skip(1)) Run(q);
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
