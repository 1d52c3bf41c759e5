using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// Evidence added to a counted case recounts only the hours it touches; the tables must then be those a whole-case build
/// of all the evidence makes, row for row (evidence by its SHA-256, addresses by their text: ids may differ, their order
/// may not).
/// </summary>
public sealed class CountedUpdateTests
{
    // Each derived table as rows comparable across two cases: evidence ids and address ids replaced by what they name.
    static readonly (string Table, string Sql)[] Tables =
    [
        ("interface_hours", "SELECT * FROM interface_hours"),
        ("skipdata_records", "SELECT t.* EXCLUDE (evidence_id), e.sha256 FROM skipdata_records t JOIN evidence e USING (evidence_id)"),
        ("capture_minutes", "SELECT * FROM capture_minutes"),
        ("counted_captures", "SELECT * FROM counted_captures"),
        ("observed_minutes", "SELECT * FROM observed_minutes"),
        ("counted_flows", "SELECT t.* EXCLUDE (evidence_id), e.sha256 FROM counted_flows t JOIN evidence e USING (evidence_id)"),
        ("case_addresses", "SELECT ip, ip_v4, ip_v6 FROM case_addresses"),
        ("counted_traffic", """
            SELECT s.ip AS src, d.ip AS dst, t.* EXCLUDE (src_id, dst_id) FROM counted_traffic t
            LEFT JOIN case_addresses s ON s.address_id = t.src_id LEFT JOIN case_addresses d ON d.address_id = t.dst_id
            """),
        ("conversation_days", """
            SELECT x.ip AS a_ip, y.ip AS b_ip, t.* EXCLUDE (a, b) FROM conversation_days t
            JOIN case_addresses x ON x.address_id = t.a JOIN case_addresses y ON y.address_id = t.b
            """),
        ("traffic_days", "SELECT * FROM traffic_days"),
    ];

    /// <summary>Rows, an order-free digest of them (sum of row hashes), for each table.</summary>
    static Dictionary<string, (long Rows, string Digest)> Digest(CaseStore store) =>
        Tables.ToDictionary(t => t.Table, t =>
        {
            // The whole row's hash (hash(COLUMNS(*)) would give one sum per column, and only the first was read).
            var r = store.Query($"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM ({t.Sql}) t").Rows[0];
            return ((long)r[0]!, (string)r[1]!);
        });

    // The columns whose values differ between two cases' rows of a table (each column's values hashed and summed).
    static IEnumerable<string> ColumnsDiffering(string table, CaseStore x, CaseStore y)
    {
        var sql = $"SELECT coalesce(sum(hash(COLUMNS(*))), 0)::VARCHAR FROM ({Tables.First(t => t.Table == table).Sql})";
        var (a, b) = (x.Query(sql), y.Query(sql));
        return a.Columns.Select((c, i) => (c, i)).Where(ci => !Equals(a.Rows[0][ci.i], b.Rows[0][ci.i])).Select(ci => ci.c);
    }

    static void AssertSameTables(CaseStore updated, CaseStore whole)
    {
        CountedFlows.EnsureCurrent(whole);
        CountedFlows.EnsureCurrent(updated);
        var expected = Digest(whole);
        var actual = Digest(updated);
        foreach (var (table, _) in Tables)
        {
            Assert.True(expected[table].Rows > 0, $"{table} has rows");
            Assert.Equal((table, expected[table].Rows), (table, actual[table].Rows));
            if (expected[table] != actual[table])
                Assert.Fail($"{table} differs in {string.Join(", ", ColumnsDiffering(table, whole, updated))}");
        }
        // Ids compare as the text does (every "a < b" and ORDER BY an id over the journeys relies on it), and are unique.
        Assert.Equal(0L, updated.Scalar<long>("""
            SELECT count(*) FROM (SELECT row_number() OVER (ORDER BY address_id) AS by_id, row_number() OVER (ORDER BY ip) AS by_text FROM case_addresses)
            WHERE by_id <> by_text
            """));
        Assert.Equal(updated.Scalar<long>("SELECT count(*) FROM case_addresses"), updated.Scalar<long>("SELECT count(DISTINCT address_id) FROM case_addresses"));
    }

    // The build record of an updated case: one whole build, then the updates.
    static (int Whole, int Updates) Builds(CaseStore store)
    {
        var statements = DerivedTablesRecord.Load(store)!.Statements;
        return (statements.Count(s => s.Name == "counted_flows" && s.Sql.StartsWith("CREATE", StringComparison.Ordinal)),
                statements.Count(s => s.Name == "fnb_update_hours"));
    }

