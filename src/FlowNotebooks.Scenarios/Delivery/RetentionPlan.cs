using System.Globalization;
using System.Text.Json;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// The configuration a collection would have read beside a scenario's objects: the bucket's versioning and lifecycle,
/// the log group's retention, and one object deleted after delivery (its earlier version stays in the case, as a
/// collection that lists object versions recovers it). Written in the documents <c>flownb collect</c> saves:
/// <c>s3-buckets/BUCKET.json</c> (kind flownb-bucket-state) and <c>cloudwatch/describe-log-groups.json</c>.
/// </summary>
public sealed record RetentionPlan(DateTime CollectedAt, string Bucket, int ExpireDays, int TransitionDays, string TransitionClass, int NoncurrentDays)
{
    public string? LogGroup { get; init; }
    public int? LogGroupRetentionDays { get; init; }
    public DateTime LogGroupCreated { get; init; }
    /// <summary>The capture and the hour (UTC, "yyyyMMddTHH") of the object deleted after delivery, and when.</summary>
    public (Capture Capture, string Hour, DateTime DeletedAt)? Deleted { get; init; }

    /// <summary>AWS: a lifecycle action falls due at the midnight UTC after written + days.</summary>
    public static DateTime Due(DateTime written, int days) => written.AddDays(days).Date.AddDays(1);

    /// <summary>Writes the documents; returns the deleted object's key (null when none was found) for the answer key.</summary>
    public string? Write(string folder)
    {
        string? deletedKey = null;
        var versions = new List<(string Key, string Version, bool Latest, bool Marker, DateTime Modified, long Size)>();
        string? dayPrefix = null;
        if (Deleted is var (capture, hour, deletedAt))
        {
            var root = Path.Combine(folder, "s3", Bucket);
            var file = Directory.Exists(root)
                ? Directory.EnumerateFiles(root, $"*_{capture.FlowLogId}_{hour}*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
                : null;
            if (file is not null)
            {
                deletedKey = Path.GetRelativePath(root, file).Replace('\\', '/');
                dayPrefix = deletedKey[..(deletedKey.LastIndexOf('/') + 1)];
                // The versions under that day folder: each object once (current), the deleted one as a version and its marker.
                foreach (var f in Directory.EnumerateFiles(Path.GetDirectoryName(file)!).Order(StringComparer.Ordinal))
                {
                    var key = Path.GetRelativePath(root, f).Replace('\\', '/');
                    var written = Stamp(key).AddMinutes(capture.ObjectMinutes).AddSeconds(41);
                    var gone = key == deletedKey;
                    versions.Add((key, VersionId(key, 1), !gone, false, written, new FileInfo(f).Length));
                    if (gone) versions.Add((key, VersionId(key, 2), true, true, deletedAt, 0));
                }
            }
        }
        var path = Path.Combine(folder, "s3-buckets", Bucket + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = File.Create(path))
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteString("kind", "flownb-bucket-state");
            j.WriteString("bucket", Bucket);
            j.WriteString("described_at", CollectedAt);
            j.WriteString("versioning", "Enabled");
            j.WriteStartArray("lifecycle");
            Action(j, "expire", ExpireDays, null);
            Action(j, "transition", TransitionDays, TransitionClass);
            Action(j, "expire-noncurrent", NoncurrentDays, null);
            j.WriteEndArray();
            j.WriteStartArray("version_prefixes");
            if (dayPrefix is not null) j.WriteStringValue(dayPrefix);
            j.WriteEndArray();
            j.WriteStartArray("versions");
            foreach (var v in versions)
            {
                j.WriteStartObject();
                j.WriteString("key", v.Key);
                j.WriteString("version_id", v.Version);
                j.WriteBoolean("is_latest", v.Latest);
                j.WriteBoolean("delete_marker", v.Marker);
                j.WriteString("last_modified", v.Modified);
                j.WriteNumber("size", v.Size);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        if (LogGroup is not null)
        {
            var groups = Path.Combine(folder, "cloudwatch", "describe-log-groups.json");
            Directory.CreateDirectory(Path.GetDirectoryName(groups)!);
            using var stream = File.Create(groups);
            using var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 4 });
            j.WriteStartObject();
            j.WriteStartArray("logGroups");
            j.WriteStartObject();
            j.WriteString("logGroupName", LogGroup);
            j.WriteNumber("creationTime", new DateTimeOffset(LogGroupCreated).ToUnixTimeMilliseconds());
            if (LogGroupRetentionDays is { } days) j.WriteNumber("retentionInDays", days);
            j.WriteNumber("metricFilterCount", 0);
            j.WriteString("arn", $"arn:aws:logs:{Region}:{Account}:log-group:{LogGroup}:*");
            j.WriteNumber("storedBytes", 0);
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteString("describedAt", CollectedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            j.WriteEndObject();
        }
        return deletedKey;
    }

    public string Region { get; init; } = "us-east-1";
    public string Account { get; init; } = "000000000000";

    static void Action(Utf8JsonWriter j, string action, int days, string? storageClass)
    {
        j.WriteStartObject();
        j.WriteString("rule_id", "flow-log-retention");
        j.WriteString("prefix", "AWSLogs/");
        j.WriteString("status", "Enabled");
        j.WriteString("action", action);
        j.WriteNumber("days", days);
        if (storageClass is not null) j.WriteString("storage_class", storageClass);
        j.WriteEndObject();
    }

    /// <summary>A version id in S3's shape (32 URL-safe characters), the same for the same key every time.</summary>
    public static string VersionId(string key, int n) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{key}#{n}")))[..32].Replace('+', '.').Replace('/', '_');

    static DateTime Stamp(string key)
    {
        var m = System.Text.RegularExpressions.Regex.Match(key, @"_(\d{8}T\d{4}Z)_");
        return m.Success ? DateTime.SpecifyKind(DateTime.ParseExact(m.Groups[1].Value, "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture), DateTimeKind.Utc) : default;
    }
}
