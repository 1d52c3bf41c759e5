using System.Net;
using System.Text.Json.Nodes;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// Athena's JSON API on 127.0.0.1, replaying the shapes AWS documents (botocore's service model, the AWS CLI examples):
/// StartQueryExecution (idempotent by ClientRequestToken), GetQueryExecution walking a scripted sequence of states,
/// GetQueryResults paged by NextToken with the header row on the first page only and NULL as a datum without
/// VarCharValue, StopQueryExecution, GetWorkGroup. Each request's SigV4 signature is checked against the test secret
/// (service <c>athena</c>); chosen calls can be answered with throttling or 5xx first. Error bodies carry
/// <c>__type</c> and <c>Message</c> (capital M) as real Athena's do.
/// </summary>
public sealed class FakeAthena : LoopbackHttpServer
{
    /// <summary>How one statement runs: the states its polls see (the last repeats), then its result.</summary>
    public sealed class Script
    {
        public string[] States { get; init; } = ["QUEUED", "RUNNING", "SUCCEEDED"];
        public string StatementType { get; init; } = "DML";
        public string? StateChangeReason { get; init; }
        public JsonObject? AthenaError { get; init; }
        public long DataScannedInBytes { get; init; }
        public long EngineExecutionTimeInMillis { get; init; }
        /// <summary>(name, Athena type) as ColumnInfo gives them.</summary>
        public (string Name, string Type)[] Columns { get; init; } = [];
        /// <summary>Values as text; null = NULL (the datum is sent without VarCharValue).</summary>
        public string?[][] Rows { get; init; } = [];
        public int PageSize { get; init; } = 1000;
    }

    sealed class Execution(string id, string sql, Script script, JsonObject start)
    {
        public string Id { get; } = id;
        public string Sql { get; } = sql;
        public Script Script { get; } = script;
        public JsonObject Start { get; } = start;
        public int Polls;
        public bool Stopped;
    }

    readonly Lock gate = new();
    readonly Dictionary<string, Script> scripts = new(StringComparer.Ordinal);
    readonly Dictionary<string, Execution> byToken = new(StringComparer.Ordinal);
    readonly Dictionary<string, Execution> byId = new(StringComparer.Ordinal);
    readonly Dictionary<(string Op, int Call), (int Status, string Type, string Message)> faults = [];
    readonly Dictionary<string, int> callsPerOp = new(StringComparer.Ordinal);
    readonly Dictionary<string, JsonObject> workGroups = new(StringComparer.Ordinal);
    readonly List<(string Id, int Polls, TaskCompletionSource Reached)> pollWaits = [];

    readonly string secret;
    readonly string? sessionToken;

    /// <summary>Checks signatures against the test secret and session token, or the given ones (s3rver's key pair, so one
    /// profile reaches both, as one set of credentials reaches S3 and Athena on AWS).</summary>
    public FakeAthena(string secret = FakeCloudWatchLogs.Secret, string? sessionToken = FakeCloudWatchLogs.SessionToken)
    {
        this.secret = secret;
        this.sessionToken = sessionToken;
        Start();
    }

    /// <summary>Runs a statement no script was added for (e.g. on a local DuckDB, <see cref="AthenaOnDuckDb"/>); null
    /// answers such a statement MALFORMED_QUERY.</summary>
    public Func<string, Script>? Engine { get; set; }

    /// <summary>Every call as received: operation and body (failed and throttled calls included).</summary>
    public List<(string Operation, JsonObject Body)> Calls { get; } = [];
    public int SignatureFailures { get; private set; }

    /// <summary>Writes shared config and credentials files with profile "forensics" (the test secret and session token
    /// the signature check expects) into <paramref name="dir"/>; returns (config, credentials).</summary>
    public static (string Config, string Credentials) WriteProfile(TempDir dir)
    {
        File.WriteAllText(dir.File("athena-config"), "[profile forensics]\nregion = eu-central-1\n");
        File.WriteAllText(dir.File("athena-credentials"),
            $"[forensics]\naws_access_key_id = AKIDATHENATEST\naws_secret_access_key = {FakeCloudWatchLogs.Secret}\naws_session_token = {FakeCloudWatchLogs.SessionToken}\n");
        return (dir.File("athena-config"), dir.File("athena-credentials"));
    }

    /// <summary>Settings that reach this server through AWS_ENDPOINT_URL_ATHENA (the override convention under test),
    /// with fast retries.</summary>
    public AwsSettings Settings(TempDir dir)
    {
        var (config, credentials) = WriteProfile(dir);
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_ATHENA"] = Endpoint.ToString() };
        return new AwsSettings
        {
            Profile = "forensics", ConfigFile = config, CredentialsFile = credentials, Environment = env.GetValueOrDefault,
            Retry = new AwsRetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        };
    }

    public void Add(string sql, Script script)
    {
        lock (gate) scripts[sql] = script;
    }

