using FlowNotebooks.Formats;
using System.Globalization;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// Whose AWS access an acquisition uses and where it looks: profiles (one run each, e.g. one per account; none = the
/// default chain), an optional role to assume with an external id, regions and accounts. The faces (<c>flownb collect</c>,
/// <c>flownb ingest s3://</c>, <c>#!flow-collect</c>, <c>#!flow-load s3://</c>) fill one from their options.
/// </summary>
public sealed record AwsAccess
{
    /// <summary>Named profiles; empty = AWS_PROFILE, then the default chain.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Role to assume with each profile's credentials.</summary>
    public string? RoleArn { get; init; }

    /// <summary>External id for <see cref="RoleArn"/>.</summary>
    public string? ExternalId { get; init; }

    /// <summary>S3: only these regions' folders under AWSLogs/. CloudWatch and EC2: the regions to query. Empty = all / the profile's.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>S3: only these accounts' folders under AWSLogs/; empty = every account found.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>Region of the S3 bucket when it is not the profile's.</summary>
    public string? BucketRegion { get; init; }

    /// <summary>What every settings starts from: the shared files, environment and retry policy (the process's by default).</summary>
    public AwsSettings Base { get; init; } = new();

    /// <summary>One settings per profile (or one for the default chain), for <paramref name="region"/>.</summary>
    public IReadOnlyList<AwsSettings> Settings(string? region = null) =>
        (Profiles.Count > 0 ? Profiles.Select(p => (string?)p) : [null])
        .Select(p => Base with { Profile = p ?? Base.Profile, Region = region ?? Base.Region, RoleArn = RoleArn ?? Base.RoleArn, ExternalId = ExternalId ?? Base.ExternalId }).ToList();

    /// <summary>For services queried per region (CloudWatch, EC2): each region given (or the profile's), each profile.</summary>
    public IEnumerable<AwsSettings> SettingsPerRegion() =>
        (Regions.Count > 0 ? Regions.Select(r => (string?)r) : [null]).SelectMany(Settings);

    /// <summary>The S3 selection for a location and window, filtered by <see cref="Accounts"/> and <see cref="Regions"/>.</summary>
    public S3Selection Selection(S3Location location, DateTime? from, DateTime? to) =>
        new(location) { Accounts = Accounts, Regions = Regions, From = from, To = to };
}

/// <summary>What <see cref="EvidenceCollection.CollectAsync"/> acquires: a target (<c>s3://BUCKET/PREFIX</c>,
/// <c>cloudwatch://LOG-GROUP</c> or <c>ec2</c>), an evidence folder, a window and the AWS access.</summary>
public sealed record CollectionRequest(string Target, string Folder)
{
    public AwsAccess Access { get; init; } = new();

    /// <summary>Window start, UTC.</summary>
    public DateTime? From { get; init; }

    /// <summary>Window end, UTC, exclusive.</summary>
    public DateTime? To { get; init; }

    /// <summary>CloudWatch: only these log streams.</summary>
    public IReadOnlyList<string> Streams { get; init; } = [];

    /// <summary>CloudWatch: only streams starting with this.</summary>
    public string? StreamPrefix { get; init; }

    /// <summary>Parallel S3 downloads.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>The command as the analyst gave it, for the custody record (secrets are removed before it is kept).</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];
}

/// <summary>The kinds of collection target.</summary>
public enum CollectionKind { S3, CloudWatch, Ec2 }

/// <summary>A parsed collection target.</summary>
public sealed record CollectionTarget(CollectionKind Kind, S3Location? Bucket = null, string? LogGroup = null)
{
    const string CloudWatchScheme = "cloudwatch://";

    /// <summary>Parses <c>s3://BUCKET[/PREFIX]</c>, <c>cloudwatch://LOG-GROUP</c> (<c>cloudwatch:///vpc/flow</c> for a group
    /// named <c>/vpc/flow</c>) or <c>ec2</c>; anything else is a <see cref="FormatException"/> saying what to give.</summary>
    public static CollectionTarget Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (S3Location.IsS3Uri(t)) return new(CollectionKind.S3, Bucket: S3Location.Parse(t));
        if (t.StartsWith(CloudWatchScheme, StringComparison.OrdinalIgnoreCase))
        {
            var group = t[CloudWatchScheme.Length..];
            if (group.Length == 0) throw new FormatException("cloudwatch:// needs a log group name (cloudwatch:///vpc/flow-logs for '/vpc/flow-logs').");
            return new(CollectionKind.CloudWatch, LogGroup: group);
        }
        if (t.Equals("ec2", StringComparison.OrdinalIgnoreCase)) return new(CollectionKind.Ec2);
        throw new FormatException($"Unknown source '{t}': give s3://BUCKET/PREFIX, cloudwatch://LOG-GROUP or ec2.");
    }
}

/// <summary>One run of a collection (one profile, one region): what it took and a line saying so.</summary>
public sealed record CollectedPart(string Summary, int Objects, long Bytes, long Records, int Throttles, int Retries, IReadOnlyList<ManifestEntry> Entries)
{
    /// <summary>Remarks on single objects (e.g. why one was fetched again).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>S3: objects already complete and verified in the folder, skipped.</summary>
    public int Verified { get; init; }

