using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// <c>counted_flows</c> (its table <c>counted_records</c>) is built in ranges of hours (a day on these cases; an update, its touched hours); every decision in it must be the one a single statement over the whole case
/// makes with the same definition (counted rows, observer, copies, NAT legs), and evidence added in batches must give
/// the tables and findings of one load.
/// </summary>
public sealed class CountedByDayTests
{
    /// <summary>The whole-case build: the same statement with one partition spanning every day.</summary>
    static void AssertDayByDayEqualsWholeCase(CaseStore store)
    {
        CountedFlows.EnsureCurrent(store, rebuild: true);
        var span = store.Query("SELECT min(time_bucket(INTERVAL 1 DAY, hour)), max(time_bucket(INTERVAL 1 DAY, hour)) + INTERVAL 1 DAY FROM interface_hours").Rows[0];
        Assert.True(store.Scalar<long>("SELECT count(DISTINCT time_bucket(INTERVAL 1 DAY, start_time)) FROM counted_flows") >= 2, "the case spans several days");
        var (sql, ps) = CountedFlows.Build.Render(new Dictionary<string, object?> { ["day_from"] = span[0], ["day_to"] = span[1] });
        store.Execute("CREATE OR REPLACE TEMP TABLE whole_case_counted AS " + sql, [.. ps]);
        Assert.Equal(store.Scalar<long>("SELECT count(*) FROM whole_case_counted"), store.Scalar<long>("SELECT count(*) FROM counted_records"));
        Assert.Equal(0L, store.Scalar<long>("SELECT count(*) FROM (SELECT * FROM counted_records EXCEPT ALL SELECT * FROM whole_case_counted)"));
        Assert.Equal(0L, store.Scalar<long>("SELECT count(*) FROM (SELECT * FROM whole_case_counted EXCEPT ALL SELECT * FROM counted_records)"));
        // Hour by hour (as an update recounts) too: a range reads the hour before it, so the cut does not change a decision.
        store.Execute("CREATE OR REPLACE TEMP TABLE hourly_counted AS SELECT * FROM whole_case_counted LIMIT 0");
        for (var h = (DateTime)span[0]!; h < (DateTime)span[1]!; h = h.AddHours(1))
        {
            var (hourly, hp) = CountedFlows.Build.Render(new Dictionary<string, object?> { ["day_from"] = h, ["day_to"] = h.AddHours(1) });
            store.Execute("INSERT INTO hourly_counted " + hourly, [.. hp]);
        }
        Assert.Equal(0L, store.Scalar<long>("SELECT count(*) FROM (SELECT * FROM hourly_counted EXCEPT ALL SELECT * FROM whole_case_counted)"));
        Assert.Equal(0L, store.Scalar<long>("SELECT count(*) FROM (SELECT * FROM whole_case_counted EXCEPT ALL SELECT * FROM hourly_counted)"));
        // Not vacuous: the case has copies, NAT legs and every kind of observer, some of which do not count.
        Assert.True(store.Scalar<long>("SELECT count(*) FROM counted_flows WHERE translated") > 0);
        Assert.True(store.Scalar<long>("SELECT count(*) FROM counted_flows WHERE NOT counts") > 0);
        Assert.Equal(3L, store.Scalar<long>("SELECT count(DISTINCT observer) FROM counted_flows"));
    }

    [Fact]
    public void Day_by_day_equals_a_whole_case_build_on_the_default_scenario()
    {
        using var c = new VpcCompromiseCase();
        Assert.True(c.Store.Scalar<long>("SELECT count(*) FROM duplicate_records") > 0, "the overlapping capture's copies");
        AssertDayByDayEqualsWholeCase(c.Store);
    }

    [Fact]
    public void Day_by_day_equals_a_whole_case_build_on_the_cryptominer_scenario()
    {
        using var c = new CryptominerCase();
        AssertDayByDayEqualsWholeCase(c.Store);
    }

    [Fact]
    public void Day_by_day_equals_a_whole_case_build_with_two_captures_of_one_interface()
    {
        using var fx = new JourneyIncident();
        // One day, but app logged by an ENI capture (60 s) and a subnet capture (600 s) whose records do not match one for one.
        CountedFlows.EnsureCurrent(fx.Store, rebuild: true);
        Assert.Equal(2L, fx.Store.Scalar<long>("SELECT count(DISTINCT capture) FROM counted_captures WHERE interface_id = 'eni-app'"));
        var span = fx.Store.Query("SELECT min(start_time), max(end_time) FROM counted_flows").Rows[0];
        var (sql, ps) = CountedFlows.Build.Render(new Dictionary<string, object?> { ["day_from"] = ((DateTime)span[0]!).Date, ["day_to"] = ((DateTime)span[1]!).Date.AddDays(1) });
        fx.Store.Execute("CREATE OR REPLACE TEMP TABLE whole_case_counted AS " + sql, [.. ps]);
        Assert.Equal(0L, fx.Store.Scalar<long>("SELECT count(*) FROM (SELECT * FROM counted_records EXCEPT ALL SELECT * FROM whole_case_counted)"));
        Assert.Equal(0L, fx.Store.Scalar<long>("SELECT count(*) FROM (SELECT * FROM whole_case_counted EXCEPT ALL SELECT * FROM counted_records)"));
    }

    [Fact]
    public void Evidence_added_in_three_batches_gives_the_tables_and_findings_of_one_load()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"fnb-batches-{Guid.NewGuid():N}");
        try
        {
            CaseGenerator.Generate(ScenarioCatalog.Find("vpc-compromise"), new ScenarioOptions(), folder);
            var key = AnswerKey.Load(Path.Combine(folder, CaseGenerator.AnswerKeyFile));
            var files = ScenarioCase.FilesInLoadOrder(folder);
            using var once = CaseStore.Open();
            new EvidenceLoader(once, new IngestOptions { Workers = 1 }).Load(files);
            using var batched = CaseStore.Open();
            // The same files in three batches, the procedures run after each.
            var third = (files.Count + 2) / 3;
            for (var b = 0; b < 3; b++)
            {
                new EvidenceLoader(batched, new IngestOptions { Workers = 1 }).Load(files.Skip(b * third).Take(third).ToList());
                ProcedureRegistry.Get("exfil-ledger").Run(batched, new Dictionary<string, object?> { ["internal_cidrs"] = key.VpcCidr });
            }
            Assert.Equal(once.Scalar<long>("SELECT count(*) FROM flows"), batched.Scalar<long>("SELECT count(*) FROM flows"));
            // Records by where they came from (object and line), since evidence ids follow load order.
            const string Counted = """
                SELECT e.sha256, c.* EXCLUDE (evidence_id) FROM counted_flows c JOIN evidence e USING (evidence_id)
                """;
            CountedFlows.EnsureCurrent(once);
            var a = once.Query($"SELECT count(*), sum(bytes) FILTER (WHERE counts), count(*) FILTER (WHERE counts) FROM ({Counted})").Rows[0];
            var b2 = batched.Query($"SELECT count(*), sum(bytes) FILTER (WHERE counts), count(*) FILTER (WHERE counts) FROM ({Counted})").Rows[0];
            Assert.Equal(a, b2);
            foreach (var p in ProcedureRegistry.All)
            {
                var values = new Dictionary<string, object?> { ["internal_cidrs"] = key.VpcCidr };
                if (p.Name == "attacker-infrastructure") values["ioc_file"] = Path.Combine(folder, "iocs.txt");
                Assert.Equal(p.Run(once, values).FindingsJson(includeTable: true), p.Run(batched, values).FindingsJson(includeTable: true));
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
