using System.Buffers;
using System.IO.Compression;

namespace FlowNotebooks.Scenarios;

/// <summary>
/// One generation-speed measurement: records per CPU-second of the generator writing S3 gzip text, and, in the same run,
/// the baseline of gzip alone (the runtime's GZipStream at <see cref="CompressionLevel.Fastest"/>) compressing the very
/// same text the generator wrote, object by object.
/// </summary>
/// <param name="CompressCpuSeconds">Of <paramref name="CpuSeconds"/>: compressing and writing object bytes.</param>
/// <param name="ObjectCpuSeconds">Of <paramref name="CpuSeconds"/>: creating and closing objects.</param>
public sealed record GenerateSpeed(long Records, int Objects, double CpuSeconds, double WallSeconds, long TextBytes, long GzipBytes,
    double BaselineCpuSeconds, long BaselineGzipBytes, double CompressCpuSeconds, double ObjectCpuSeconds)
{
    public double RecordsPerCpuSecond => Records / Math.Max(1e-9, CpuSeconds);
    public double BaselineRecordsPerCpuSecond => Records / Math.Max(1e-9, BaselineCpuSeconds);
    /// <summary>Generator speed over gzip-alone speed (above 1: generating and compressing costs less CPU than gzip alone did).</summary>
    public double RatioToBaseline => BaselineCpuSeconds / Math.Max(1e-9, CpuSeconds);
}

/// <summary>
/// Generation speed for the benchmark: the default scenario at a record count, S3 gzip text only, into a temporary
/// folder that is deleted afterwards. Single-threaded, so records per CPU-second is records per second per core.
/// </summary>
public static class GenerateBench
{
    public static GenerateResult GzipText(long records, int seed = ScenarioOptions.DefaultSeed, string? folder = null) =>
        InFolder(folder, dir => Generate(records, seed, dir));

    /// <summary>
    /// Generates <paramref name="records"/> after a warm-up run, then measures the gzip-alone baseline on its output. The
    /// warm-up is a quarter of the run (at least 50,000 records, at most 500,000): tiered JIT promotes hot methods only
    /// after they have run a while, and with a 50,000-record warm-up the background recompiling (CPU time of this process
    /// too) and the slower early code fell inside the measured run, about half a CPU-second of it. The warm-up folder is deleted only afterwards: deleting hundreds of files just before the measured run
    /// makes the file system slower to create the next ones.
    /// </summary>
    public static GenerateSpeed Measure(long records = 2_000_000, int seed = ScenarioOptions.DefaultSeed, string? folder = null) =>
        InFolder(null, warmUp =>
        {
            Generate(Math.Clamp(records / 4, 50_000, 500_000), seed, warmUp);
            return InFolder(folder, dir =>
            {
                var result = Generate(records, seed, dir);
                var (text, gzip, baselineCpu, baselineGzip) = Baseline(dir);
                return new GenerateSpeed(result.Records, result.Objects, result.CpuSeconds, result.Elapsed.TotalSeconds, text, gzip,
                    baselineCpu, baselineGzip, result.CompressCpuSeconds, result.ObjectCpuSeconds);
            });
        });

    static GenerateResult Generate(long records, int seed, string dir) =>
        CaseGenerator.Generate(ScenarioCatalog.Default, new ScenarioOptions(seed, records.ToString(System.Globalization.CultureInfo.InvariantCulture), CaseFormats.Text), dir);

    static T InFolder<T>(string? folder, Func<string, T> run)
    {
        var dir = folder ?? Path.Combine(Path.GetTempPath(), $"flownb-bench-{Guid.NewGuid():N}");
        try
        {
            return run(dir);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Decompresses each .log.gz the generator wrote (not timed) and compresses it again with GZipStream at Fastest into a
    /// null stream (timed, CPU seconds): the cost of gzip alone for the same bytes.
    /// </summary>
    static (long Text, long Gzip, double Cpu, long BaselineGzip) Baseline(string dir)
    {
        long text = 0, gzip = 0, baselineGzip = 0;
        double cpu = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.log.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                gzip += new FileInfo(file).Length;
                var used = 0;
                using (var input = new GZipStream(File.OpenRead(file), CompressionMode.Decompress))
                {
                    int n;
                    while ((n = input.Read(buffer, used, buffer.Length - used)) > 0)
                    {
                        used += n;
                        if (used == buffer.Length)
                        {
                            var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, used).CopyTo(bigger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                        }
                    }
                }
                text += used;
                var counter = new CountingStream();
                var before = CpuClock.Seconds;
                using (var output = new GZipStream(counter, CompressionLevel.Fastest))
                    for (var at = 0; at < used; at += 1 << 16) output.Write(buffer, at, Math.Min(1 << 16, used - at));
                cpu += CpuClock.Seconds - before;
                baselineGzip += counter.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (text, gzip, cpu, baselineGzip);
    }

    /// <summary>A write-only stream that keeps nothing but the byte count.</summary>
    sealed class CountingStream : Stream
    {
        long length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
    }
}
