using System.Globalization;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>
/// Runs statements on Amazon Athena over its JSON API (AWSSDK.Athena is not served here): <see cref="AwsJsonService"/>
/// with <c>X-Amz-Target: AmazonAthena.&lt;Op&gt;</c>, SigV4 service <c>athena</c>, the endpoint from
/// <see cref="AwsEndpoints.Athena"/> (<c>AWS_ENDPOINT_URL_ATHENA</c> and the other override conventions). Every call is
/// retried on throttling (ThrottlingException, TooManyRequestsException) and 5xx by the settings' retry policy; the
/// start is retried with the same ClientRequestToken, so Athena treats the retry as the same query. Nothing here logs a
/// request, and no exception carries a header or credential.
/// </summary>
public sealed class AthenaClient : IAthenaQueries, IDisposable
{
    const int PageSize = 1000;
    readonly AwsJsonService service;
    readonly AwsSettings settings;
    readonly Action<Exception>? onRetry;

    public AthenaClient(AwsSettings settings, string? region = null, AthenaPolling? polling = null, Action<Exception>? onRetry = null)
    {
        this.settings = settings;
        this.onRetry = onRetry;
        Polling = polling ?? AthenaPolling.Default;
        var resolved = region ?? settings.ResolveRegion();
        service = new AwsJsonService(settings, resolved, AwsEndpoints.Athena(settings, resolved), "athena", "AmazonAthena", "Athena");
    }

    public AthenaPolling Polling { get; }
    public string Region => service.Region;
    public Uri Endpoint => service.Endpoint;

    /// <summary>A fresh ClientRequestToken (32 characters; Athena requires 32–128 from callers without an SDK).</summary>
    public static string NewClientRequestToken() => Guid.NewGuid().ToString("N");

    public async Task<AthenaQueryOutcome> RunAsync(AthenaQueryRequest request, CancellationToken cancellationToken)
    {
        var id = await StartAsync(request, cancellationToken).ConfigureAwait(false);
        AthenaExecution execution;
        try
        {
            execution = await WaitAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(id).ConfigureAwait(false);
            throw;
        }
        if (execution.State == "FAILED") throw Failed(execution);
        if (execution.State == "CANCELLED") throw await CancelledAsync(execution, request.WorkGroup).ConfigureAwait(false);

        var columns = (IReadOnlyList<AthenaColumn>)[];
        var rows = new List<object?[]>();
        string? token = null;
        var first = true;
        do
        {
            var body = new JsonObject { ["QueryExecutionId"] = id, ["MaxResults"] = PageSize };
            if (token is not null) body["NextToken"] = token;
            var answer = await CallAsync("GetQueryResults", body, cancellationToken).ConfigureAwait(false);
            var page = AthenaResultPage.Parse(answer, first, execution.StatementType, rows.Count);
            if (first) columns = page.Columns;
            rows.AddRange(page.Rows);
            token = page.NextToken;
            first = false;
        } while (token is not null);
        return new AthenaQueryOutcome(id, request.Sql, columns, rows, execution.DataScannedBytes, execution.EngineExecutionMillis);
    }

    /// <summary>StartQueryExecution with the request's token (retries reuse it); returns the QueryExecutionId.</summary>
    public async Task<string> StartAsync(AthenaQueryRequest request, CancellationToken cancel)
    {
        if (request.ClientRequestToken.Length is < 32 or > 128)
            throw new ArgumentException("A ClientRequestToken of 32 to 128 characters is needed (Athena's rule for callers without an SDK).", nameof(request));
        var body = new JsonObject
        {
            ["QueryString"] = request.Sql,
            ["ClientRequestToken"] = request.ClientRequestToken,
            ["WorkGroup"] = request.WorkGroup,
        };
        if (request.Database is { } db) body["QueryExecutionContext"] = new JsonObject { ["Database"] = db };
        if (request.OutputLocation is { } output) body["ResultConfiguration"] = new JsonObject { ["OutputLocation"] = output };
        if (request.ExecutionParameters.Count > 0)
            body["ExecutionParameters"] = new JsonArray(request.ExecutionParameters.Select(p => (JsonNode)JsonValue.Create(p)).ToArray());
        var answer = await CallAsync("StartQueryExecution", body, cancel).ConfigureAwait(false);
        return answer["QueryExecutionId"]?.GetValue<string>() ?? throw new AwsCallException(System.Net.HttpStatusCode.OK, "MalformedResponse", "StartQueryExecution gave no QueryExecutionId");
    }