    // The configuration (describe-*, the bucket state: loaded first) and the flow-log objects, in load order.
    static (List<string> Configuration, List<string> Objects) Split(ScenarioCase c)
    {
        var files = c.FilesInLoadOrder();
        var configuration = files.TakeWhile(ScenarioCase.IsConfiguration).ToList();
        return (configuration, files.Skip(configuration.Count).ToList());
    }

    static void LoadCounted(CaseStore store, IEnumerable<string> files)
    {
        new EvidenceLoader(store, new IngestOptions { Workers = 1 }).Load(files.ToList());
        CountedFlows.EnsureCurrent(store);
    }

    static List<string> Rows(CaseStore s, string sql) => s.Query(sql).Rows.Select(r => string.Join("|", r)).ToList();

    /// <summary>S3-named text objects of one capture (fl-0a) in a folder of their own, deleted with it.</summary>
    sealed class CaptureObjects(string header) : IDisposable
    {
        readonly string dir = Directory.CreateTempSubdirectory("flownb-update-").FullName;

        public string Write(string stamp, params string[] lines)
        {
            var path = Path.Combine(dir, $"123456789010_vpcflowlogs_us-east-1_fl-0a_{stamp}_0001.log");
            File.WriteAllText(path, header + "\n" + string.Join("\n", lines) + "\n");
            return path;
        }

        public void Dispose() => Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// Two cases of the same two objects: one loads <c>first</c>, counts, then adds <c>later</c> as an update; the
    /// other loads both at once and counts them whole.
    /// </summary>
    sealed class UpdatedAndWhole : IDisposable
    {
        public CaseStore Updated { get; } = CaseStore.Open();
        public CaseStore Whole { get; } = CaseStore.Open();

        public UpdatedAndWhole(string first, string later)
        {
            LoadCounted(Updated, [first]);
            LoadCounted(Updated, [later]);
            Assert.Equal((1, 1), Builds(Updated));
            LoadCounted(Whole, [first, later]);
        }

        public void Dispose()
        {
            Updated.Dispose();
            Whole.Dispose();
        }
    }

    [Fact]
    public void Objects_added_in_three_batches_are_counted_as_one_load_counts_them_by_recounting_only_their_days()
    {
        using var c = new VpcCompromiseCase();
        var (configuration, objects) = Split(c);
        using var updated = CaseStore.Open();
        LoadCounted(updated, [.. configuration, .. objects.Take(objects.Count / 2)]);
        var daysBefore = updated.Scalar<long>("SELECT count(DISTINCT time_bucket(INTERVAL 1 DAY, start_time)) FROM counted_flows");
        LoadCounted(updated, objects.Skip(objects.Count / 2).Take(objects.Count / 4));
        LoadCounted(updated, objects.Skip(objects.Count / 2 + objects.Count / 4));
        Assert.Equal((1, 2), Builds(updated));
        Assert.True(daysBefore >= 1);
        AssertSameTables(updated, c.Store);
    }

    [Fact]
    public void Objects_of_earlier_days_added_after_later_ones_give_the_whole_case_tables()
    {
        using var c = new VpcCompromiseCase();
        var (configuration, objects) = Split(c);
        using var updated = CaseStore.Open();
        // Every other object first, then the rest: the second batch falls between days and hours already counted.
        LoadCounted(updated, [.. configuration, .. objects.Where((_, i) => i % 2 == 1)]);
        LoadCounted(updated, objects.Where((_, i) => i % 2 == 0));
        Assert.Equal((1, 1), Builds(updated));
        AssertSameTables(updated, c.Store);
    }

    [Fact]
    public void An_object_that_brings_no_new_address_is_counted_as_one_load_counts_it()
    {
        using var c = new VpcCompromiseCase();
        var (configuration, objects) = Split(c);
        // The last object (by name) whose every address some other object's records also name: found in the whole case.
        var last = c.Store.Scalar<string>("""
            WITH per AS (SELECT DISTINCT evidence_id, ip FROM (SELECT evidence_id, unnest([srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr]) AS ip FROM flows) WHERE ip IS NOT NULL),
                 named AS (SELECT ip, count(*) AS objects FROM per GROUP BY ip)
            SELECT e.object FROM evidence e
            WHERE e.records > 0 AND NOT EXISTS (SELECT 1 FROM per JOIN named USING (ip) WHERE per.evidence_id = e.evidence_id AND named.objects = 1)
            ORDER BY e.object DESC LIMIT 1
            """)!;
        var file = objects.Single(f => Path.GetFileName(f) == Path.GetFileName(last));
        using var updated = CaseStore.Open();
        LoadCounted(updated, [.. configuration, .. objects.Where(f => f != file)]);
        var addresses = updated.Scalar<long>("SELECT count(*) FROM case_addresses");
        LoadCounted(updated, [file]);
        Assert.Equal((1, 1), Builds(updated));
        Assert.Equal(0, updated.Scalar<long>("SELECT count(*) FROM fnb_new_addresses"));
        Assert.Equal(addresses, updated.Scalar<long>("SELECT count(*) FROM case_addresses"));
        AssertSameTables(updated, c.Store);
    }