    /// <summary>S3: objects downloaded in this run.</summary>
    public int Downloaded { get; init; }
}

/// <summary>What a collection did, over all its parts.</summary>
public sealed record CollectionResult(string Target, string Folder, IReadOnlyList<CollectedPart> Parts)
{
    /// <summary>The folder's custody record after this collection.</summary>
    public CustodyRecord? Custody { get; init; }

    /// <summary>custody.json of the folder.</summary>
    public string CustodyFile => Path.Combine(Folder, CustodyRecord.FileName);

    /// <summary>manifest.jsonl of the folder.</summary>
    public string Manifest => Path.Combine(Folder, AcquisitionManifest.FileName);
    public int Objects => Parts.Sum(p => p.Objects);
    public int Downloaded => Parts.Sum(p => p.Downloaded);
    public int Verified => Parts.Sum(p => p.Verified);
    public long Bytes => Parts.Sum(p => p.Bytes);
    public long Records => Parts.Sum(p => p.Records);
    public int Throttles => Parts.Sum(p => p.Throttles);
    public int Retries => Parts.Sum(p => p.Retries);
}

/// <summary>What listing one s3:// location for a streamed load found.</summary>
public sealed record S3Listing(S3Location Location, int Objects, int ListedPrefixes)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Location}: {Objects:N0} objects in the window, {ListedPrefixes:N0} prefixes listed.");
}

