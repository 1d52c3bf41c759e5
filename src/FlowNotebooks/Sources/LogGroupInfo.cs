using System.Text.Json;

namespace FlowNotebooks.Sources;

/// <summary>A log group as DescribeLogGroups gives it: how long it keeps events and since when it exists.</summary>
/// <param name="RetentionDays">retentionInDays; null = never expire.</param>
public sealed record LogGroupInfo(string Name, string? Arn, int? RetentionDays, DateTime? CreationTime, long? StoredBytes)
{
    /// <summary>Reads a describe-log-groups document; <c>describedAt</c> is null for one the CLI wrote (it has none).</summary>
    /// <exception cref="JsonException">Not describe-log-groups output.</exception>
    public static (IReadOnlyList<LogGroupInfo> Groups, DateTime? DescribedAt) Parse(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("logGroups", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new JsonException("Not describe-log-groups output: no \"logGroups\" array.");
        var groups = new List<LogGroupInfo>();
        foreach (var g in list.EnumerateArray())
        {
            var name = g.TryGetProperty("logGroupName", out var n) ? n.GetString() : null;
            if (name is null) throw new JsonException("A logGroups entry has no logGroupName.");
            groups.Add(new LogGroupInfo(name,
                g.TryGetProperty("arn", out var a) ? a.GetString() : null,
                g.TryGetProperty("retentionInDays", out var r) && r.TryGetInt32(out var days) ? days : null,
                g.TryGetProperty("creationTime", out var c) && c.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null,
                g.TryGetProperty("storedBytes", out var b) && b.TryGetInt64(out var bytes) ? bytes : null));
        }
        DateTime? at = root.TryGetProperty("describedAt", out var d) && d.TryGetDateTime(out var t) ? t.ToUniversalTime() : null;
        return (groups, at);
    }
}


