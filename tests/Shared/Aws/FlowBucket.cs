using FlowNotebooks.Formats;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FlowNotebooks.Sources;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// A small deterministic central-logging bucket: account A (default layout, daily folders, two regions) and account B
/// (Hive-compatible layout with per-hour folders, one region), one object per hour stamped HH:05 over 8–12 March 2026,
/// each a gzip'ed default-format file with a header and three records ending inside its five-minute slot. The scenario
/// generator built in parallel can replace this later; the tests only depend on <see cref="Items"/> and the window rule.
/// </summary>
public static class FlowBucket
{
    public const string AccountA = "111111111111";
    public const string AccountB = "222222222222";
    public static readonly DateTime FirstDay = new(2026, 3, 8, 0, 0, 0, DateTimeKind.Utc);
    public const int Days = 5;

    public sealed record Item(string Key, byte[] Bytes, string Account, string Region, DateTime Stamp, KeyLayout Layout);

    public static IReadOnlyList<Item> Items()
    {
        var items = new List<Item>();
        (string Account, string Region, KeyLayout Layout)[] series =
        [
            (AccountA, "us-east-1", KeyLayout.Default),
            (AccountA, "eu-west-1", KeyLayout.Default),
            (AccountB, "us-east-1", KeyLayout.HivePerHour),
        ];
        foreach (var (account, region, layout) in series)
        {
            for (var h = 0; h < Days * 24; h++)
            {
                var stamp = FirstDay.AddHours(h).AddMinutes(5);
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{account}{region}{stamp:O}")))[..8];
                var key = S3KeyLayout.Folder(null, account, region, stamp, layout) + S3KeyLayout.FileName(account, region, $"fl-{account[..4]}abcd", stamp, hash);
                items.Add(new Item(key, Gzip(Text(account, region, stamp, h)), account, region, stamp, layout));
            }
        }
        return items;
    }

    static string Text(string account, string region, DateTime stamp, int n)
    {
        var sb = new StringBuilder("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n");
        var t0 = new DateTimeOffset(stamp).ToUnixTimeSeconds();
        var net = region == "us-east-1" ? 10 : 172;
        for (var i = 0; i < 3; i++)
        {
            var end = t0 + 60 * i + 30;
            sb.Append(CultureInfo.InvariantCulture,
                $"2 {account} eni-{account[..4]}{i:D4}abcd0 {net}.0.{i}.{n % 250 + 1} 198.51.100.{i + 7} {40000 + n} {(i == 2 ? 22 : 443)} 6 {n + i + 1} {(n + 1) * (i + 3) * 40} {end - 50} {end} {(i == 2 ? "REJECT" : "ACCEPT")} OK\n");
        }
        return sb.ToString();
    }

    static byte[] Gzip(string text)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.ASCII.GetBytes(text));
        return ms.ToArray();
    }
}
