using System.Security.Cryptography;
using Amazon.S3;

namespace FlowNotebooks.Sources.Aws;

/// <summary>What an acquisition did.</summary>
public sealed record S3AcquireResult(
    string Folder, int Downloaded, int Verified, int Refetched, long Bytes, IReadOnlyList<ManifestEntry> Objects, IReadOnlyList<string> ListedPrefixes,
    IReadOnlyList<string> Notes)
{
    /// <summary>Objects whose key could not be a local path (kept under an escaped name) or whose name its folder or
    /// write time contradicts: what an attacker who can write to the bucket would leave.</summary>
    public IReadOnlyList<ManifestEntry> Suspects { get; init; } = [];
}

/// <summary>
/// Acquires flow-log objects from S3 into an evidence folder: <c>FOLDER/BUCKET/KEY</c> (the key layout is kept, so the
/// folder reads back like an <c>aws s3 cp --recursive</c> copy), with <see cref="AcquisitionManifest"/> recording key,
/// size, ETag, version id and SHA-256 of each verified object. Re-running over the same folder skips every object whose
/// local copy still hashes to its manifest line and whose listing (size, ETag) is unchanged; anything else — a missing,
/// truncated or altered local copy, an object changed at the source — is fetched again.
/// </summary>
public sealed class S3Acquirer(AwsSettings settings, int parallelism = 4)
{
    public async Task<S3AcquireResult> AcquireAsync(S3Selection selection, string folder, IProgress<AcquisitionProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var counter = new AcquisitionCounter { Stage = "S3 acquire" };
        using var timer = progress is null ? null : new Timer(_ => progress.Report(counter.Snapshot()), null, 250, 250);
        var region = settings.ResolveRegion();
        using var s3 = AwsClients.S3(settings, region);
        S3Plan plan;
        try
        {
            plan = await new S3ObjectFinder(s3, settings.Retry, counter.Retry).FindAsync(selection, cancel);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw AwsErrors.Explain(ex, $"Listing {selection.Location}", settings);
        }
        counter.Plan(plan.Objects.Count, plan.Objects.Sum(o => o.Size));
        var manifest = AcquisitionManifest.Open(folder);
        var notes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int downloaded = 0, verified = 0, refetched = 0;
        long bytes = 0;
        try
        {
            await Parallel.ForEachAsync(plan.Objects, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancel },
                async (o, c) =>
                {
                    var source = $"s3://{o.Bucket}/{o.Key}";
                    var place = S3LocalPath.For(o.Bucket, o.Key);
                    var relative = place.Relative;
                    var local = Path.Combine(folder, relative);
                    var previous = manifest.Find(source);
                    string? note = null;
                    if (previous is not null)
                    {
                        var why = WhyNotVerified(previous, o, local);
                        if (why is null)
                        {
                            counter.VerifiedSkip(o.Size);
                            Interlocked.Increment(ref verified);
                            return;
                        }
                        note = $"fetched again: {why}";
                        notes.Enqueue($"{source}: {note}");
                        counter.Refetch();
                        Interlocked.Increment(ref refetched);
                    }
                    S3Downloaded d;
                    try
                    {
                        d = await S3Downloader.DownloadAsync(s3, o, local, settings.Retry, counter.Retry, counter.Bytes, c);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        throw AwsErrors.Explain(ex, $"Downloading {source}", settings);
                    }
                    var written = d.LastModified ?? o.LastModified;
                    var entry = new ManifestEntry
                    {
                        Source = source, Key = o.Key, Path = relative.Replace('\\', '/'), Size = d.Size, ETag = d.ETag, VersionId = d.VersionId,
                        LastModified = written, Md5 = d.Md5, Sha256 = d.Sha256, AcquiredAt = DateTime.UtcNow, Note = note,
                        Suspect = place.Planted is { } planted ? $"planted key: {planted}; kept as {relative.Replace('\\', '/')}, not loaded"
                            : DeliveryNameCheck.Contradiction(o.Key, written) is { } c0 ? $"name contradicted: {c0}" : null,
                    };
                    manifest.Add(entry);
                    counter.ObjectDone();
                    Interlocked.Increment(ref downloaded);
                    Interlocked.Add(ref bytes, d.Size);
                });
        }
        finally
        {
            progress?.Report(counter.Snapshot(finished: true));
        }
        var taken = plan.Objects.Select(o => $"s3://{o.Bucket}/{o.Key}").ToHashSet(StringComparer.Ordinal);
        var entries = manifest.Entries.Where(e => taken.Contains(e.Source)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        return new S3AcquireResult(folder, downloaded, verified, refetched, bytes, entries, plan.ListedPrefixes, notes.ToList())
        {
            Suspects = entries.Where(e => e.Suspect is not null).ToList(),
        };
    }

    /// <summary>Null when the local copy is the recorded object, else why it must be fetched again.</summary>
    static string? WhyNotVerified(ManifestEntry e, S3Listed o, string local)
    {
        if (e.Size != o.Size || (e.ETag is { } tag && o.ETag.Length > 0 && tag != o.ETag.Trim('"'))) return "the object changed at the source";
        if (!File.Exists(local)) return "local copy missing";
        if (new FileInfo(local).Length != e.Size) return "local copy has the wrong size";
        using (var f = File.OpenRead(local))
        {
            if (Convert.ToHexStringLower(SHA256.HashData(f)) != e.Sha256) return "local copy does not match its SHA-256";
        }
        return null;
    }
}