    /// <summary>GetWorkGroup's answer for a workgroup: its <c>Configuration</c> object (as in the AWS CLI example).</summary>
    public void AddWorkGroup(string name, JsonObject configuration)
    {
        lock (gate) workGroups[name] = configuration;
    }

    /// <summary>Answers call number <paramref name="call"/> (1-based, counted per operation) with an error instead.</summary>
    public void FailCall(string operation, int call, int status, string type, string message)
    {
        lock (gate) faults[(operation, call)] = (status, type, message);
    }

    /// <summary>Completes once the query has been polled <paramref name="polls"/> times (the cancel test waits on it, not on a clock).</summary>
    public Task PolledAsync(int polls)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate) pollWaits.Add(("*", polls, tcs));
        return tcs.Task;
    }

    public List<JsonObject> CallsOf(string operation)
    {
        lock (gate) return Calls.Where(c => c.Operation == operation).Select(c => c.Body).ToList();
    }

    protected override void Failed(HttpListenerContext ctx, Exception ex) =>
        FakeCloudWatchLogs.Reply(ctx, 500, new JsonObject { ["__type"] = "InternalServerException", ["Message"] = ex.Message });

    protected override Task HandleAsync(HttpListenerContext ctx)
    {
        using var ms = new MemoryStream();
        ctx.Request.InputStream.CopyTo(ms);
        var body = ms.ToArray();
        if (!FakeCloudWatchLogs.SignatureValid(ctx.Request, body, secret, sessionToken) || !ctx.Request.Headers["Authorization"]!.Contains("/athena/aws4_request", StringComparison.Ordinal))
        {
            lock (gate) SignatureFailures++;
            FakeCloudWatchLogs.Reply(ctx, 403, new JsonObject { ["__type"] = "InvalidSignatureException", ["Message"] = "The request signature we calculated does not match" });
            return Task.CompletedTask;
        }
        var target = ctx.Request.Headers["X-Amz-Target"] ?? "";
        var op = target.StartsWith("AmazonAthena.", StringComparison.Ordinal) ? target["AmazonAthena.".Length..] : "";
        var request = JsonNode.Parse(body)!.AsObject();
        (int Status, string Type, string Message)? fault = null;
        lock (gate)
        {
            Calls.Add((op, request));
            var n = callsPerOp[op] = callsPerOp.GetValueOrDefault(op) + 1;
            if (faults.Remove((op, n), out var f)) fault = f;
        }
        if (fault is { } e)
        {
            FakeCloudWatchLogs.Reply(ctx, e.Status, new JsonObject { ["__type"] = e.Type, ["Message"] = e.Message });
            return Task.CompletedTask;
        }
        var (status, answer) = op switch
        {
            "StartQueryExecution" => StartQuery(request),
            "GetQueryExecution" => GetExecution(request),
            "GetQueryResults" => GetResults(request),
            "StopQueryExecution" => Stop(request),
            "GetWorkGroup" => GetWorkGroup(request),
            _ => (400, new JsonObject { ["__type"] = "UnknownOperationException" }),
        };
        FakeCloudWatchLogs.Reply(ctx, status, answer);
        return Task.CompletedTask;
    }

    static (int, JsonObject) Invalid(string code, string message) =>
        (400, new JsonObject { ["__type"] = "InvalidRequestException", ["AthenaErrorCode"] = code, ["ErrorCode"] = code, ["Message"] = message });

    (int, JsonObject) StartQuery(JsonObject r)
    {
        var token = r["ClientRequestToken"]?.GetValue<string>();
        if (token is null || token.Length is < 32 or > 128)
            return Invalid("INVALID_INPUT", "1 validation error detected: Value null at 'clientRequestToken' failed to satisfy constraint: Member must not be null");
        var sql = r["QueryString"]!.GetValue<string>();
        lock (gate)
        {
            if (!byToken.TryGetValue(token, out var e))
            {
                if (!scripts.TryGetValue(sql, out var script))
                {
                    if (Engine is null) return Invalid("MALFORMED_QUERY", "line 1:1: no script for this statement in the stand-in");
                    script = Engine(sql);
                }
                e = new Execution(Guid.NewGuid().ToString(), sql, script, r);
                byToken[token] = e;
                byId[e.Id] = e;
            }
            return (200, new JsonObject { ["QueryExecutionId"] = e.Id });
        }
    }

    Execution? Find(JsonObject r)
    {
        lock (gate) return byId.GetValueOrDefault(r["QueryExecutionId"]?.GetValue<string>() ?? "");
    }

    (int, JsonObject) GetExecution(JsonObject r)
    {
        if (Find(r) is not { } e) return Invalid("QUERY_EXECUTION_NOT_FOUND", "QueryExecution was not found");
        string state;
        lock (gate)
        {
            e.Polls++;
            state = e.Stopped ? "CANCELLED" : e.Script.States[Math.Min(e.Polls, e.Script.States.Length) - 1];
            foreach (var w in pollWaits.Where(w => e.Polls >= w.Polls).ToList())
            {
                pollWaits.Remove(w);
                w.Reached.TrySetResult();
            }
        }
        var status = new JsonObject { ["State"] = state, ["SubmissionDateTime"] = 1593469842.665 };
        if (state is "SUCCEEDED" or "FAILED" or "CANCELLED") status["CompletionDateTime"] = 1593469846.486;
        if (e.Stopped) status["StateChangeReason"] = "Query cancelled by user";
        else if (state is "FAILED" or "CANCELLED" && e.Script.StateChangeReason is { } reason) status["StateChangeReason"] = reason;
        if (state == "FAILED" && e.Script.AthenaError is { } error) status["AthenaError"] = error.DeepClone();
        var execution = new JsonObject
        {
            ["QueryExecutionId"] = e.Id,
            ["Query"] = e.Sql,
            ["StatementType"] = e.Script.StatementType,
            ["Status"] = status,
            ["Statistics"] = new JsonObject
            {
                ["EngineExecutionTimeInMillis"] = e.Script.EngineExecutionTimeInMillis,
                ["DataScannedInBytes"] = e.Script.DataScannedInBytes,
                ["TotalExecutionTimeInMillis"] = e.Script.EngineExecutionTimeInMillis + 221,
            },
            ["WorkGroup"] = e.Start["WorkGroup"]?.GetValue<string>() ?? "primary",
        };
        if (e.Start["QueryExecutionContext"] is JsonObject ctx) execution["QueryExecutionContext"] = ctx.DeepClone();
        return (200, new JsonObject { ["QueryExecution"] = execution });
    }

    (int, JsonObject) GetResults(JsonObject r)
    {
        if (Find(r) is not { } e) return Invalid("QUERY_EXECUTION_NOT_FOUND", "QueryExecution was not found");
        var state = e.Stopped ? "CANCELLED" : e.Script.States[Math.Min(Math.Max(e.Polls, 1), e.Script.States.Length) - 1];
        if (state != "SUCCEEDED")
            return state == "CANCELLED" ? Invalid("RESULT_NOT_FOUND", "Could not find results")
                : Invalid("INVALID_QUERY_EXECUTION_STATE", $"Query has not yet finished. Current state: {state}");
        // The header row counts against the first page, as it does on Athena.
        var header = e.Script.StatementType == "DML" ? 1 : 0;
        var offset = r["NextToken"] is { } t ? int.Parse(t.GetValue<string>()["rows-".Length..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var max = Math.Min(r["MaxResults"]?.GetValue<int>() ?? 1000, e.Script.PageSize);
        var rows = new JsonArray();
        if (offset == 0 && header == 1)
            rows.Add(Row(e.Script.Columns.Select(c => (string?)c.Name)));
        var take = offset == 0 ? max - header : max;
        foreach (var row in e.Script.Rows.Skip(offset).Take(take)) rows.Add(Row(row));
        var answer = new JsonObject
        {
            ["UpdateCount"] = 0,
            ["ResultSet"] = new JsonObject
            {
                ["Rows"] = rows,
                ["ResultSetMetadata"] = new JsonObject
                {
                    ["ColumnInfo"] = new JsonArray(e.Script.Columns.Select(c => (JsonNode)new JsonObject
                    {
                        ["CatalogName"] = "hive", ["SchemaName"] = "", ["TableName"] = "", ["Name"] = c.Name, ["Label"] = c.Name,
                        ["Type"] = c.Type, ["Precision"] = 0, ["Scale"] = 0, ["Nullable"] = "UNKNOWN", ["CaseSensitive"] = false,
                    }).ToArray()),
                },
            },
        };
        if (offset + take < e.Script.Rows.Length) answer["NextToken"] = $"rows-{offset + take}";
        return (200, answer);
    }

    static JsonObject Row(IEnumerable<string?> values) =>
        new() { ["Data"] = new JsonArray(values.Select(v => (JsonNode)(v is null ? new JsonObject() : new JsonObject { ["VarCharValue"] = v })).ToArray()) };

    (int, JsonObject) Stop(JsonObject r)
    {
        if (Find(r) is not { } e) return Invalid("QUERY_EXECUTION_NOT_FOUND", "QueryExecution was not found");
        lock (gate) e.Stopped = true;
        return (200, new JsonObject());
    }

    (int, JsonObject) GetWorkGroup(JsonObject r)
    {
        var name = r["WorkGroup"]?.GetValue<string>() ?? "";
        lock (gate)
        {
            if (!workGroups.TryGetValue(name, out var config)) return Invalid("INVALID_INPUT", $"WorkGroup {name} is not found.");
            return (200, new JsonObject
            {
                ["WorkGroup"] = new JsonObject
                {
                    ["Name"] = name, ["State"] = "ENABLED", ["Configuration"] = config.DeepClone(),
                    ["Description"] = "Workgroup for forensic queries", ["CreationTime"] = 1573677174.105,
                },
            });
        }
    }
}