/// <summary>
/// Live acquisition from AWS, once for every face: <see cref="CollectAsync"/> acquires a target into an evidence folder
/// with a SHA-256 manifest (a re-run resumes), Ingest's EvidenceIntake reads local paths and streams s3:// locations
/// into a case in one load. Progress is typed (<see cref="AcquisitionProgress"/>); nothing
/// here prints, and no message carries a key, token or signed URL.
/// </summary>
public static class EvidenceCollection
{
    /// <summary>Acquires <see cref="CollectionRequest.Target"/> into <see cref="CollectionRequest.Folder"/>: one part per
    /// profile (S3) or per region and profile (CloudWatch, EC2).</summary>
    public static async Task<CollectionResult> CollectAsync(CollectionRequest request, IProgress<AcquisitionProgress>? progress = null,
        CancellationToken cancel = default)
    {
        if (string.IsNullOrWhiteSpace(request.Folder)) throw new ArgumentException("Give the evidence folder (--out DIR).");
        if (request.Workers < 1) throw new ArgumentException("--workers must be 1 or more.");
        var target = CollectionTarget.Parse(request.Target);
        var folder = request.Folder;
        var a = request.Access;
        var c = CultureInfo.InvariantCulture;
        var parts = new List<CollectedPart>();
        switch (target.Kind)
        {
            case CollectionKind.S3:
                var selection = a.Selection(target.Bucket!, request.From, request.To);
                foreach (var settings in a.Settings(a.BucketRegion))
                {
                    var watch = new FinalSnapshot(progress);
                    var r = await new S3Acquirer(settings, request.Workers).AcquireAsync(selection, folder, watch, cancel);
                    var notes = r.Notes.Concat(r.Suspects.Select(e => $"{e.Source}: SUSPECT {e.Suspect}")).ToList();
                    IReadOnlyList<ManifestEntry> extra = [];
                    try
                    {
                        var state = await BucketStateCollector.CollectAsync(settings, selection, r.ListedPrefixes, folder, cancel);
                        extra = state.Recovered; // the state file is in the manifest, but not one of the objects counted
                        notes.Add($"bucket {state.State.Bucket}: versioning {state.State.Versioning ?? "unknown (" + state.State.VersioningError + ")"}, "
                            + $"{state.State.Lifecycle.Count} lifecycle action(s){(state.State.LifecycleError is { } le ? " (lifecycle unknown: " + le + ")" : "")} -> {state.Entry.Path}");
                        notes.AddRange(state.Recovered.Select(e => $"{e.Source}: DELETED {e.DeletedAt:yyyy-MM-ddTHH:mm:ss}Z; {e.Note}, collected as {e.Path}"));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        notes.Add($"bucket {selection.Location.Bucket}: versioning, lifecycle and deleted objects not read: {AwsErrors.Explain(ex, "Reading the bucket's configuration", settings).Message}");
                    }
                    parts.Add(watch.Part(
                        string.Create(c, $"{selection.Location}: {r.Objects.Count:N0} objects in the window ({r.Downloaded:N0} downloaded, {r.Verified:N0} already complete and verified, {r.Refetched:N0} fetched again), {r.Bytes / 1048576.0:N1} MiB; {r.ListedPrefixes.Count:N0} prefixes listed."),
                        [.. r.Objects, .. extra], records: 0) with { Notes = notes, Verified = r.Verified, Downloaded = r.Downloaded });
                }
                break;
            case CollectionKind.CloudWatch:
                var query = new CloudWatchSelection(target.LogGroup!)
                {
                    Streams = request.Streams.Count > 0 ? request.Streams : null, StreamPrefix = request.StreamPrefix, From = request.From, To = request.To,
                };
                foreach (var settings in a.SettingsPerRegion())
                {
                    var watch = new FinalSnapshot(progress);
                    var r = await CloudWatchCollector.CollectAsync(settings, query, folder, watch, cancel);
                    var notes = new List<string>();
                    try
                    {
                        var (entry, groups) = await LogGroupState.CollectAsync(settings, target.LogGroup!, folder, cancel);
                        notes.AddRange(groups.Select(g => string.Create(c, $"log group {g.Name}: retention {(g.RetentionDays is { } d ? d + " days" : "never expire")}, created {g.CreationTime:yyyy-MM-ddTHH:mm:ss}Z, {g.StoredBytes ?? 0:N0} bytes stored -> {entry.Path}")));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        notes.Add($"log group {target.LogGroup}: retention not read: {ex.Message}");
                    }
                    parts.Add(watch.Part(string.Create(c, $"{r.Entry.Source}: {r.Events:N0} events in {r.Pages:N0} pages -> {r.Entry.Path} (sha256 {r.Entry.Sha256})."),
                        [r.Entry], r.Events) with { Notes = notes });
                }
                break;
            default:
                foreach (var settings in a.SettingsPerRegion())
                {
                    var watch = new FinalSnapshot(progress);
                    var r = await Ec2Collector.CollectAsync(settings, folder, watch, cancel);
                    parts.Add(watch.Part(
                        string.Create(c, $"ec2 {r.Region}: {r.FlowLogs:N0} flow logs, {r.Interfaces:N0} network interfaces -> {Path.GetRelativePath(folder, r.FlowLogsFile)}, {Path.GetRelativePath(folder, r.InterfacesFile)}."),
                        r.Entries, r.FlowLogs + r.Interfaces));
                }
                break;
        }
        var custody = CustodyWriter.Append(folder, await CustodyRunAsync(request, target, parts, cancel));
        return new CollectionResult(request.Target, folder, parts) { Custody = custody };
    }

    /// <summary>Who collected what from where: one principal per profile, the ARNs, regions and accounts read.</summary>
    static async Task<CustodyRun> CustodyRunAsync(CollectionRequest request, CollectionTarget target, List<CollectedPart> parts, CancellationToken cancel)
    {
        var a = request.Access;
        var service = target.Kind switch { CollectionKind.S3 => AwsService.S3, CollectionKind.CloudWatch => AwsService.CloudWatchLogs, _ => AwsService.Ec2 };
        var principals = new List<CallerIdentity>();
        foreach (var settings in a.Settings(target.Kind == CollectionKind.S3 ? a.BucketRegion : a.Regions.FirstOrDefault()))
            principals.Add(await CallerIdentityQuery.AskAsync(settings, service, cancel));
        var entries = parts.SelectMany(p => p.Entries).ToList();
        var regions = a.Regions.Count > 0 ? a.Regions.ToList() : [a.Settings(a.BucketRegion)[0].ResolveRegion()];
        var sources = target.Kind switch
        {
            CollectionKind.S3 => [$"arn:aws:s3:::{target.Bucket!.Bucket}"],
            CollectionKind.CloudWatch => regions.Select(r => $"arn:aws:logs:{r}:{principals.FirstOrDefault(p => p.Account is not null)?.Account ?? "*"}:log-group:{target.LogGroup}").ToList(),
            _ => regions.Select(r => $"arn:aws:ec2:{r}:{principals.FirstOrDefault(p => p.Account is not null)?.Account ?? "*"}:flow-log/*").ToList(),
        };
        var accounts = entries.Select(e => S3KeyLayout.Parse(e.Key).AccountId).Concat(principals.Select(p => p.Account)).Concat(a.Accounts)
            .OfType<string>().Where(x => x.Length == 12).Distinct().Order(StringComparer.Ordinal).ToList();
        return new CustodyRun
        {
            CollectedAt = DateTime.UtcNow, Principals = principals, LocalUser = Environment.UserName, Host = Environment.MachineName,
            ToolVersion = CustodyRecord.ToolVersion, CommandLine = CustodyRecord.SafeCommandLine(request.CommandLine.Count > 0 ? request.CommandLine : ["collect", request.Target]),
            Target = request.Target, Sources = sources, Regions = regions, Accounts = accounts, From = request.From, To = request.To,
        };
    }

    /// <summary>Passes progress on and keeps the finished snapshot (throttles and retries of the part).</summary>
    sealed class FinalSnapshot(IProgress<AcquisitionProgress>? inner) : IProgress<AcquisitionProgress>
    {
        AcquisitionProgress? last;

        public void Report(AcquisitionProgress value)
        {
            if (value.Finished) Volatile.Write(ref last, value);
            inner?.Report(value);
        }

        public CollectedPart Part(string summary, IReadOnlyList<ManifestEntry> entries, long records)
        {
            var p = Volatile.Read(ref last);
            return new CollectedPart(summary, entries.Count, entries.Sum(e => e.Size), records, p?.Throttles ?? 0, p?.Retries ?? 0, entries);
        }
    }
}
