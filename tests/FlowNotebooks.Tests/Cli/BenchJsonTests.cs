using System.Text.Json;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Cli;

/// <summary><c>flownb bench --json FILE</c> writes the figures runs are compared by, beside its table.</summary>
public sealed class BenchJsonTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("flownb-bench-test-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Bench_json_holds_the_ratios_store_size_peak_memory_and_records()
    {
        var json = Path.Combine(dir, "bench.json");
        // Each mode runs in a fresh process, as in a real bench: hence the built CLI rather than an in-process call.
        var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(5), "bench", "--records", "3000", "--objects", "3",
            "--generate-records", "2000", "--corpus", Path.Combine(dir, "corpus"), "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("flownb ingest vs DuckDB read_csv", output);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.InRange(root.GetProperty("ingest_vs_duckdb").GetDouble(), double.Epsilon, 1000);
        Assert.InRange(root.GetProperty("ingest_vs_floor").GetDouble(), double.Epsilon, 1000);
        Assert.InRange(root.GetProperty("store_bytes_per_record").GetDouble(), 1, 1_000_000);
        Assert.InRange(root.GetProperty("ingest_peak_mib").GetDouble(), 1, 100_000);
        Assert.Equal(3000, root.GetProperty("records").GetInt64());
        Assert.Equal(3000, root.GetProperty("corpus_records").GetInt64());
    }
}
