using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Sources.Aws;

/// <summary>What to take from CloudWatch Logs.</summary>
public sealed record CloudWatchSelection(string LogGroup)
{
    public IReadOnlyList<string>? Streams { get; init; }
    public string? StreamPrefix { get; init; }
    /// <summary>Window start (UTC). CloudWatch stamps each flow record with its start time, so events from
    /// <see cref="LookBack"/> before it are asked for too: records that began earlier can still overlap the window.</summary>
    public DateTime? From { get; init; }
    /// <summary>Window end (UTC, exclusive).</summary>
    public DateTime? To { get; init; }
    /// <summary>How far before <see cref="From"/> to ask (default 15 min: the 10-minute maximum aggregation interval plus capture lag).</summary>
    public TimeSpan LookBack { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Events per page; null = the service default.</summary>
    public int? PageSize { get; init; }

    internal FilterLogEventsQuery Query() => new(LogGroup)
    {
        LogStreamNames = Streams,
        LogStreamNamePrefix = Streams is { Count: > 0 } ? null : StreamPrefix,
        StartTime = From is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc) - LookBack).ToUnixTimeMilliseconds() : null,
        EndTime = To is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds() - 1 : null,
        Limit = PageSize,
    };
}

/// <summary>What a collection wrote.</summary>
public sealed record CloudWatchCollectResult(string File, long Events, int Pages, ManifestEntry Entry);

/// <summary>
/// Collects a log group's events for a window into one file in exactly the shape <c>aws logs filter-log-events</c>
/// prints after following every page (<c>{"events": [...], "searchedLogStreams": [...]}</c>, 4-space indent, members in
/// the service's order), which the engine's loader reads like any analyst-collected file. Events are written as pages
/// arrive (memory stays at one page); the file is written as <c>.partial</c> and renamed, then recorded with its
/// SHA-256 in the evidence folder's manifest, so an interrupted run never leaves a file that looks complete.
/// </summary>
public static class CloudWatchCollector
{
    public static async Task<CloudWatchCollectResult> CollectAsync(AwsSettings settings, CloudWatchSelection selection, string folder,
        IProgress<AcquisitionProgress>? progress = null, CancellationToken cancel = default)
    {
        var counter = new AcquisitionCounter { Stage = $"CloudWatch {selection.LogGroup}" };
        using var timer = progress is null ? null : new Timer(_ => progress.Report(counter.Snapshot()), null, 250, 250);
        using var client = new CloudWatchLogsClient(settings);
        var relative = Path.Combine("cloudwatch", client.Region, SafeName(selection.LogGroup), FileName(selection));
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        long events = 0;
        var pages = 0;
        long written = 0;
        try
        {
            var searched = new List<JsonObject>();
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                json.WriteStartObject();
                json.WriteStartArray("events");
                await foreach (var page in client.FilterLogEventsAsync(selection.Query(), counter.Retry, cancel))
                {
                    foreach (var e in page.Events) e.WriteTo(json);
                    searched.AddRange(page.SearchedLogStreams);
                    events += page.Events.Count;
                    pages++;
                    counter.Records(page.Events.Count);
                    await json.FlushAsync(cancel);
                    counter.Bytes(json.BytesCommitted - written);
                    written = json.BytesCommitted;
                }
                json.WriteEndArray();
                json.WriteStartArray("searchedLogStreams");
                foreach (var s in Merge(searched)) s.WriteTo(json);
                json.WriteEndArray();
                json.WriteEndObject();
                await json.FlushAsync(cancel);
                file.Flush(flushToDisk: true);
            }
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw AwsErrors.Explain(ex, $"Collecting CloudWatch Logs group {selection.LogGroup}", settings);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
            progress?.Report(counter.Snapshot(finished: true));
        }
        string sha;
        using (var f = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(f));
        var entry = new ManifestEntry
        {
            Source = Source(client.Region, selection), Key = selection.LogGroup, Path = relative.Replace('\\', '/'), Size = new FileInfo(path).Length,
            Sha256 = sha, AcquiredAt = DateTime.UtcNow, Note = $"filter-log-events: {events} events in {pages} pages from {client.Endpoint.Host}",
        };
        AcquisitionManifest.Open(folder).Add(entry);
        return new CloudWatchCollectResult(path, events, pages, entry);
    }

    /// <summary>cloudwatch://REGION/GROUP?from=…&amp;to=… — how the evidence cites where it came from.</summary>
    static string Source(string region, CloudWatchSelection s) =>
        $"cloudwatch://{region}/{s.LogGroup.TrimStart('/')}" +
        (s.From is { } f ? $"?from={f:yyyy-MM-ddTHH:mm:ssZ}" : "") + (s.To is { } t ? $"{(s.From is null ? '?' : '&')}to={t:yyyy-MM-ddTHH:mm:ssZ}" : "");

    static string FileName(CloudWatchSelection s) =>
        "filter-log-events" + (s.From is { } f ? $"_{f:yyyyMMddTHHmmssZ}" : "") + (s.To is { } t ? $"_{t:yyyyMMddTHHmmssZ}" : "") + ".json";

    /// <summary>A log group name as one folder name ('/' and other awkward characters become '_').</summary>
    internal static string SafeName(string group) =>
        string.Concat(group.Trim('/').Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '#' ? c : '_'));

    /// <summary>searchedLogStreams repeat per page: one entry per stream, searchedCompletely true only if every page said so.</summary>
    static IEnumerable<JsonObject> Merge(List<JsonObject> searched) =>
        searched.GroupBy(s => s["logStreamName"]?.GetValue<string>() ?? "").Select(g => new JsonObject
        {
            ["logStreamName"] = g.Key,
            ["searchedCompletely"] = g.All(s => s["searchedCompletely"]?.GetValue<bool>() ?? false),
        });
}
