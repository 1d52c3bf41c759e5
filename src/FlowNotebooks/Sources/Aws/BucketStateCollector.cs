using FlowNotebooks.Formats;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;

namespace FlowNotebooks.Sources.Aws;

/// <summary>What reading a bucket's state did: the state, its evidence file, and the earlier versions of deleted objects collected.</summary>
public sealed record BucketStateResult(BucketState State, ManifestEntry Entry, IReadOnlyList<ManifestEntry> Recovered);

/// <summary>
/// Reads a flow-log bucket's versioning and lifecycle and, when it is versioned, lists the versions and delete markers
/// under the window's day folders; the earlier version of every object deleted there is downloaded (verified like any
/// object) to the path the object had, so it loads like any other. A call the bucket or the store refuses
/// (AccessDenied, NotImplemented) is recorded as unknown and the collection goes on: the objects are the evidence, the
/// configuration only dates it.
/// </summary>
public static partial class BucketStateCollector
{
    /// <summary>The folder (under the evidence folder) of bucket states.</summary>
    public const string Folder = "s3-buckets";

    public static async Task<BucketStateResult> CollectAsync(AwsSettings settings, S3Selection selection, IReadOnlyList<string> listedPrefixes, string folder,
        CancellationToken cancel = default)
    {
        var region = settings.ResolveRegion();
        using var s3 = AwsClients.S3(settings, region);
        var bucket = selection.Location.Bucket;
        var now = DateTime.UtcNow;
        var (versioning, versioningError, lifecycle, lifecycleError) = await ReadConfigurationAsync(s3, settings, bucket, cancel);
        var versions = new List<ObjectVersion>();
        var prefixes = new List<string>();
        if (versioning is "Enabled" or "Suspended")
        {
            prefixes = VersionPrefixes(selection, listedPrefixes);
            foreach (var prefix in prefixes)
                versions.AddRange(await ListVersionsAsync(s3, settings, bucket, prefix, selection, cancel));
        }
        var state = new BucketState
        {
            Bucket = bucket, Region = region, DescribedAt = now, Versioning = versioning, VersioningError = versioningError,
            Lifecycle = lifecycle, LifecycleError = lifecycleError, VersionPrefixes = prefixes,
            Versions = versions.DistinctBy(v => (v.Key, v.VersionId)).OrderBy(v => v.Key, StringComparer.Ordinal).ThenBy(v => v.LastModified).ToList(),
        };

        var manifest = AcquisitionManifest.Open(folder);
        var recovered = new List<ManifestEntry>();
        foreach (var (marker, earlier) in state.Deleted())
        {
            if (earlier is null) continue;
            var source = $"s3://{bucket}/{marker.Key}";
            if (manifest.Find(source) is { VersionId: { } had } e && had == earlier.VersionId && File.Exists(Path.Combine(folder, e.Path)))
            {
                recovered.Add(e);
                continue;
            }
            var place = S3LocalPath.For(bucket, marker.Key);
            var listed = new S3Listed(bucket, marker.Key, earlier.Size, earlier.ETag ?? "", earlier.LastModified) { VersionId = earlier.VersionId };
            var d = await S3Downloader.DownloadAsync(s3, listed, Path.Combine(folder, place.Relative), settings.Retry, null, null, cancel);
            var entry = new ManifestEntry
            {
                Source = source, Key = marker.Key, Path = place.Relative.Replace('\\', '/'), Size = d.Size, ETag = d.ETag, VersionId = earlier.VersionId,
                LastModified = earlier.LastModified, Md5 = d.Md5, Sha256 = d.Sha256, AcquiredAt = DateTime.UtcNow, DeletedAt = marker.LastModified,
                Note = $"earlier version {earlier.VersionId} of an object deleted {marker.LastModified:yyyy-MM-ddTHH:mm:ss}Z (delete marker {marker.VersionId})",
                Suspect = place.Planted is { } p ? $"planted key: {p}" : DeliveryNameCheck.Contradiction(marker.Key, earlier.LastModified) is { } c0 ? $"name contradicted: {c0}" : null,
            };
            manifest.Add(entry);
            recovered.Add(entry);
        }

        // Bucket names are [a-z0-9.-]; anything else (an S3-compatible store's) becomes '_' so the name stays one file.
        var relative = $"{Folder}/{string.Concat(bucket.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_')).TrimStart('.')}.json";
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".partial", state.ToJson());
        File.Move(path + ".partial", path, overwrite: true);
        var bytes = File.ReadAllBytes(path);
        var stateEntry = new ManifestEntry
        {
            Source = $"s3-config://{bucket}", Key = bucket, Path = relative, Size = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            AcquiredAt = DateTime.UtcNow,
            Note = $"versioning {versioning ?? "unknown"}, {lifecycle.Count} lifecycle action(s), {state.Versions.Count} version(s) listed, {recovered.Count} deleted object(s) recovered",
        };
        manifest.Add(stateEntry);
        return new BucketStateResult(state, stateEntry, recovered);
    }

    /// <summary>Versioning and lifecycle of a bucket; what could not be read is null with the reason.</summary>
    public static async Task<(string? Versioning, string? VersioningError, List<LifecycleAction> Lifecycle, string? LifecycleError)> ReadConfigurationAsync(
        IAmazonS3 s3, AwsSettings settings, string bucket, CancellationToken cancel)
    {
        string? versioning = null, versioningError = null, lifecycleError = null;
        var lifecycle = new List<LifecycleAction>();
        try
        {
            var v = await Ask(settings, c => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, c), cancel);
            var status = v.VersioningConfig?.Status?.Value;
            versioning = string.IsNullOrEmpty(status) || status == "Off" ? "Off" : status;
        }
        catch (AmazonS3Exception ex)
        {
            versioningError = $"{ex.ErrorCode}: {ex.Message}";
        }
        try
        {
            var l = await Ask(settings, c => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, c), cancel);
            foreach (var rule in l.Configuration?.Rules ?? [])
                lifecycle.AddRange(Actions(rule));
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchLifecycleConfiguration")
        {
        }
        catch (AmazonS3Exception ex)
        {
            lifecycleError = $"{ex.ErrorCode}: {ex.Message}";
        }

        return (versioning, versioningError, lifecycle, lifecycleError);
    }

    /// <summary>A configuration read, retried like any call except when the store says it does not implement it (501):
    /// S3-compatible stores often do not, and asking again only delays the collection.</summary>
    static Task<T> Ask<T>(AwsSettings settings, Func<CancellationToken, Task<T>> call, CancellationToken cancel)
    {
        var policy = settings.Retry;
        return policy.RunAsync(async c =>
        {
            try
            {
                return await call(c);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotImplemented)
            {
                throw new AmazonS3Exception(ex.Message, ex.ErrorType, ex.ErrorCode ?? "NotImplemented", ex.RequestId, System.Net.HttpStatusCode.BadRequest);
            }
        }, null, cancel);
    }

    static IEnumerable<LifecycleAction> Actions(LifecycleRule rule)
    {
        var id = rule.Id ?? "";
#pragma warning disable CS0618 // the rule-level Prefix is deprecated but still returned for rules written that way
        var prefix = rule.Filter?.Prefix ?? (rule.Filter?.LifecycleFilterPredicate as LifecyclePrefixPredicate)?.Prefix ?? rule.Prefix ?? "";
#pragma warning restore CS0618
        var status = rule.Status?.Value ?? "";
        if (rule.Expiration is { } e && (e.Days is > 0 || e.Date is not null))
            yield return new LifecycleAction(id, prefix, status, "expire", e.Days is > 0 ? e.Days : null, e.Date?.ToUniversalTime(), null);
        foreach (var t in rule.Transitions ?? [])
            yield return new LifecycleAction(id, prefix, status, "transition", t.Days, t.Date?.ToUniversalTime(), t.StorageClass?.Value);
        if (rule.NoncurrentVersionExpiration is { NoncurrentDays: > 0 } n)
            yield return new LifecycleAction(id, prefix, status, "expire-noncurrent", n.NoncurrentDays, null, null);
    }

    /// <summary>The day folders the finder listed (a deleted object's day may hold no current object, but its folder was
    /// listed for the window); without them, the location's prefix.</summary>
    static List<string> VersionPrefixes(S3Selection selection, IReadOnlyList<string> listed)
    {
        var days = listed.Select(p => p.EndsWith(" (folders)", StringComparison.Ordinal) ? p[..^10] : p).Where(p => DayFolder().IsMatch(p))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return days.Count > 0 ? days : [selection.Location.Prefix];
    }

    static async Task<List<ObjectVersion>> ListVersionsAsync(IAmazonS3 s3, AwsSettings settings, string bucket, string prefix, S3Selection selection, CancellationToken cancel)
    {
        var list = new List<ObjectVersion>();
        string? keyMarker = null, versionMarker = null;
        while (true)
        {
            var request = new ListVersionsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = keyMarker, VersionIdMarker = versionMarker };
            var page = await settings.Retry.RunAsync(c => s3.ListVersionsAsync(request, c), null, cancel);
            foreach (var v in page.Versions ?? [])
            {
                if (v.Key.EndsWith('/')) continue;
                if (S3KeyLayout.Parse(v.Key).DeliveryTime is { } stamp && !S3KeyLayout.CanHold(stamp, selection.From, selection.To)) continue;
                list.Add(new ObjectVersion(v.Key, v.VersionId ?? "null", v.IsLatest == true, v.IsDeleteMarker == true,
                    v.LastModified?.ToUniversalTime() ?? DateTime.MinValue, v.Size ?? 0, v.ETag?.Trim('"'), v.StorageClass?.Value));
            }
            if (page.IsTruncated != true) break;
            keyMarker = page.NextKeyMarker;
            versionMarker = page.NextVersionIdMarker;
        }
        return list;
    }

    [GeneratedRegex(@"(/\d{4}/\d{2}/\d{2}/|/day=\d{2}/)$")]
    private static partial Regex DayFolder();
}
