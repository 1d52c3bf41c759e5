using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowNotebooks.Sources;

/// <summary>One action of a lifecycle rule: "expire" (current objects), "transition" (to <see cref="StorageClass"/>) or
/// "expire-noncurrent" (earlier versions, <see cref="Days"/> after they stop being current).</summary>
public sealed record LifecycleAction(
    [property: JsonPropertyName("rule_id")] string RuleId,
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("days")] int? Days,
    [property: JsonPropertyName("date")] DateTime? Date,
    [property: JsonPropertyName("storage_class")] string? StorageClass);

/// <summary>One version (or delete marker) of an object as ListObjectVersions gives it.</summary>
public sealed record ObjectVersion(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("version_id")] string VersionId,
    [property: JsonPropertyName("is_latest")] bool IsLatest,
    [property: JsonPropertyName("delete_marker")] bool DeleteMarker,
    [property: JsonPropertyName("last_modified")] DateTime LastModified,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("etag")] string? ETag,
    [property: JsonPropertyName("storage_class")] string? StorageClass);

/// <summary>
/// What decides how long a flow-log bucket keeps its objects and whether a deletion can be seen: the versioning state
/// (GetBucketVersioning), the lifecycle rules (GetBucketLifecycleConfiguration) and, for a versioned bucket, the versions
/// and delete markers under the window's day folders (ListObjectVersions). Saved as evidence
/// (<c>s3-buckets/BUCKET.json</c>, SHA-256 in the manifest) and loaded into the case's <c>buckets</c>,
/// <c>bucket_lifecycle</c> and <c>object_versions</c> tables.
/// </summary>
public sealed record BucketState
{
    /// <summary>Marks the file so a folder load recognises it.</summary>
    public const string Marker = "flownb-bucket-state";

    [JsonPropertyName("kind")] public string Kind { get; init; } = Marker;
    [JsonPropertyName("bucket")] public required string Bucket { get; init; }
    [JsonPropertyName("region")] public string? Region { get; init; }
    /// <summary>When the configuration was read: the clock every expiry is measured from.</summary>
    [JsonPropertyName("described_at")] public DateTime DescribedAt { get; init; }
    /// <summary>"Enabled", "Suspended" or "Off" (never enabled); null when it could not be read (<see cref="VersioningError"/>).</summary>
    [JsonPropertyName("versioning")] public string? Versioning { get; init; }
    [JsonPropertyName("versioning_error")] public string? VersioningError { get; init; }
    [JsonPropertyName("lifecycle")] public IReadOnlyList<LifecycleAction> Lifecycle { get; init; } = [];
    /// <summary>Why the lifecycle could not be read (none configured is not an error: an empty list).</summary>
    [JsonPropertyName("lifecycle_error")] public string? LifecycleError { get; init; }
    /// <summary>Prefixes whose versions were listed.</summary>
    [JsonPropertyName("version_prefixes")] public IReadOnlyList<string> VersionPrefixes { get; init; } = [];
    [JsonPropertyName("versions")] public IReadOnlyList<ObjectVersion> Versions { get; init; } = [];

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BucketState FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<BucketState>(json, Json) ?? throw new JsonException("Not a bucket state document.");

    /// <summary>The objects (keys) whose latest version is a delete marker, each with the version before it (null when
    /// none is listed) and the marker.</summary>
    public IEnumerable<(ObjectVersion Marker, ObjectVersion? Earlier)> Deleted() =>
        Versions.GroupBy(v => v.Key, StringComparer.Ordinal)
            .Select(g => (Latest: g.FirstOrDefault(v => v.IsLatest) ?? g.MaxBy(v => v.LastModified)!, All: g.ToList()))
            .Where(x => x.Latest.DeleteMarker)
            .Select(x => (x.Latest, x.All.Where(v => !v.DeleteMarker && v.LastModified <= x.Latest.LastModified).MaxBy(v => v.LastModified)))
            .OrderBy(x => x.Latest.Key, StringComparer.Ordinal);
}
