using System.Globalization;
using System.Text.RegularExpressions;

namespace FlowNotebooks.Formats;

/// <summary>The folder (prefix) side of the AWS key layouts, for listing only the part of a bucket a time window needs.</summary>
public static partial class S3KeyLayout
{
    /// <summary>
    /// How far before a window an object's key stamp may lie and still hold records of it. The loader uses the same
    /// hour (see EvidenceLoader.InWindow): per-hour objects and the aggregation interval make a stamp an approximate
    /// lower bound of the records' end times, so one hour of slack is taken rather than miss evidence.
    /// </summary>
    public static readonly TimeSpan StampSlack = TimeSpan.FromHours(1);

    /// <summary>True when an object stamped <paramref name="stamp"/> can hold records of [from, to).</summary>
    public static bool CanHold(DateTime stamp, DateTime? from, DateTime? to) =>
        (from is not { } f || stamp + StampSlack > f) && (to is not { } t || stamp < t);

    /// <summary>True when a Security Lake <c>eventDay</c> partition (a UTC day) can hold events of [from, to).</summary>
    public static bool DayCanHold(DateTime day, DateTime? from, DateTime? to) =>
        (from is not { } f || day.AddDays(1) > f) && (to is not { } t || day < t);

    /// <summary><c>[prefix/]AWSLogs/</c></summary>
    public static string LogsRoot(string? prefix) => (string.IsNullOrEmpty(prefix) ? "" : prefix.TrimEnd('/') + "/") + "AWSLogs/";

    /// <summary>The service folder of an account: <c>…/AWSLogs/{account}/vpcflowlogs/</c> or the Hive form.</summary>
    public static string ServiceFolder(string? prefix, string account, bool hive) =>
        LogsRoot(prefix) + (hive ? $"aws-account-id={account}/aws-service=vpcflowlogs/" : $"{account}/vpcflowlogs/");

    /// <summary>The region folder under a service folder.</summary>
    public static string RegionFolder(string serviceFolder, string region, bool hive) =>
        serviceFolder + (hive ? $"aws-region={region}/" : $"{region}/");

    /// <summary>The day folder under a region folder.</summary>
    public static string DayFolder(string regionFolder, DateTime day, bool hive)
    {
        string I(string f) => day.ToString(f, CultureInfo.InvariantCulture);
        return regionFolder + (hive ? $"year={I("yyyy")}/month={I("MM")}/day={I("dd")}/" : $"{I("yyyy")}/{I("MM")}/{I("dd")}/");
    }

    /// <summary>An account folder found under <c>AWSLogs/</c> (a common prefix such as <c>…/AWSLogs/123456789012/</c>), or null.</summary>
    public static (string Account, bool Hive)? ParseAccountFolder(string commonPrefix)
    {
        var m = AccountFolderPattern().Match(LastSegment(commonPrefix));
        if (!m.Success) return null;
        return (m.Groups["acct"].Value, m.Groups["hive"].Success);
    }

    /// <summary>A region folder found under a service folder, or null.</summary>
    public static string? ParseRegionFolder(string commonPrefix, bool hive)
    {
        var m = RegionFolderPattern().Match(LastSegment(commonPrefix));
        if (!m.Success || m.Groups["hive"].Success != hive) return null;
        return m.Groups["region"].Value;
    }

    /// <summary>True for an AWS region name such as <c>eu-west-1</c> (the shape of a region folder).</summary>
    public static bool IsRegionName(string s) => RegionFolderPattern().Match(s) is { Success: true } m && !m.Groups["hive"].Success;

    /// <summary>The hour of a per-hour folder (<c>…/HH/</c> or <c>…/hour=HH/</c>) under a day folder, or null.</summary>
    public static int? ParseHourFolder(string commonPrefix)
    {
        var m = HourFolderPattern().Match(LastSegment(commonPrefix));
        return m.Success ? int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) : null;
    }

    static string LastSegment(string commonPrefix)
    {
        var p = commonPrefix.TrimEnd('/');
        return p[(p.LastIndexOf('/') + 1)..];
    }

    [GeneratedRegex(@"^(?<hive>aws-account-id=)?(?<acct>\d{12})$")]
    private static partial Regex AccountFolderPattern();

    [GeneratedRegex(@"^(?<hive>aws-region=)?(?<region>[a-z]{2}(-[a-z]+)+-\d+)$")]
    private static partial Regex RegionFolderPattern();

    [GeneratedRegex(@"^(hour=)?(?<h>[01]\d|2[0-3])$")]
    private static partial Regex HourFolderPattern();
}
