using System.Text.Json.Nodes;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>The <c>Status.AthenaError</c> of a FAILED query. Categories per Athena's error reference: 1 SYSTEM, 2 USER, 3 OTHER.</summary>
public sealed record AthenaError(int? Category, int? Type, bool? Retryable, string? Message)
{
    public string CategoryName => Category switch { 1 => "SYSTEM", 2 => "USER", 3 => "OTHER", _ => "unknown" };
}

/// <summary>One GetQueryExecution answer, reduced to what a run needs: state, why it changed, the error, the statistics.</summary>
public sealed record AthenaExecution(string QueryExecutionId, string State, string? StateChangeReason, AthenaError? Error,
    long DataScannedBytes, long EngineExecutionMillis, string? StatementType, string? WorkGroup)
{
    public bool IsFinished => State is "SUCCEEDED" or "FAILED" or "CANCELLED";

    /// <summary>Reads <c>{"QueryExecution":{…}}</c>.</summary>
    public static AthenaExecution Parse(JsonObject answer)
    {
        var q = answer["QueryExecution"] as JsonObject ?? throw new AwsCallException(System.Net.HttpStatusCode.OK, "MalformedResponse", "GetQueryExecution gave no QueryExecution");
        var status = q["Status"] as JsonObject;
        var stats = q["Statistics"] as JsonObject;
        AthenaError? error = null;
        if (status?["AthenaError"] is JsonObject e)
            error = new AthenaError(e["ErrorCategory"]?.GetValue<int>(), e["ErrorType"]?.GetValue<int>(), e["Retryable"]?.GetValue<bool>(),
                e["ErrorMessage"]?.GetValue<string>());
        return new AthenaExecution(
            q["QueryExecutionId"]?.GetValue<string>() ?? "",
            status?["State"]?.GetValue<string>() ?? "UNKNOWN",
            status?["StateChangeReason"]?.GetValue<string>(),
            error,
            stats?["DataScannedInBytes"]?.GetValue<long>() ?? 0,
            stats?["EngineExecutionTimeInMillis"]?.GetValue<long>() ?? 0,
            q["StatementType"]?.GetValue<string>(),
            q["WorkGroup"]?.GetValue<string>());
    }
}
