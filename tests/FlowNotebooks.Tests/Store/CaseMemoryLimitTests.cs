using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// A case file stays within one DuckDB memory limit whatever runs on it: opened, after a load that ran under a limit
/// of its own, after counting, so for the procedures too. Before, a load and a count reset DuckDB to its default of 80%
/// of RAM, and the seven procedures took 4.9 GB on a 10^8-record case.
/// </summary>
public sealed class CaseMemoryLimitTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly string dir = Directory.CreateTempSubdirectory("flownb-limit-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static string Limit(CaseStore store) => store.Scalar<string>("SELECT current_setting('memory_limit')")!;

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
        var lines = Enumerable.Range(1, 10).Select(i => $"2 123456789010 eni-0a 10.0.0.{i} 10.0.0.200 {40000 + i} 443 6 1 {100 * i} 1763478000 1763478060 ACCEPT OK");
        File.WriteAllText(Path.Combine(dir, "123456789010_vpcflowlogs_us-east-1_fl-0a_20251118T1500Z_0001.log"), Header + "\n" + string.Join("\n", lines) + "\n");
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
}