    [Fact]
    public void New_addresses_with_no_room_between_their_neighbours_number_every_address_again()
    {
        using var c = new VpcCompromiseCase();
        var (configuration, objects) = Split(c);
        using var updated = CaseStore.Open();
        LoadCounted(updated, [.. configuration, .. objects.Take(objects.Count / 2)]);
        // A case so large its ids had to be numbered without gaps (over 33M addresses): no room for the next day's.
        updated.Execute("CREATE TEMP TABLE dense AS SELECT address_id AS old, row_number() OVER (ORDER BY ip)::INTEGER AS id FROM case_addresses");
        updated.Execute("UPDATE counted_traffic SET src_id = d.id FROM dense d WHERE d.old = src_id");
        updated.Execute("UPDATE counted_traffic SET dst_id = d.id FROM dense d WHERE d.old = dst_id");
        updated.Execute("UPDATE conversation_days SET a = d.id FROM dense d WHERE d.old = a");
        updated.Execute("UPDATE conversation_days SET b = d.id FROM dense d WHERE d.old = b");
        updated.Execute("UPDATE case_addresses SET address_id = d.id FROM dense d WHERE d.old = address_id");
        LoadCounted(updated, objects.Skip(objects.Count / 2));
        Assert.Equal((1, 1), Builds(updated));
        Assert.True(updated.Scalar<long>("SELECT count(*) FROM fnb_new_addresses WHERE NOT fits") > 0, "the new addresses did not fit");
        AssertSameTables(updated, c.Store);
    }

