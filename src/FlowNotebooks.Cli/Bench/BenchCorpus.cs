using FlowNotebooks.Formats;
using System.IO.Compression;
using System.Text;
using FlowNotebooks.Sources;

namespace FlowNotebooks.Cli.Bench;

/// <summary>
/// A deterministic corpus of default-format (v2) gzip objects in the S3 key layout, shaped like a busy VPC
/// (a few hundred interfaces, repeated conversations, mostly ACCEPT), for ingest measurements.
/// </summary>
internal static class BenchCorpus
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    public static IReadOnlyList<string> Ensure(string dir, long records, int objects, int seed = 42)
    {
        var marker = Path.Combine(dir, $".complete-{records}-{objects}-{seed}");
        if (File.Exists(marker)) return Files(dir);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var perObject = records / objects;
        Parallel.For(0, objects, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, o =>
        {
            var rnd = new Random(seed * 1_000_003 + o);
            var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(5 * o);
            var path = Path.Combine(dir, S3KeyLayout.Folder(null, "123456789012", "us-east-1", start, KeyLayout.Default).TrimEnd('/'),
                S3KeyLayout.FileName("123456789012", "us-east-1", "fl-0bench0000000001", start, $"{o:x8}"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            using var w = new StreamWriter(gz, new UTF8Encoding(false), 1 << 16);
            w.Write(Header);
            w.Write('\n');
            var t0 = new DateTimeOffset(start).ToUnixTimeSeconds();
            var n = o == objects - 1 ? records - perObject * (objects - 1) : perObject;
            for (long i = 0; i < n; i++)
            {
                var eni = rnd.Next(300);
                var local = $"10.0.{eni / 250}.{eni % 250 + 4}";
                // Real traffic is concentrated: most records go to a few hundred peers, a long tail to many.
                var peer = (int)(Math.Pow(rnd.NextDouble(), 3) * 50_000);
                var remote = rnd.Next(4) == 0 ? $"10.0.{rnd.Next(4)}.{rnd.Next(4, 254)}" : $"{peer % 200 + 13}.{peer / 200 % 256}.{peer * 7 % 256}.{peer % 251 + 1}";
                var egress = rnd.Next(2) == 0;
                var port = rnd.Next(10) < 6 ? 443 : rnd.Next(1, 65535);
                var eph = rnd.Next(32768, 60999);
                var packets = rnd.Next(1, 2000);
                var s = t0 + rnd.Next(300);
                w.Write($"2 123456789012 eni-{eni:x17} {(egress ? local : remote)} {(egress ? remote : local)} {(egress ? eph : port)} {(egress ? port : eph)} {(rnd.Next(10) < 8 ? 6 : 17)} {packets} {packets * rnd.Next(40, 1500)} {s} {s + rnd.Next(1, 60)} {(rnd.Next(20) == 0 ? "REJECT" : "ACCEPT")} OK\n");
            }
        });
        File.WriteAllText(marker, "");
        return Files(dir);
    }

    public static IReadOnlyList<string> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*.log.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
}
