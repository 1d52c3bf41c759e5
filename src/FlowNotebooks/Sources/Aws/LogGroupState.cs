using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// The retention clock of CloudWatch Logs groups: DescribeLogGroups saved as <c>aws logs describe-log-groups</c> prints
/// it (<c>{"logGroups": [...]}</c>, members as the service gives them) plus <c>describedAt</c>, the time the clock was
/// read; loaded into the case's <c>log_groups</c> table. Events older than retentionInDays days are deleted by the
/// service, so what a group still holds, and until when, follows from these figures and that time.
/// </summary>
public static class LogGroupState
{
    /// <summary>Describes the log group (exact name) and saves it beside its events; returns the entry and what it read.</summary>
    public static async Task<(ManifestEntry Entry, IReadOnlyList<LogGroupInfo> Groups)> CollectAsync(AwsSettings settings, string logGroup, string folder,
        CancellationToken cancel = default)
    {
        var (region, now, groups) = await DescribeAsync(settings, logGroup, cancel);
        var doc = new JsonObject { ["logGroups"] = groups, ["describedAt"] = now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) };
        var relative = $"cloudwatch/{region}/{CloudWatchCollector.SafeName(logGroup)}/describe-log-groups.json";
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        File.WriteAllText(path + ".partial", text);
        File.Move(path + ".partial", path, overwrite: true);
        var written = File.ReadAllBytes(path);
        var entry = new ManifestEntry
        {
            Source = $"cloudwatch-config://{region}/{logGroup.TrimStart('/')}", Key = logGroup, Path = relative, Size = written.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(written)), AcquiredAt = DateTime.UtcNow, Note = $"describe-log-groups: {groups.Count} group(s)",
        };
        AcquisitionManifest.Open(folder).Add(entry);
        return (entry, LogGroupInfo.Parse(written).Groups);
    }

    /// <summary>DescribeLogGroups for one group (exact name), every page: the region asked, the time, the groups as the service gave them.</summary>
    public static async Task<(string Region, DateTime DescribedAt, JsonArray Groups)> DescribeAsync(AwsSettings settings, string logGroup, CancellationToken cancel = default)
    {
        using var client = new CloudWatchLogsClient(settings);
        var now = DateTime.UtcNow;
        var groups = new JsonArray();
        string? token = null;
        try
        {
            do
            {
                var body = new JsonObject { ["logGroupNamePrefix"] = logGroup };
                if (token is not null) body["nextToken"] = token;
                var bytes = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
                var page = await settings.Retry.RunAsync(c => client.CallAsync("DescribeLogGroups", bytes, c), null, cancel);
                foreach (var g in (page["logGroups"] as JsonArray ?? []).OfType<JsonObject>())
                    if (g["logGroupName"]?.GetValue<string>() == logGroup) groups.Add(g.DeepClone());
                token = page["nextToken"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
            } while (token is not null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw AwsErrors.Explain(ex, $"Describing CloudWatch Logs group {logGroup}", settings);
        }
        return (client.Region, now, groups);
    }
}
