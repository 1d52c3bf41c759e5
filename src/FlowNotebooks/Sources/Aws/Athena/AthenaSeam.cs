namespace FlowNotebooks.Sources.Aws.Athena;

// The seam between the Athena client/tables (Sources) and the procedures rendered for Athena (Procedures): agreed before
// the work was split, so each side builds against it. Implementations live beside it (client, DDL, cost guard) and in
// Procedures (rendering, rollups).

/// <summary>Which engine a workgroup runs: Athena engine version 3 (Trino) or Athena's DuckDB engine (Preview).</summary>
public enum AthenaEngine { Trino, DuckDb }

/// <summary>One statement to run. <see cref="ClientRequestToken"/> is fixed by the caller so a retried start is the same query.</summary>
public sealed record AthenaQueryRequest(string Sql, string WorkGroup, string? Database, string? OutputLocation,
    IReadOnlyList<string> ExecutionParameters, string ClientRequestToken);

/// <summary>A result column as <c>ResultSetMetadata.ColumnInfo</c> gives it (<see cref="Type"/> is Athena's type name).</summary>
public sealed record AthenaColumn(string Name, string Type);

/// <summary>A finished query: rows typed by their columns (NULL where Athena omitted VarCharValue), and what to cite.</summary>
public sealed record AthenaQueryOutcome(string QueryExecutionId, string StatementAsRun, IReadOnlyList<AthenaColumn> Columns,
    IReadOnlyList<object?[]> Rows, long DataScannedBytes, long EngineExecutionMillis);

/// <summary>Runs statements on Athena (the client), or anything that stands in for it in tests.</summary>
public interface IAthenaQueries
{
    /// <summary>Starts, waits (polling with backoff), pages the results. Cancelling stops the query on Athena.</summary>
    Task<AthenaQueryOutcome> RunAsync(AthenaQueryRequest request, CancellationToken cancellationToken);
}

/// <summary>What a run over a window will read, from an S3 listing of the partitions it touches.</summary>
public sealed record AthenaScanEstimate(long Bytes, int Objects, IReadOnlyList<string> PartitionPrefixes);

/// <summary>A flow-log table Athena reads in place (made by the generated DDL with partition projection).</summary>
public interface IAthenaFlowTable
{
    string Database { get; }
    string Table { get; }
    /// <summary>A predicate on the table's partition columns covering [from, to) padded by a day on each side (objects
    /// are keyed by delivery time, so a record can sit in the next day's prefix), in the syntax of <paramref name="engine"/>.</summary>
    string PartitionPredicate(DateTimeOffset from, DateTimeOffset to, AthenaEngine engine);
    /// <summary>Lists the partitions the padded window reads and sums their objects' sizes.</summary>
    Task<AthenaScanEstimate> EstimateScanAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
