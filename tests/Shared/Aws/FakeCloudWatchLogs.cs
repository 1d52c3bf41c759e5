using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// A CloudWatch Logs FilterLogEvents endpoint on 127.0.0.1 (HttpListener): it checks each request's SigV4 signature
/// against the test secret (so the client must sign exactly what it sends), filters events by group, stream names or
/// prefix and [startTime, endTime] (both inclusive, as the API documents), pages them by nextToken, answers
/// DescribeLogGroups from <see cref="LogGroups"/>, and can answer
/// chosen calls with throttling, 500s or an expired-token error first.
/// </summary>
public sealed class FakeCloudWatchLogs : LoopbackHttpServer
{
    public const string Secret = "fake/Secret+KEY-that-must-never-appear-in-output";
    public const string SessionToken = "FwoGZXIvYXdzEJr//////////SESSION-TOKEN-that-must-never-appear";
    readonly Lock gate = new();
    readonly Dictionary<int, (int Status, string Type, string Message)> faults = [];
    int calls;
    readonly List<JsonObject> events;

    public FakeCloudWatchLogs(IEnumerable<JsonObject> events, int pageSize)
    {
        this.events = events.ToList();
        PageSize = pageSize;
        Start();
    }

    public int PageSize { get; }

    /// <summary>What DescribeLogGroups answers (members as the service documents them: logGroupName, creationTime, retentionInDays, storedBytes, arn).</summary>
    public List<JsonObject> LogGroups { get; } = [];
    public List<JsonObject> Requests { get; } = [];
    public int SignatureFailures { get; private set; }

    /// <summary>Answers the call with this 1-based number (counting every FilterLogEvents call) with an error.</summary>
    public void FailCall(int call, int status, string type, string message)
    {
        lock (gate) faults[call] = (status, type, message);
    }

    protected override void Failed(HttpListenerContext ctx, Exception ex) =>
        Reply(ctx, 500, new JsonObject { ["__type"] = "InternalFailure", ["message"] = ex.Message });

    protected override Task HandleAsync(HttpListenerContext ctx)
    {
        Handle(ctx);
        return Task.CompletedTask;
    }

    void Handle(HttpListenerContext ctx)
    {
        using var ms = new MemoryStream();
        ctx.Request.InputStream.CopyTo(ms);
        var body = ms.ToArray();
        if (!SignatureValid(ctx.Request, body))
        {
            lock (gate) SignatureFailures++;
            Reply(ctx, 403, new JsonObject { ["__type"] = "InvalidSignatureException", ["message"] = "The request signature we calculated does not match" });
            return;
        }
        if (ctx.Request.Headers["X-Amz-Target"] == "Logs_20140328.DescribeLogGroups")
        {
            var ask = JsonNode.Parse(body)!.AsObject();
            var namePrefix = ask["logGroupNamePrefix"]?.GetValue<string>() ?? "";
            List<JsonObject> groups;
            lock (gate) groups = LogGroups.Where(g => g["logGroupName"]!.GetValue<string>().StartsWith(namePrefix, StringComparison.Ordinal)).ToList();
            Reply(ctx, 200, new JsonObject { ["logGroups"] = new JsonArray(groups.Select(g => (JsonNode)g.DeepClone()).ToArray()) });
            return;
        }
        if (ctx.Request.Headers["X-Amz-Target"] != "Logs_20140328.FilterLogEvents")
        {
            Reply(ctx, 400, new JsonObject { ["__type"] = "UnknownOperationException" });
            return;
        }
        var request = JsonNode.Parse(body)!.AsObject();
        (int Status, string Type, string Message)? fault = null;
        lock (gate)
        {
            Requests.Add(request);
            if (faults.Remove(++calls, out var f0)) fault = f0;
        }
        if (fault is { } f)
        {
            Reply(ctx, f.Status, new JsonObject { ["__type"] = $"com.amazonaws.logs#{f.Type}", ["message"] = f.Message });
            return;
        }
        var group = request["logGroupName"]?.GetValue<string>();
        var names = (request["logStreamNames"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToHashSet();
        var prefix = request["logStreamNamePrefix"]?.GetValue<string>();
        var start = request["startTime"]?.GetValue<long>();
        var end = request["endTime"]?.GetValue<long>();
        var limit = Math.Min(request["limit"]?.GetValue<int>() ?? PageSize, PageSize);
        var skip = request["nextToken"] is { } t ? int.Parse(t.GetValue<string>()[5..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var matching = events
            .Where(e => e["_group"]!.GetValue<string>() == group)
            .Where(e => names is null || names.Contains(e["logStreamName"]!.GetValue<string>()))
            .Where(e => prefix is null || e["logStreamName"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal))
            .Where(e => (start is null || e["timestamp"]!.GetValue<long>() >= start) && (end is null || e["timestamp"]!.GetValue<long>() <= end))
            .ToList();
        var page = matching.Skip(skip).Take(limit).Select(e =>
        {
            var c = (JsonObject)e.DeepClone();
            c.Remove("_group");
            return (JsonNode)c;
        }).ToArray();
        var answer = new JsonObject
        {
            ["events"] = new JsonArray(page),
            ["searchedLogStreams"] = new JsonArray(matching.Select(e => e["logStreamName"]!.GetValue<string>()).Distinct()
                .Select(n => (JsonNode)new JsonObject { ["logStreamName"] = n, ["searchedCompletely"] = true }).ToArray()),
        };
        if (skip + limit < matching.Count) answer["nextToken"] = $"page-{skip + limit}";
        Reply(ctx, 200, answer);
    }

    /// <summary>Recomputes the signature from the request as received, with the known test secret.</summary>
    internal static bool SignatureValid(HttpListenerRequest r, byte[] body, string secret = Secret, string? sessionToken = SessionToken)
    {
        var auth = r.Headers["Authorization"];
        if (auth is null || r.Headers["X-Amz-Security-Token"] != sessionToken) return false;
        var signedHeaders = auth[(auth.IndexOf("SignedHeaders=", StringComparison.Ordinal) + 14)..].Split(',')[0].Split(';');
        var headers = signedHeaders.Select(h => new KeyValuePair<string, string>(h, r.Headers[h] ?? "")).ToList();
        var amzDate = r.Headers["X-Amz-Date"]!;
        var at = DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        var scope = auth.Split("Credential=")[1].Split(',')[0].Split('/');
        var expected = SigV4Signer.Sign(r.HttpMethod, r.Url!.AbsolutePath, r.Url.Query, headers, body, scope[0], secret, scope[2], scope[3], at);
        return expected.Authorization == auth;
    }

    internal static void Reply(HttpListenerContext ctx, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/x-amz-json-1.1";
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes);
        ctx.Response.Close();
    }

}
