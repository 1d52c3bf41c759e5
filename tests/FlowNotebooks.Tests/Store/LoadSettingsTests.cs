using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// A load runs DuckDB's part of each lane on the lane's own thread, writing row groups as they fill (one DuckDB thread
/// and a write buffer of one row group while it loads), and gives the case back the settings it had: counting and the
/// procedures after a load, or after a load that stopped, must not run on one thread.
/// </summary>
public sealed class LoadSettingsTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly string dir = Directory.CreateTempSubdirectory("flownb-threads-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static long Threads(CaseStore store) => store.Scalar<long>("SELECT current_setting('threads')");
    static long WriteBuffer(CaseStore store) => store.Scalar<long>("SELECT current_setting('write_buffer_row_group_count')");

    void Write(string name, params string[] lines) =>
        File.WriteAllText(Path.Combine(dir, name), Header + "\n" + string.Join("\n", lines) + "\n");

    static string Record(int i) => $"2 123456789010 eni-0a 10.0.0.{i} 10.0.0.200 {40000 + i} 443 6 1 {100 * i} 1763478000 1763478060 ACCEPT OK";

    [Theory]
    [InlineData(3, 4)]
    [InlineData(5, 7)]
    public void A_load_leaves_the_case_with_the_settings_it_had(int threads, int writeBuffer)
    {
        Write("123456789010_vpcflowlogs_us-east-1_fl-0a_20251118T1500Z_0001.log", Enumerable.Range(1, 10).Select(Record).ToArray());
        using var store = CaseStore.Open(Path.Combine(dir, "case.duckdb"));
        store.Execute($"SET threads = {threads}");
        store.Execute($"SET write_buffer_row_group_count = {writeBuffer}");
        Assert.Equal(10, new EvidenceLoader(store).Load([dir]).Records);
        Assert.Equal(threads, Threads(store));
        Assert.Equal(writeBuffer, WriteBuffer(store));
    }

    [Fact]
    public void A_load_that_stops_leaves_the_case_with_the_settings_it_had()
    {
        Write("123456789010_vpcflowlogs_us-east-1_fl-0a_20251118T1500Z_0001.log", Record(1), "not a record");
        using var store = CaseStore.Open(Path.Combine(dir, "case.duckdb"));
        store.Execute("SET threads = 3");
        store.Execute("SET write_buffer_row_group_count = 4");
        Assert.Throws<FlowLoadException>(() => new EvidenceLoader(store, new IngestOptions { Strict = true }).Load([dir]));
        Assert.Equal(3, Threads(store));
        Assert.Equal(4, WriteBuffer(store));
    }
}
