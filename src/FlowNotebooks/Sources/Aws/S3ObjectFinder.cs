using FlowNotebooks.Formats;
using Amazon.S3;
using Amazon.S3.Model;

namespace FlowNotebooks.Sources.Aws;

/// <summary>What to take from a bucket: a location, optional account and region filters, an optional time window.</summary>
public sealed record S3Selection(S3Location Location)
{
    /// <summary>Accounts (12 digits) to read; null or empty = every account folder found under AWSLogs/.</summary>
    public IReadOnlyList<string>? Accounts { get; init; }
    /// <summary>Regions to read; null or empty = every region folder found.</summary>
    public IReadOnlyList<string>? Regions { get; init; }
    /// <summary>Window start (UTC); objects whose key stamp cannot hold records at or after it are not taken.</summary>
    public DateTime? From { get; init; }
    /// <summary>Window end (UTC, exclusive).</summary>
    public DateTime? To { get; init; }
    /// <summary>Keys per list call (S3's maximum and default is 1,000); smaller only to exercise paging.</summary>
    public int? PageSize { get; init; }
}

/// <summary>An object as listed.</summary>
public sealed record S3Listed(string Bucket, string Key, long Size, string ETag, DateTime? LastModified)
{
    public KeyMetadata Meta => S3KeyLayout.Parse(Key);

    /// <summary>A version to fetch instead of the current object (an earlier version of a deleted one); null = current.</summary>
    public string? VersionId { get; init; }
}

/// <summary>The objects picked and every prefix listed to find them (the listing is part of the acquisition record).</summary>
public sealed record S3Plan(IReadOnlyList<S3Listed> Objects, IReadOnlyList<string> ListedPrefixes);

/// <summary>
/// Finds flow-log objects for a window while listing as little as possible: the account and region folders under
/// <c>AWSLogs/</c> (default and Hive-compatible layouts side by side), then only the day folders the window touches,
/// and inside a day only the hour folders (per-hour layout) it touches; objects are then picked by the stamp in their
/// name (<see cref="S3KeyLayout.CanHold"/>). Without a window, or when the prefix already points inside a layout, the
/// prefix is listed whole and filtered by key.
/// </summary>
public sealed class S3ObjectFinder(IAmazonS3 s3, AwsRetryPolicy retry, Action<Exception>? onRetry = null)
{
    readonly List<string> listed = [];

    public async Task<S3Plan> FindAsync(S3Selection selection, CancellationToken cancel = default)
    {
        listed.Clear();
        var loc = selection.Location;
        var accounts = selection.Accounts is { Count: > 0 } a ? a.ToHashSet(StringComparer.Ordinal) : null;
        var regions = selection.Regions is { Count: > 0 } r ? r.ToHashSet(StringComparer.Ordinal) : null;
        var found = new List<S3Listed>();

        if (selection.From is null && selection.To is null || loc.Prefix.Contains("AWSLogs/", StringComparison.Ordinal)
            || S3KeyLayout.IsSecurityLakePrefix(loc.Prefix))
        {
            var (objects, _) = await ListAsync(loc.Bucket, loc.Prefix, delimiter: null, cancel, selection.PageSize);
            found.AddRange(objects.Where(o => Wanted(o.Meta, accounts, regions) && InWindow(o, selection)));
            return new S3Plan(found.OrderBy(o => o.Key, StringComparer.Ordinal).ToList(), listed.ToList());
        }

        var prefix = loc.Prefix.Length == 0 ? null : loc.Prefix;
        var (_, accountFolders) = await ListAsync(loc.Bucket, S3KeyLayout.LogsRoot(prefix), "/", cancel);
        foreach (var folder in accountFolders)
        {
            if (S3KeyLayout.ParseAccountFolder(folder) is not var (account, hive)) continue;
            if (accounts is not null && !accounts.Contains(account)) continue;
            var service = S3KeyLayout.ServiceFolder(prefix, account, hive);
            var (_, regionFolders) = await ListAsync(loc.Bucket, service, "/", cancel);
            foreach (var rf in regionFolders)
            {
                if (S3KeyLayout.ParseRegionFolder(rf, hive) is not { } region) continue;
                if (regions is not null && !regions.Contains(region)) continue;
                var regionFolder = S3KeyLayout.RegionFolder(service, region, hive);
                foreach (var day in Days(selection))
                {
                    var dayFolder = S3KeyLayout.DayFolder(regionFolder, day, hive);
                    var (dayObjects, hourFolders) = await ListAsync(loc.Bucket, dayFolder, "/", cancel);
                    found.AddRange(dayObjects.Where(o => InWindow(o, selection)));
                    foreach (var hf in hourFolders)
                    {
                        if (S3KeyLayout.ParseHourFolder(hf) is not { } hour) continue;
                        var start = day.AddHours(hour);
                        if (!HourTouches(start, selection)) continue;
                        var (hourObjects, _) = await ListAsync(loc.Bucket, hf, delimiter: null, cancel);
                        found.AddRange(hourObjects.Where(o => InWindow(o, selection)));
                    }
                }
            }
        }
        return new S3Plan(found.OrderBy(o => o.Key, StringComparer.Ordinal).ToList(), listed.ToList());
    }

