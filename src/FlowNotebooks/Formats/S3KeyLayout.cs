using System.Globalization;
using System.Text.RegularExpressions;

namespace FlowNotebooks.Formats;

/// <summary>
/// Reads and writes the S3 keys AWS uses for flow logs (default, per-hour, Hive-compatible), per
/// docs: <c>AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{MM}/{dd}/{account}_vpcflowlogs_{region}_{fl}_{yyyyMMddTHHmmZ}_{hash}.log.gz</c>.
/// </summary>
public static partial class S3KeyLayout
{
    /// <summary>Reads what a key or local path says; null fields when it does not follow the AWS naming.</summary>
    public static KeyMetadata Parse(string keyOrPath)
    {
        var key = keyOrPath.Replace('\\', '/');
        var name = key[(key.LastIndexOf('/') + 1)..];
        string? account = null, region = null, flowLogId = null, hash = null;
        DateTime? delivery = null;
        var m = FileName().Match(name);
        if (m.Success)
        {
            account = m.Groups["account"].Value;
            region = m.Groups["region"].Value;
            flowLogId = m.Groups["fl"].Value;
            hash = m.Groups["hash"].Value;
            delivery = DateTime.SpecifyKind(
                DateTime.ParseExact(m.Groups["ts"].Value, "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture), DateTimeKind.Utc);
        }
        var layout = KeyLayout.None;
        string? prefix = null;
        var d = DefaultPrefix().Match(key);
        var h = HivePrefix().Match(key);
        if (d.Success)
        {
            layout = d.Groups["hour"].Success ? KeyLayout.DefaultPerHour : KeyLayout.Default;
            account ??= d.Groups["account"].Value;
            region ??= d.Groups["region"].Value;
            prefix = d.Groups["prefix"].Value.TrimEnd('/');
        }
        else if (h.Success)
        {
            layout = h.Groups["hour"].Success ? KeyLayout.HivePerHour : KeyLayout.Hive;
            account ??= h.Groups["account"].Value;
            region ??= h.Groups["region"].Value;
            prefix = h.Groups["prefix"].Value.TrimEnd('/');
        }
        if (layout == KeyLayout.None && SecurityLakePrefix().Match(key) is { Success: true } s)
        {
            // Security Lake keeps the account and region in its partitions; objects carry no flow-log id or delivery stamp.
            return new KeyMetadata(s.Groups["account"].Value, s.Groups["region"].Value, null, null, null, KeyLayout.SecurityLake,
                s.Groups["prefix"].Value.TrimEnd('/') is { Length: > 0 } p ? p : null)
            {
                EventDay = DateTime.SpecifyKind(DateTime.ParseExact(s.Groups["day"].Value, "yyyyMMdd", CultureInfo.InvariantCulture), DateTimeKind.Utc),
                SourceVersion = s.Groups["version"].Value,
            };
        }
        return new KeyMetadata(account, region, flowLogId, delivery, hash, layout, string.IsNullOrEmpty(prefix) ? null : prefix);
    }

    /// <summary>True when a prefix points into a Security Lake VPC flow source (its folders are not under <c>AWSLogs/</c>).</summary>
    public static bool IsSecurityLakePrefix(string prefix) => prefix.Contains("aws/VPC_FLOW/", StringComparison.Ordinal);

    /// <summary>The folder part of a key for a delivery time, in a layout (ends with '/').</summary>
    public static string Folder(string? prefix, string account, string region, DateTime time, KeyLayout layout)
    {
        var p = string.IsNullOrEmpty(prefix) ? "" : prefix.TrimEnd('/') + "/";
        var t = time.ToUniversalTime();
        string I(string f) => t.ToString(f, CultureInfo.InvariantCulture);
        return layout switch
        {
            KeyLayout.Default => $"{p}AWSLogs/{account}/vpcflowlogs/{region}/{I("yyyy")}/{I("MM")}/{I("dd")}/",
            KeyLayout.DefaultPerHour => $"{p}AWSLogs/{account}/vpcflowlogs/{region}/{I("yyyy")}/{I("MM")}/{I("dd")}/{I("HH")}/",
            KeyLayout.Hive => $"{p}AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/year={I("yyyy")}/month={I("MM")}/day={I("dd")}/",
            KeyLayout.HivePerHour => $"{p}AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/year={I("yyyy")}/month={I("MM")}/day={I("dd")}/hour={I("HH")}/",
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "An AWS delivery layout is needed."),
        };
    }

    /// <summary>The object name AWS gives a delivery (<paramref name="extension"/> is ".log.gz" or ".log.parquet").</summary>
    public static string FileName(string account, string region, string flowLogId, DateTime time, string hash, string extension = ".log.gz") =>
        $"{account}_vpcflowlogs_{region}_{flowLogId}_{time.ToUniversalTime().ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}_{hash}{extension}";

    [GeneratedRegex(@"^(?<account>\d{12}|unknown)_vpcflowlogs_(?<region>[a-z0-9-]+)_(?<fl>fl-[0-9a-zA-Z]+)_(?<ts>\d{8}T\d{4}Z)_(?<hash>[0-9a-zA-Z]+)\.log(\.gz|\.parquet)?$")]
    private static partial Regex FileName();

    // Security Lake's native-source layout: aws/{SOURCE}/{source version}/region=/accountId=/eventDay=/ (AWS Security Lake
    // user guide, "Collecting data from AWS services"; the same paths appear in its documented S3 and Athena examples).
    [GeneratedRegex(@"(?<prefix>^|.*/)aws/VPC_FLOW/(?<version>[0-9]\.[0-9])/region=(?<region>[a-z0-9-]+)/accountId=(?<account>\d{12})/eventDay=(?<day>\d{8})/[^/]*$")]
    private static partial Regex SecurityLakePrefix();

    [GeneratedRegex(@"(?<prefix>^|.*/)AWSLogs/(?<account>\d{12})/vpcflowlogs/(?<region>[a-z0-9-]+)/\d{4}/\d{2}/\d{2}/(?<hour>\d{2}/)?[^/]*$")]
    private static partial Regex DefaultPrefix();

    [GeneratedRegex(@"(?<prefix>^|.*/)AWSLogs/aws-account-id=(?<account>\d{12})/(aws-)?service=vpcflowlogs/aws-region=(?<region>[a-z0-9-]+)/year=\d{4}/month=\d{2}/day=\d{2}/(?<hour>hour=\d{2}/)?[^/]*$")]
    private static partial Regex HivePrefix();
}
