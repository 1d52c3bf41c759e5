using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;

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
/// A small client for the CloudWatch Logs JSON API (AWSSDK.CloudWatchLogs is not available here): POST / with
/// <c>X-Amz-Target: Logs_20140328.&lt;Action&gt;</c> and <c>application/x-amz-json-1.1</c>, signed with SigV4
/// (<see cref="SigV4Signer"/>) using credentials from <see cref="AwsProfiles"/>. Errors come back as
/// <see cref="AwsCallException"/> with the service's error code so <see cref="AwsRetryPolicy"/> can retry throttling
/// and 5xx. Requests and signatures are never logged.
/// </summary>
public sealed class CloudWatchLogsClient : IDisposable
{
    const string Service = "logs";
    readonly HttpClient http;
    readonly AWSCredentials credentials;
    readonly AwsSettings settings;

    public CloudWatchLogsClient(AwsSettings settings, string? region = null)
    {
        this.settings = settings;
        Region = region ?? settings.ResolveRegion();
        Endpoint = AwsEndpoints.CloudWatchLogs(settings, Region);
        credentials = AwsProfiles.ResolveCredentials(settings);
        http = AwsClients.Http(settings);
    }

    public string Region { get; }
    public Uri Endpoint { get; }

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
    public async Task<JsonObject> CallAsync(string action, byte[] body, CancellationToken cancel)
    {
        var creds = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        var now = DateTime.UtcNow;
        var host = Endpoint.IsDefaultPort ? Endpoint.Host : $"{Endpoint.Host}:{Endpoint.Port}";
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", host),
            new("x-amz-date", now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            new("x-amz-target", $"Logs_20140328.{action}"),
            new("content-type", "application/x-amz-json-1.1"),
        };
        if (creds.UseToken) headers.Add(new("x-amz-security-token", creds.Token));
        var path = Endpoint.AbsolutePath;
        var signature = SigV4Signer.Sign("POST", path, null, headers, body, creds, Region, Service, now);

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        foreach (var (name, value) in headers)
            if (name is not ("host" or "content-type")) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return JsonNode.Parse(text) as JsonObject ?? throw new AwsCallException(response.StatusCode, "MalformedResponse", "the answer is not a JSON object");
            }
            catch (JsonException)
            {
                // A 200 with a torn body is a transfer problem: worth a retry like a broken connection.
                throw new IOException($"CloudWatch Logs {action}: the answer is not valid JSON ({text.Length} characters)");
            }
        }
        throw Error(response, text);
    }

    /// <summary>The error as the JSON protocol gives it: <c>__type</c> (possibly <c>namespace#Code</c>) or the x-amzn-ErrorType header, and <c>message</c>.</summary>
    static AwsCallException Error(HttpResponseMessage response, string text)
    {
        string? code = null, message = null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject o)
            {
                code = o["__type"]?.GetValue<string>();
                message = (o["message"] ?? o["Message"])?.GetValue<string>();
            }
        }
        catch (JsonException)
        {
        }
        if (code is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var types)) code = types.FirstOrDefault()?.Split(':')[0];
        code = code?[(code.LastIndexOf('#') + 1)..];
        return new AwsCallException(response.StatusCode, code ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? "Throttling" : $"Http{(int)response.StatusCode}"),
            message ?? response.ReasonPhrase ?? "");
    }

    public void Dispose() => http.Dispose();
}