    /// <summary>UTC days whose folders can hold objects stamped for the window.</summary>
    static IEnumerable<DateTime> Days(S3Selection s)
    {
        var first = (s.From!.Value - S3KeyLayout.StampSlack).Date;
        var last = (s.To ?? DateTime.UtcNow).AddTicks(-1).Date;
        for (var d = first; d <= last; d = d.AddDays(1)) yield return DateTime.SpecifyKind(d, DateTimeKind.Utc);
    }

    /// <summary>An hour folder holds stamps in [start, start+1h); some of them must be able to hold the window.</summary>
    static bool HourTouches(DateTime start, S3Selection s) =>
        (s.From is not { } f || start.AddHours(1) + S3KeyLayout.StampSlack > f) && (s.To is not { } t || start < t);

    static bool InWindow(S3Listed o, S3Selection s) =>
        o.Meta.EventDay is { } day ? S3KeyLayout.DayCanHold(day, s.From, s.To)
        : o.Meta.DeliveryTime is not { } stamp || S3KeyLayout.CanHold(stamp, s.From, s.To);

    static bool Wanted(KeyMetadata m, HashSet<string>? accounts, HashSet<string>? regions) =>
        (accounts is null || m.AccountId is null || accounts.Contains(m.AccountId)) && (regions is null || m.Region is null || regions.Contains(m.Region));

    /// <summary>Every object under a prefix (recursively), as listed.</summary>
    public async Task<IReadOnlyList<S3Listed>> ListUnderAsync(string bucket, string prefix, CancellationToken cancel = default) =>
        (await ListAsync(bucket, prefix, delimiter: null, cancel)).Objects;

    async Task<(List<S3Listed> Objects, List<string> Folders)> ListAsync(string bucket, string prefix, string? delimiter, CancellationToken cancel, int? pageSize = null)
    {
        listed.Add(delimiter is null ? prefix : prefix + " (folders)");
        var objects = new List<S3Listed>();
        var folders = new List<string>();
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = delimiter, ContinuationToken = token, MaxKeys = pageSize };
            var response = await retry.RunAsync(c => s3.ListObjectsV2Async(request, c), onRetry, cancel);
            foreach (var o in response.S3Objects ?? [])
            {
                if (o.Key.EndsWith('/')) continue; // folder placeholder objects some tools create
                objects.Add(new S3Listed(bucket, o.Key, o.Size ?? 0, o.ETag ?? "", o.LastModified?.ToUniversalTime()));
            }
            folders.AddRange(response.CommonPrefixes ?? []);
            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        } while (token is not null);
        return (objects, folders);
    }
}