    /// <summary>Polls GetQueryExecution with a growing interval until SUCCEEDED, FAILED or CANCELLED (a query may go
    /// back from RUNNING to QUEUED after a transient error: it is simply polled on).</summary>
    public async Task<AthenaExecution> WaitAsync(string queryExecutionId, CancellationToken cancel)
    {
        for (var poll = 1; ; poll++)
        {
            var execution = AthenaExecution.Parse(await CallAsync("GetQueryExecution", new JsonObject { ["QueryExecutionId"] = queryExecutionId }, cancel).ConfigureAwait(false));
            if (execution.IsFinished) return execution;
            await Task.Delay(Polling.Delay(poll), cancel).ConfigureAwait(false);
        }
    }

    /// <summary>StopQueryExecution, sent even though the run's token is cancelled (bounded by the HTTP timeout and retries).</summary>
    public async Task StopAsync(string queryExecutionId)
    {
        try
        {
            await CallAsync("StopQueryExecution", new JsonObject { ["QueryExecutionId"] = queryExecutionId }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsCallException or IOException or HttpRequestException or TaskCanceledException)
        {
            // The run is cancelled either way; a query that could not be stopped ends at the workgroup's limits.
        }
    }

    /// <summary>GetWorkGroup: the per-query scan cutoff, results location and engine.</summary>
    public async Task<AthenaWorkGroup> GetWorkGroupAsync(string name, CancellationToken cancel) =>
        AthenaWorkGroup.Parse(await CallAsync("GetWorkGroup", new JsonObject { ["WorkGroup"] = name }, cancel).ConfigureAwait(false));

    Task<JsonObject> CallAsync(string action, JsonObject body, CancellationToken cancel) =>
        settings.Retry.RunAsync(c => service.CallAsync(action, body, c), onRetry, cancel);

    static AthenaQueryException Failed(AthenaExecution e)
    {
        var error = e.Error is { } a
            ? $" (AthenaError category {a.Category?.ToString(CultureInfo.InvariantCulture) ?? "?"} {a.CategoryName}, type {a.Type?.ToString(CultureInfo.InvariantCulture) ?? "?"}" +
              (a.Retryable == true ? ", retryable" : "") + ")"
            : "";
        var message = e.Error?.Message ?? e.StateChangeReason ?? "no reason given";
        return new AthenaQueryException(e.QueryExecutionId, e.State, $"Athena query {e.QueryExecutionId} FAILED: {message}{error}.", e.Error);
    }

    /// <summary>A query nobody here stopped: the usual cause is the workgroup's per-query scan cutoff, which the message
    /// names with the workgroup's figure when GetWorkGroup answers.</summary>
    async Task<AthenaQueryException> CancelledAsync(AthenaExecution e, string workGroup)
    {
        long? cutoff = null;
        try
        {
            cutoff = (await GetWorkGroupAsync(workGroup, CancellationToken.None).ConfigureAwait(false)).BytesScannedCutoffPerQuery;
        }
        catch (Exception ex) when (ex is AwsCallException or IOException or HttpRequestException)
        {
        }
        var reason = e.StateChangeReason is { Length: > 0 } r ? $" Athena says: {r}." : "";
        var limit = cutoff is { } c
            ? $" Workgroup {workGroup} cancels any query that scans more than {AthenaSizes.Format(c)} (BytesScannedCutoffPerQuery); this one had scanned {AthenaSizes.Format(e.DataScannedBytes)}. Narrow the window or ask for a workgroup with a higher per-query limit."
            : $" It had scanned {AthenaSizes.Format(e.DataScannedBytes)}; a workgroup's per-query data limit (BytesScannedCutoffPerQuery) cancels queries that scan more than it allows.";
        return new AthenaQueryException(e.QueryExecutionId, e.State, $"Athena query {e.QueryExecutionId} was CANCELLED, not by flownb.{reason}{limit}");
    }

    public void Dispose() => service.Dispose();
}
