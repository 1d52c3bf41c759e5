namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>A query Athena ran and did not finish (FAILED or CANCELLED), worded for the analyst; never carries a credential or signed header.</summary>
public sealed class AthenaQueryException(string queryExecutionId, string state, string message, AthenaError? error = null)
    : Exception(message)
{
    public string QueryExecutionId { get; } = queryExecutionId;
    public string State { get; } = state;
    public AthenaError? Error { get; } = error;
}