    [Fact]
    public void A_new_inventory_counts_the_case_whole_again()
    {
        using var c = new VpcCompromiseCase();
        var files = c.FilesInLoadOrder();
        var inventory = files.Where(f => Path.GetFileName(f).StartsWith("describe-network-interfaces", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inventory);
        using var updated = CaseStore.Open();
        LoadCounted(updated, files.Except(inventory));
        // Without the inventory the interfaces' own addresses were guessed; with it every day's observer may change.
        LoadCounted(updated, inventory);
        Assert.Equal((1, 0), Builds(updated));
        AssertSameTables(updated, c.Store);
    }

    [Fact]
    public void An_interface_first_seen_in_added_evidence_and_in_no_inventory_gets_its_own_address_from_its_records()
    {
        // No inventory: each interface's own address is the one most often its records' srcaddr. eni-0b first appears in
        // the added object: two egress records from 10.0.0.7 and one ingress from 10.0.0.1, so its address is 10.0.0.7.
        const string Header = "interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
        var at = new DateTimeOffset(2025, 11, 19, 1, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        using var objects = new CaptureObjects(Header);
        var first = objects.Write("20251119T0100Z",
            $"eni-0a 10.0.0.1 10.0.0.7 40000 22 6 2 100 {at} {at + 60} ACCEPT OK",
            $"eni-0a 10.0.0.1 10.0.0.9 40001 22 6 2 100 {at} {at + 60} ACCEPT OK");
        var later = objects.Write("20251119T1000Z",
            $"eni-0b 10.0.0.7 10.0.0.1 22 40000 6 2 300 {at + 9 * 3600} {at + 9 * 3600 + 60} ACCEPT OK",
            $"eni-0b 10.0.0.7 198.51.100.4 40002 443 6 2 900 {at + 9 * 3600} {at + 9 * 3600 + 60} ACCEPT OK",
            $"eni-0b 10.0.0.1 10.0.0.7 40003 22 6 2 100 {at + 9 * 3600} {at + 9 * 3600 + 60} ACCEPT OK");
        using var cases = new UpdatedAndWhole(first, later);
        var (updated, whole) = (cases.Updated, cases.Whole);
        const string Guesses = "SELECT interface_id, own_ip FROM counting_interfaces ORDER BY ALL";
        Assert.Equal(["eni-0a|10.0.0.1", "eni-0b|10.0.0.7"], Rows(updated, Guesses));
        Assert.Equal(Rows(whole, Guesses), Rows(updated, Guesses));
        const string Counted = "SELECT interface_id, srcaddr, dstaddr, counts, translated FROM counted_flows ORDER BY ALL";
        Assert.Equal(Rows(whole, Counted), Rows(updated, Counted));
    }

    [Fact]
    public void A_pair_without_ports_or_protocol_is_summed_again_over_its_whole_day_when_a_later_hour_adds_to_it()
    {
        // A custom format without ports or protocol: the pair's ports and protocol are NULL and still one pair. 01:00
        // holds two records of 10.0.0.1-10.0.0.2 and one of 10.0.0.1-10.0.0.3; evidence of 10:00 adds to the first pair
        // and brings a new one. Only the pairs the recounted hours name are summed again, over the whole day.
        const string Header = "interface-id srcaddr dstaddr packets bytes start end action log-status";
        var at01 = new DateTimeOffset(2025, 11, 19, 1, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var at10 = at01 + 9 * 3600;
        using var objects = new CaptureObjects(Header);
        var first = objects.Write("20251119T0100Z",
            $"eni-0a 10.0.0.1 10.0.0.2 2 100 {at01} {at01 + 60} ACCEPT OK",
            $"eni-0a 10.0.0.2 10.0.0.1 1 40 {at01 + 60} {at01 + 120} ACCEPT OK",
            $"eni-0a 10.0.0.1 10.0.0.3 1 70 {at01 + 120} {at01 + 180} ACCEPT OK");
        var later = objects.Write("20251119T1000Z",
            $"eni-0a 10.0.0.1 10.0.0.2 3 500 {at10} {at10 + 60} ACCEPT OK",
            $"eni-0a 10.0.0.4 10.0.0.1 1 9 {at10 + 60} {at10 + 120} REJECT OK");
        using var cases = new UpdatedAndWhole(first, later);
        var (updated, whole) = (cases.Updated, cases.Whole);

        const string Pairs = """
            SELECT x.ip AS a_ip, y.ip AS b_ip, t.* EXCLUDE (a, b) FROM conversation_days t
            JOIN case_addresses x ON x.address_id = t.a JOIN case_addresses y ON y.address_id = t.b ORDER BY ALL
            """;
        Assert.Equal(Rows(whole, Pairs), Rows(updated, Pairs));
        // From AWS's fields, by hand: 10.0.0.1 (a, the lower address) sent 100 + 500 bytes to 10.0.0.2 and got 40 back.
        var pair = updated.Query("""
            SELECT t.records::BIGINT, t.a2b, t.b2a, t.packets, t.a_port IS NULL AND t.b_port IS NULL AND t.protocol IS NULL AS no_ports
            FROM conversation_days t JOIN case_addresses x ON x.address_id = t.a JOIN case_addresses y ON y.address_id = t.b
            WHERE x.ip = '10.0.0.1' AND y.ip = '10.0.0.2'
            """).Rows.Single();
        Assert.Equal<object?>([3L, 600L, 40L, 6L, true], pair);
        Assert.Equal(3L, updated.Scalar<long>("SELECT count(*) FROM conversation_days"));
    }

    [Fact]
    public void A_recount_of_hours_across_midnight_is_one_range_per_day_and_never_spans_an_hour_left_as_it_was()
    {
        // An update lists only the hours it recounts: 22:00, 23:00, then 00:00 and 01:00 of the next day, and 05:00
        // apart. A range never holds two days' records, nor the hours between 01:00 and 05:00 it must not recount.
        var day = new DateTime(2025, 11, 19, 0, 0, 0, DateTimeKind.Unspecified);
        var hours = new[] { 22, 23, 24, 25, 29 }.Select(h => (day.AddHours(h), 1L)).ToList();
        Assert.Equal(
            [(day.AddHours(22), day.AddHours(24)), (day.AddHours(24), day.AddHours(26)), (day.AddHours(29), day.AddHours(30))],
            CountedFlows.Ranges(hours, 8));
    }

    [Fact]
    public void A_whole_count_is_cut_into_ranges_of_one_day_within_the_record_budget()
    {
        var day = new DateTime(2025, 11, 19, 0, 0, 0, DateTimeKind.Unspecified);
        (DateTime, long) Hour(int h, long records) => (day.AddHours(h), records);
        // 3 + 4 fit 8; + 2 does not; 9 alone is over the budget and still a range; 04:00 to 22:00 (a whole build lists
        // the empty hours between) fit; midnight starts the next day's range whatever its room.
        var hours = new[] { Hour(0, 3), Hour(1, 4), Hour(2, 2), Hour(3, 9), Hour(4, 1) }
            .Concat(Enumerable.Range(5, 17).Select(h => Hour(h, 0)))
            .Concat([Hour(22, 1), Hour(24, 1), Hour(25, 1)]).ToList();
        Assert.Equal(
            [(day, day.AddHours(2)), (day.AddHours(2), day.AddHours(3)), (day.AddHours(3), day.AddHours(4)), (day.AddHours(4), day.AddHours(23)),
             (day.AddHours(24), day.AddHours(26))],
            CountedFlows.Ranges(hours, 8));
    }
}
