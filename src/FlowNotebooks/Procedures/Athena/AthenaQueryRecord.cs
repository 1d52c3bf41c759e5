using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>One statement as Athena ran it: what it filled locally, the engine, its query execution id, the text as run,
/// the bytes it scanned (what Athena bills on engine 3) and the rows it returned.</summary>
public sealed record AthenaQueryRecord(string Name, AthenaEngine Engine, string QueryExecutionId, string Statement,
    long DataScannedBytes, long EngineMillis, int Rows)
{
    /// <summary>The engine as the report names it.</summary>
    public static string EngineName(AthenaEngine e) => e == AthenaEngine.DuckDb ? "Athena DuckDB engine" : "Athena engine version 3 (Trino)";
}
