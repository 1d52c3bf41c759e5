using System.Globalization;
using System.IO.Compression;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>Default-format S3 gzip objects under AWS's key layout, written by tests that need a few of them.</summary>
internal static class S3TextObjects
{
    public const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    /// <summary>An object of a flow log delivered at <paramref name="stamp"/> holding <paramref name="lines"/> after the
    /// header (the default format's unless <paramref name="header"/> names the fields).</summary>
    public static string Write(string folder, string flowLogId, DateTime stamp, IReadOnlyList<string> lines, string header = Header)
    {
        var dir = Path.Combine(folder, "AWSLogs", "111111111111", "vpcflowlogs", "eu-west-1", stamp.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, FormattableString.Invariant($"111111111111_vpcflowlogs_eu-west-1_{flowLogId}_{stamp:yyyyMMddTHHmm}Z_{lines.Count:x8}.log.gz"));
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var w = new StreamWriter(gz);
        w.Write(header + "\n");
        foreach (var line in lines) w.Write(line + "\n");
        return path;
    }

    /// <summary>A record of eni-0a that ended five minutes before <paramref name="stamp"/>.</summary>
    public static string Record(DateTime stamp, string srcaddr, int srcport, long bytes = 840)
    {
        var end = new DateTimeOffset(stamp, TimeSpan.Zero).ToUnixTimeSeconds() - 300;
        return FormattableString.Invariant($"2 111111111111 eni-0a {srcaddr} 10.0.1.9 {srcport} 443 6 10 {bytes} {end - 60} {end} ACCEPT OK");
    }
}
