namespace FlowNotebooks.Interactive.Tests.Fixtures;

/// <summary>A few v2 flow-log records written to a temp folder, with their known totals.</summary>
public sealed class Evidence : IDisposable
{
    public const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    /// <summary>(srcaddr, bytes) of each record, in file order.</summary>
    public static readonly (string Src, long Bytes)[] Records =
    [
        ("10.0.0.5", 5_000), ("10.0.0.5", 7_000), ("10.0.0.9", 1_200), ("10.0.0.7", 300), ("10.0.0.9", 4_000_000_000),
    ];

    public Evidence(string? extraLine = null)
    {
        Folder = Directory.CreateTempSubdirectory("flownb-itest-").FullName;
        var lines = new List<string> { Header };
        var start = 1_717_200_000L;
        for (var i = 0; i < Records.Length; i++)
        {
            var (src, bytes) = Records[i];
            var t = start + i * 3_600;
            lines.Add($"2 123456789012 eni-0a1b2c3d {src} 203.0.113.{i + 1} {49152 + i} 443 6 10 {bytes} {t} {t + 60} ACCEPT OK");
        }
        if (extraLine is not null) lines.Add(extraLine);
        File.WriteAllLines(Path.Combine(Folder, "eni-0a1b2c3d.log"), lines);
    }

    public string Folder { get; }

    public static long TotalBytes => Records.Sum(r => r.Bytes);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a case file still open elsewhere; temp space is reclaimed by the OS */ }
    }
}
