using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// One AWS service spoken over its JSON 1.1 protocol without its SDK package (CloudWatch Logs, Athena): POST to the
/// endpoint with <c>X-Amz-Target: &lt;prefix&gt;.&lt;Action&gt;</c> and <c>application/x-amz-json-1.1</c>, signed with SigV4
/// (<see cref="SigV4Signer"/>) using credentials from <see cref="AwsProfiles"/>. Errors come back as
/// <see cref="AwsCallException"/> with the service's error code so <see cref="AwsRetryPolicy"/> can retry throttling
/// and 5xx. Requests and signatures are never logged, and no exception carries a header.
/// </summary>
public sealed class AwsJsonService : IDisposable
{
    readonly HttpClient http;
    readonly AWSCredentials credentials;
    readonly string signingName;
    readonly string targetPrefix;
    readonly string displayName;

    /// <param name="signingName">The SigV4 service name (<c>logs</c>, <c>athena</c>).</param>
    /// <param name="targetPrefix">The X-Amz-Target prefix (<c>Logs_20140328</c>, <c>AmazonAthena</c>).</param>
    /// <param name="displayName">How messages name the service.</param>
    public AwsJsonService(AwsSettings settings, string region, Uri endpoint, string signingName, string targetPrefix, string displayName)
    {
        Region = region;
        Endpoint = endpoint;
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
        this.displayName = displayName;
        credentials = AwsProfiles.ResolveCredentials(settings);
        http = AwsClients.Http(settings);
    }

    public string Region { get; }
    public Uri Endpoint { get; }

    /// <summary>One signed call; returns the parsed JSON answer or throws <see cref="AwsCallException"/>.</summary>
    public Task<JsonObject> CallAsync(string action, JsonObject body, CancellationToken cancel) =>
        CallAsync(action, Encoding.UTF8.GetBytes(body.ToJsonString()), cancel);

    /// <summary>One signed call of an action with a ready body; returns the parsed JSON answer or throws <see cref="AwsCallException"/>.</summary>
    public async Task<JsonObject> CallAsync(string action, byte[] body, CancellationToken cancel)
    {
        var creds = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        var now = DateTime.UtcNow;
        var host = Endpoint.IsDefaultPort ? Endpoint.Host : $"{Endpoint.Host}:{Endpoint.Port}";
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", host),
            new("x-amz-date", now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            new("x-amz-target", $"{targetPrefix}.{action}"),
            new("content-type", "application/x-amz-json-1.1"),
        };
        if (creds.UseToken) headers.Add(new("x-amz-security-token", creds.Token));
        var signature = SigV4Signer.Sign("POST", Endpoint.AbsolutePath, null, headers, body, creds, Region, signingName, now);

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
                throw new IOException($"{displayName} {action}: the answer is not valid JSON ({text.Length} characters)");
            }
        }
        throw Error(response, text);
    }

    /// <summary>The error as the JSON protocol gives it: <c>__type</c> (possibly <c>namespace#Code</c>) or the x-amzn-ErrorType header, and <c>message</c>/<c>Message</c>.</summary>
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
