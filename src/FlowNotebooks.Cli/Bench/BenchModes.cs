using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli.Bench;

/// <summary>One measured way of reading the corpus, run in its own process so its peak memory is its own.</summary>
internal static class BenchModes
{
    /// <param name="CpuSeconds">CPU seconds (user + sys) of the measured work, where the mode measures it.</param>
    /// <param name="BaselineCpuSeconds">CPU seconds of the same-run baseline, where the mode has one.</param>
    /// <param name="CompressCpuSeconds">Of <paramref name="CpuSeconds"/>, the part spent compressing and writing (generator).</param>
    /// <param name="ObjectCpuSeconds">Of <paramref name="CpuSeconds"/>, the part spent creating and closing files (generator).</param>
    /// <param name="BaselineGzipBytes">Bytes the same-run baseline compressed to (generator: GZipStream at Fastest).</param>
    public sealed record Measurement(string Mode, double Seconds, long Records, long PeakBytes, long StoreBytes, double CpuSeconds = 0,
        double BaselineCpuSeconds = 0, double CompressCpuSeconds = 0, double ObjectCpuSeconds = 0, long BaselineGzipBytes = 0);

    /// <param name="generateRecords">Records for the generate-gz mode (larger counts make JIT warm-up matter less).</param>
    public static Measurement Run(string mode, string corpus, string work, long generateRecords = 10_000_000)
    {
        // Listed only by the modes that read the corpus: generate-gz runs without one.
        IReadOnlyList<string> files = mode is "gunzip-floor" or "duckdb-read-csv" ? BenchCorpus.TextObjects(corpus) : [];
        var clock = Stopwatch.StartNew();
        long records = 0, storeBytes = 0;
        switch (mode)
        {
            case "gunzip-floor":
                // The floor: decompress and count newlines (less each object's header line), two files at a time.
                var counts = new long[files.Count];
                Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    using var gz = new GZipStream(File.OpenRead(files[i]), CompressionMode.Decompress);
                    var buffer = new byte[1 << 16];
                    long lines = 0;
                    int n;
                    while ((n = gz.Read(buffer)) > 0) lines += buffer.AsSpan(0, n).Count((byte)'\n');
                    counts[i] = lines - 1;
                });
                records = counts.Sum();
                break;
            case "duckdb-read-csv":
                var peerDb = Path.Combine(work, "peer.duckdb");
                using (var store = CaseStore.Open(peerDb))
                {
                    records = BenchCorpus.DuckDbCtas(store, files);
                    store.Execute("CHECKPOINT");
                }
                storeBytes = new FileInfo(peerDb).Length;
                break;
            case "flownb-ingest":
                var caseDb = Path.Combine(work, "case.duckdb");
                using (var store = CaseStore.Open(caseDb))
                {
                    var summary = new EvidenceLoader(store).Load([corpus]);
                    records = summary.Records;
                    if (summary.Rejects > 0) throw new InvalidOperationException($"{summary.Rejects} rejects in the bench corpus");
                    store.Execute("CHECKPOINT");
                }
                storeBytes = new FileInfo(caseDb).Length;
                break;
            case "generate-gz":
                // The scenario generator writing S3 gzip text, one thread: records per CPU-second, and gzip alone of the same text.
                var generated = FlowNotebooks.Scenarios.GenerateBench.Measure(generateRecords, folder: Path.Combine(work, "generated"));
                return new Measurement(mode, generated.WallSeconds, generated.Records, PeakRss(), generated.GzipBytes, generated.CpuSeconds, generated.BaselineCpuSeconds,
                    generated.CompressCpuSeconds, generated.ObjectCpuSeconds, generated.BaselineGzipBytes);
            default:
                throw new CliException($"Unknown bench mode '{mode}'.");
        }
        return new Measurement(mode, clock.Elapsed.TotalSeconds, records, PeakRss(), storeBytes);
    }

    /// <summary>Peak resident set size of this process (VmHWM on Linux; the working-set peak elsewhere).</summary>
    internal static long PeakRss()
    {
        if (File.Exists("/proc/self/status"))
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }

    public static string ToJson(Measurement m) => JsonSerializer.Serialize(m);
    public static Measurement FromJson(string s) => JsonSerializer.Deserialize<Measurement>(s)!;
}
