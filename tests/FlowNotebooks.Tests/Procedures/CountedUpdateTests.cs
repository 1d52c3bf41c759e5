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
            var r = store.Query($"SELECT count(*), coalesce(sum(hash(COLUMNS(*))), 0)::VARCHAR FROM ({t.Sql})").Rows[0];
            return ((long)r[0]!, (string)r[1]!);
        });

    static void AssertSameTables(CaseStore updated, CaseStore whole)
    {
        CountedFlows.EnsureCurrent(whole);
        CountedFlows.EnsureCurrent(updated);
        var expected = Digest(whole);
        var actual = Digest(updated);
        foreach (var (table, _) in Tables)
        {
            Assert.True(expected[table].Rows > 0, $"{table} has rows");
            Assert.Equal((table, expected[table]), (table, actual[table]));
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
    public void A_recount_of_hours_across_midnight_is_one_range_per_day()
    {
        // 22:00, 23:00, then 00:00 and 01:00 of the next day, and 05:00 apart: a range never holds two days' records.
        var day = new DateTime(2025, 11, 19, 0, 0, 0, DateTimeKind.Unspecified);
        var hours = new[] { 22, 23, 24, 25, 29 }.Select(h => day.AddHours(h)).ToList();
        Assert.Equal(
            [(day.AddHours(22), day.AddHours(24)), (day.AddHours(24), day.AddHours(26)), (day.AddHours(29), day.AddHours(30))],
            CountedFlows.Runs(hours));
    }

    [Fact]
    public void A_whole_count_is_cut_into_ranges_of_one_day_within_the_record_budget()
    {
        var day = new DateTime(2025, 11, 19, 0, 0, 0, DateTimeKind.Unspecified);
        (DateTime, long) Hour(int h, long records) => (day.AddHours(h), records);
        // 3 + 4 fit 8; + 2 does not; 9 alone is over the budget and still a range; 22:00 and 23:00 (an empty hour
        // between) fit; midnight starts the next day's range whatever its room.
        var hours = new[] { Hour(0, 3), Hour(1, 4), Hour(2, 2), Hour(3, 9), Hour(4, 1), Hour(22, 1), Hour(24, 1), Hour(25, 1) };
        Assert.Equal(
            [(day, day.AddHours(2)), (day.AddHours(2), day.AddHours(3)), (day.AddHours(3), day.AddHours(4)), (day.AddHours(4), day.AddHours(23)),
             (day.AddHours(24), day.AddHours(26))],
            CountedFlows.Ranges(hours, 8));
    }
}
