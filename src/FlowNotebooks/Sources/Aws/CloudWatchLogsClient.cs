using System.Text;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Sources.Aws;

/// <summary>A FilterLogEvents query.</summary>
/// <param name="LogGroupName">The log group (or its ARN).</param>
public sealed record FilterLogEventsQuery(string LogGroupName)
{
    public IReadOnlyList<string>? LogStreamNames { get; init; }
    public string? LogStreamNamePrefix { get; init; }
    /// <summary>Epoch ms, inclusive.</summary>
    public long? StartTime { get; init; }
    /// <summary>Epoch ms, inclusive (the API's rule).</summary>
    public long? EndTime { get; init; }
    public string? FilterPattern { get; init; }
    /// <summary>Events per page (API maximum 10,000); null = the service default.</summary>
    public int? Limit { get; init; }
}

/// <summary>One page of FilterLogEvents: the events as raw JSON objects (kept member for member), streams searched, the next token.</summary>
public sealed record FilterLogEventsPage(IReadOnlyList<JsonObject> Events, IReadOnlyList<JsonObject> SearchedLogStreams, string? NextToken);

/// <summary>
/// A small client for the CloudWatch Logs JSON API (AWSSDK.CloudWatchLogs is not available here): the JSON 1.1 protocol
/// (<see cref="AwsJsonService"/>, <c>X-Amz-Target: Logs_20140328.&lt;Action&gt;</c>, SigV4 service <c>logs</c>) with
/// credentials from <see cref="AwsProfiles"/>; throttling and 5xx are retried by <see cref="AwsRetryPolicy"/>.
/// Requests and signatures are never logged.
/// </summary>
public sealed class CloudWatchLogsClient : IDisposable
{
    readonly AwsJsonService service;
    readonly AwsSettings settings;

    public CloudWatchLogsClient(AwsSettings settings, string? region = null)
    {
        this.settings = settings;
        var resolved = region ?? settings.ResolveRegion();
        service = new AwsJsonService(settings, resolved, AwsEndpoints.CloudWatchLogs(settings, resolved), "logs", "Logs_20140328", "CloudWatch Logs");
    }

    public string Region => service.Region;
    public Uri Endpoint => service.Endpoint;

    /// <summary>Every page of a query, following nextToken until the service gives none; each call retried per the settings.</summary>
    public async IAsyncEnumerable<FilterLogEventsPage> FilterLogEventsAsync(FilterLogEventsQuery query, Action<Exception>? onRetry = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel = default)
    {
        string? token = null;
        do
        {
            var body = new JsonObject { ["logGroupName"] = query.LogGroupName };
            if (query.LogGroupName.StartsWith("arn:", StringComparison.Ordinal)) body = new JsonObject { ["logGroupIdentifier"] = query.LogGroupName };
            if (query.LogStreamNames is { Count: > 0 } names) body["logStreamNames"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());
            if (query.LogStreamNamePrefix is { } prefix) body["logStreamNamePrefix"] = prefix;
            if (query.StartTime is { } start) body["startTime"] = start;
            if (query.EndTime is { } end) body["endTime"] = end;
            if (query.FilterPattern is { } pattern) body["filterPattern"] = pattern;
            if (query.Limit is { } limit) body["limit"] = limit;
            if (token is not null) body["nextToken"] = token;
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            var response = await settings.Retry.RunAsync(c => CallAsync("FilterLogEvents", bytes, c), onRetry, cancel);
            var events = (response["events"] as JsonArray ?? []).OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList();
            var searched = (response["searchedLogStreams"] as JsonArray ?? []).OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList();
            var next = response["nextToken"]?.GetValue<string>();
            yield return new FilterLogEventsPage(events, searched, next);
            token = string.IsNullOrEmpty(next) ? null : next;
        } while (token is not null);
    }

    /// <summary>One signed call of a Logs action; returns the parsed JSON answer or throws <see cref="AwsCallException"/>.</summary>
    public Task<JsonObject> CallAsync(string action, byte[] body, CancellationToken cancel) => service.CallAsync(action, body, cancel);

    public void Dispose() => service.Dispose();
}
