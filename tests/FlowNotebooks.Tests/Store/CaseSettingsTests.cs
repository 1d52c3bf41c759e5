using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// The DuckDB settings a case runs under. It stays within one memory limit whatever runs on it: opened, after a load that
/// ran under a limit of its own, after counting, so for the procedures too (before, a load and a count reset DuckDB to
/// its default of 80% of RAM, and the seven procedures took 4.9 GB on a 10^8-record case). A load runs DuckDB's part of
/// each lane on the lane's own thread, writing row groups as they fill (one DuckDB thread and a write buffer of one row
/// group), and gives back the settings it found: counting and the procedures after a load, or after a load that
/// stopped, must not run on one thread. And a checkpoint leaves the row groups it finds as they are: merging a table's
/// last partly filled row groups with the next load's records cost an update of the 10^7 case 1–2.5 s of its ~4.
/// </summary>
public sealed class CaseSettingsTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly string dir = Directory.CreateTempSubdirectory("flownb-limit-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static string Limit(CaseStore store) => store.Scalar<string>("SELECT current_setting('memory_limit')")!;
    static long Threads(CaseStore store) => store.Scalar<long>("SELECT current_setting('threads')");
    static long WriteBuffer(CaseStore store) => store.Scalar<long>("SELECT current_setting('write_buffer_row_group_count')");

    static string Record(int i) => $"2 123456789010 eni-0a 10.0.0.{i} 10.0.0.200 {40000 + i} 443 6 1 {100 * i} 1763478000 1763478060 ACCEPT OK";

    void Write(params string[] lines) =>
        File.WriteAllText(Path.Combine(dir, "123456789010_vpcflowlogs_us-east-1_fl-0a_20251118T1500Z_0001.log"), Header + "\n" + string.Join("\n", lines) + "\n");

    /// <summary>How DuckDB states a limit given in our syntax (1GB is 953.6 MiB to it), from DuckDB itself.</summary>
    static string AsDuckDbStates(string limit)
    {
        using var probe = CaseStore.Open();
        probe.Execute($"SET memory_limit = '{limit}'");
        return Limit(probe);
    }

    [Fact]
    public void A_case_file_keeps_its_limit_through_a_load_under_another_limit_and_a_count()
    {
        Write(Enumerable.Range(1, 10).Select(Record).ToArray());
        var expected = AsDuckDbStates(CaseStore.DefaultMemoryLimit);
        Assert.NotEqual(expected, AsDuckDbStates("300MB"));

        using var store = CaseStore.Open(Path.Combine(dir, "case.duckdb"));
        Assert.Equal(expected, Limit(store));
        Assert.Equal(10, new EvidenceLoader(store, new IngestOptions { MemoryLimit = "300MB" }).Load([dir]).Records);
        Assert.Equal(expected, Limit(store));
        CountedFlows.EnsureCurrent(store, rebuild: true);
        Assert.Equal(expected, Limit(store));
    }

    [Fact]
    public void An_in_memory_case_is_left_at_DuckDB_s_own_limit()
    {
        // Its records are its memory: a limit of ours would only make it fail sooner.
        using var store = CaseStore.Open();
        Assert.NotEqual(AsDuckDbStates(CaseStore.DefaultMemoryLimit), Limit(store));
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(5, 7)]
    public void A_load_leaves_the_case_with_the_threads_and_write_buffer_it_had(int threads, int writeBuffer)
    {
        Write(Enumerable.Range(1, 10).Select(Record).ToArray());
        using var store = CaseStore.Open(Path.Combine(dir, "case.duckdb"));
        store.Execute($"SET threads = {threads}");
        store.Execute($"SET write_buffer_row_group_count = {writeBuffer}");
        Assert.Equal(10, new EvidenceLoader(store).Load([dir]).Records);
        Assert.Equal(threads, Threads(store));
        Assert.Equal(writeBuffer, WriteBuffer(store));
    }

    [Fact]
    public void A_load_that_stops_leaves_the_case_with_the_threads_and_write_buffer_it_had()
    {
        Write(Record(1), "not a record");
        using var store = CaseStore.Open(Path.Combine(dir, "case.duckdb"));
        store.Execute("SET threads = 3");
        store.Execute("SET write_buffer_row_group_count = 4");
        Assert.Throws<FlowLoadException>(() => new EvidenceLoader(store, new IngestOptions { Strict = true }).Load([dir]));
        Assert.Equal(3, Threads(store));
        Assert.Equal(4, WriteBuffer(store));
    }

    [Fact]
    public void Records_added_later_leave_the_row_groups_already_written_as_they_are()
    {
        using var store = CaseStore.Open(Path.Combine(dir, "case.duckdb"));
        // Loads that each ended with a partly filled row group (as a lane's commit ends its tables), then 10 records more.
        store.Execute("CREATE TABLE t AS SELECT range AS n FROM range(41240)");
        foreach (var rows in new[] { 122_880, 114_780, 10 })
        {
            store.Execute("CHECKPOINT");
            store.Execute($"INSERT INTO t SELECT range FROM range({rows})");
        }
        store.Execute("CHECKPOINT");
        // DuckDB's vacuum would rewrite the 278,910 rows as 122,880 + 122,880 + 33,150 (they fit in three row groups).
        var groups = store.Query("SELECT row_group_id, sum(count)::BIGINT FROM pragma_storage_info('t') WHERE column_name = 'n' AND segment_type <> 'VALIDITY' GROUP BY 1 ORDER BY 1").Rows;
        Assert.Equal([41_240L, 122_880L, 114_780L, 10L], groups.Select(r => Convert.ToInt64(r[1])));
    }
}
