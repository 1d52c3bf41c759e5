using System.Globalization;

namespace FlowNotebooks.Sources.Aws;

/// <summary>One thing to copy: an S3 folder of the window or a log group, its size, and when its oldest window evidence expires.</summary>
/// <param name="ExpiresAt">When the first of its window's evidence expires; null = no expiry configured.</param>
/// <param name="Note">What else decides how to copy it (a Glacier class needs a restore first; what could not be read).</param>
public sealed record PreservationItem(string Source, int Objects, long Bytes, DateTime? ExpiresAt, string Note);

/// <summary>
/// <c>flownb collect --plan</c>: what the incident window needs and in which order to copy it, soonest to expire first,
/// without copying anything: for S3 the day (or hour) folders the window touches with their object counts and sizes
/// and the date their oldest object meets an enabled lifecycle expiry (S3 acts at the midnight UTC after written +
/// days); for CloudWatch Logs the group's stored bytes and the date its oldest window events pass the retention.
/// </summary>
public static class PreservationPlan
{
    public static async Task<IReadOnlyList<PreservationItem>> PlanAsync(CollectionRequest request, CancellationToken cancel = default)
    {
        var target = CollectionTarget.Parse(request.Target);
        var a = request.Access;
        var items = new List<PreservationItem>();
        switch (target.Kind)
        {
            case CollectionKind.S3:
                foreach (var settings in a.Settings(a.BucketRegion))
                {
                    using var s3 = AwsClients.S3(settings, settings.ResolveRegion());
                    var selection = a.Selection(target.Bucket!, request.From, request.To);
                    S3Plan found;
                    try
                    {
                        found = await new S3ObjectFinder(s3, settings.Retry).FindAsync(selection, cancel);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        throw AwsErrors.Explain(ex, $"Listing {selection.Location}", settings);
                    }
                    var (_, _, lifecycle, lifecycleError) = await BucketStateCollector.ReadConfigurationAsync(s3, settings, selection.Location.Bucket, cancel);
                    var enabled = lifecycle.Where(l => l.Status == "Enabled").ToList();
                    foreach (var folder in found.Objects.GroupBy(o => o.Key[..(o.Key.LastIndexOf('/') + 1)]))
                    {
                        var rules = enabled.Where(l => folder.Key.StartsWith(l.Prefix, StringComparison.Ordinal)).ToList();
                        DateTime? Due(LifecycleAction l) => l.Days is { } d
                            ? folder.Min(o => (o.LastModified ?? DateTime.UtcNow).AddDays(d).Date.AddDays(1)) : l.Date;
                        var expires = rules.Where(l => l.Action == "expire").Select(Due).Where(d => d is not null).DefaultIfEmpty(null).Min();
                        var notes = rules.Where(l => l.Action == "transition")
                            .Select(l => string.Create(CultureInfo.InvariantCulture, $"moves to {l.StorageClass} {Due(l):yyyy-MM-dd}{(l.StorageClass is "GLACIER" or "DEEP_ARCHIVE" ? " (then needs a restore)" : "")}"))
                            .ToList();
                        if (lifecycleError is not null) notes.Add($"lifecycle unknown: {lifecycleError}");
                        items.Add(new PreservationItem($"s3://{selection.Location.Bucket}/{folder.Key}", folder.Count(), folder.Sum(o => o.Size), expires,
                            notes.Count == 0 ? (expires is null ? "no lifecycle expiry" : "") : string.Join("; ", notes)));
                    }
                }
                break;
            case CollectionKind.CloudWatch:
                foreach (var settings in a.SettingsPerRegion())
                {
                    var (region, _, groups) = await LogGroupState.DescribeAsync(settings, target.LogGroup!, cancel);
                    var doc = System.Text.Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject { ["logGroups"] = groups.DeepClone() }.ToJsonString());
                    foreach (var g in LogGroupInfo.Parse(doc).Groups)
                    {
                        var oldest = request.From ?? g.CreationTime ?? DateTime.UtcNow;
                        var now = DateTime.UtcNow;
                        if (g.RetentionDays is { } days && oldest < now.AddDays(-days)) oldest = now.AddDays(-days);
                        items.Add(new PreservationItem($"cloudwatch://{region}/{g.Name.TrimStart('/')}", 0, g.StoredBytes ?? 0,
                            g.RetentionDays is { } d ? oldest.AddDays(d) : null,
                            g.RetentionDays is { } r ? $"retention {r} days; stored bytes are the whole group's" : "never expires; stored bytes are the whole group's"));
                    }
                }
                break;
            default:
                throw new ArgumentException("--plan is for s3:// and cloudwatch:// targets (ec2 descriptions are small and never expire).");
        }
        return items.OrderBy(i => i.ExpiresAt ?? DateTime.MaxValue).ThenBy(i => i.Source, StringComparer.Ordinal).ToList();
    }
}
