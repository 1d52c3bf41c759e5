using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Cli.Bench;

/// <summary>
/// The machine-readable figures of one bench run (<c>--json FILE</c>), so runs can be compared: ratios against the
/// floor and the peer measured in the same run, never absolute speeds alone (they say more about the machine).
/// </summary>
internal static class BenchSummary
{
    public static JsonObject Of(BenchModes.Measurement floor, BenchModes.Measurement peer, BenchModes.Measurement ours, BenchModes.Measurement? generator, int objects)
    {
        var summary = new JsonObject
        {
            // Above 1: our whole ingest is faster than DuckDB's read_csv CTAS of the same gz text.
            ["ingest_vs_duckdb"] = peer.Seconds / ours.Seconds,
            // 1 would be as fast as decompressing and counting lines.
            ["ingest_vs_floor"] = floor.Seconds / ours.Seconds,
            ["store_bytes_per_record"] = ours.Records == 0 ? 0 : ours.StoreBytes / (double)ours.Records,
            ["ingest_peak_mib"] = ours.PeakBytes / 1048576.0,
            ["records"] = ours.Records,
            ["corpus_records"] = floor.Records,
            ["objects"] = objects,
            ["cores"] = Environment.ProcessorCount,
            ["ingest_s"] = ours.Seconds,
            ["duckdb_ctas_s"] = peer.Seconds,
            ["floor_s"] = floor.Seconds,
            ["duckdb_peak_mib"] = peer.PeakBytes / 1048576.0,
            ["duckdb_store_bytes_per_record"] = peer.Records == 0 ? 0 : peer.StoreBytes / (double)peer.Records,
        };
        if (generator is { CpuSeconds: > 0 } g)
            summary["generator_records_per_cpu_s"] = g.Records / g.CpuSeconds;
        return summary;
    }

    public static void Write(string file, JsonObject summary)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(file, summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
