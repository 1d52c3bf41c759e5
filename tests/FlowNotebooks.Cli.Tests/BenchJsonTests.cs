using System.Text.Json;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Cli.Tests;

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
        var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(5), "bench", "--records", "20000",
            "--generate-records", "2000", "--corpus", Path.Combine(dir, "corpus"), "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("flownb ingest vs DuckDB read_csv", output);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.InRange(root.GetProperty("ingest_vs_duckdb").GetDouble(), double.Epsilon, 1000);
        Assert.InRange(root.GetProperty("ingest_vs_floor").GetDouble(), double.Epsilon, 1000);
        Assert.InRange(root.GetProperty("store_bytes_per_record").GetDouble(), 1, 1_000_000);
        Assert.InRange(root.GetProperty("ingest_peak_mib").GetDouble(), 1, 100_000);
        // The corpus is the scenario generator's default scenario at that scale: our ingest read every record the floor
        // counted (lines of each gz text object less its header), and the table's object count is the corpus's.
        Assert.Equal(root.GetProperty("corpus_records").GetInt64(), root.GetProperty("records").GetInt64());
        Assert.InRange(root.GetProperty("records").GetInt64(), 20_000, 1_000_000);
        // The scenario delivers some objects twice; the bench reads each content once, as the ingest loads each SHA-256 once.
        var objects = Directory.EnumerateFiles(Path.Combine(dir, "corpus"), "*.log.gz", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))).Distinct().Count();
        Assert.Equal(objects, root.GetProperty("objects").GetInt32());
        Assert.Contains($"Corpus: {objects} objects", output);
    }

    [Fact]
    public void Pipeline_json_holds_evidence_to_answers_against_duckdb_the_peak_and_the_incremental_step()
    {
        var json = Path.Combine(dir, "pipeline.json");
        var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(8), "bench", "--pipeline", "--records", "120000",
            "--scenario-dir", Path.Combine(dir, "scenarios"), "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("Evidence to every answer", output);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        double D(string key) => root.GetProperty(key).GetDouble();
        // The whole path is the sum of its steps, each measured in its own process; the ratio is ours over the peer's.
        Assert.Equal(D("ingest_s") + D("count_s") + D("answers_s"), D("evidence_to_answers_s"), 6);
        Assert.Equal(D("evidence_to_answers_s") / D("duckdb_ctas_s"), D("evidence_to_answers_vs_duckdb_ctas"), 6);
        Assert.Equal(new[] { D("ingest_peak_mib"), D("count_peak_mib"), D("answers_peak_mib"), D("incremental_peak_mib") }.Max(), D("pipeline_peak_mib"), 6);
        Assert.InRange(D("incremental_s"), double.Epsilon, D("ingest_s") + D("count_s") + D("answers_s") + 60);
        Assert.InRange(root.GetProperty("records").GetInt64(), 100_000, 200_000);
    }
}
