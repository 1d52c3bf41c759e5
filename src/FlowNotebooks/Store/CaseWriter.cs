using DuckDB.NET.Data;
using FlowNotebooks.Parsing;

namespace FlowNotebooks.Store;

/// <summary>
/// One load lane's way into the case: its own DuckDB connection, staging folder and records tables. It takes parsed
/// batches and plain manifest rows; a commit covers whole objects only (records, manifest rows and rejects in one
/// transaction), so the case never holds half an object and a manifest row is never seen without its records.
/// </summary>
internal sealed partial class CaseWriter : IDisposable
{
    static readonly bool Trace = Environment.GetEnvironmentVariable("FLOWNB_TRACE") == "1";

    readonly string stagingDir;
    readonly int lane;
    readonly HashSet<string> tables = [];
    DuckDBTransaction? transaction;
    int fileNumber;

    public CaseWriter(DuckDBConnection connection, string stagingDir, int lane = 0)
    {
        Connection = connection;
        this.stagingDir = stagingDir;
        this.lane = lane;
        Execute("CREATE TEMP TABLE IF NOT EXISTS fnb_dict_entries (code INTEGER, value VARCHAR)");
    }

    public DuckDBConnection Connection { get; }

    public void Begin() => transaction ??= Connection.BeginTransaction();

    /// <summary>Something was written since the last commit.</summary>
    public bool InTransaction => transaction is not null;

    /// <summary>Writes a batch's filled rows inside the open transaction (texts from <paramref name="dictionary"/>).</summary>
    public void Write(ColumnBatch batch, TextDictionary dictionary)
    {
        if (batch.Count == 0) return;
        Begin();
        ExportDictionary(dictionary);
        var file = Path.Combine(stagingDir, $"batch-{Environment.CurrentManagedThreadId}-{++fileNumber}.parquet");
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            StagedBatch.WriteAsync(batch, stream).GetAwaiter().GetResult();
        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            Execute(StagedBatch.InsertSql(batch, TableFor(batch), file, dictionary.Count));
            var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            if (Trace) Console.Error.WriteLine(FormattableString.Invariant($"flush {batch.Count} rows: parquet {(t1 - t0) * 1000 / System.Diagnostics.Stopwatch.Frequency} ms, insert {(t2 - t1) * 1000 / System.Diagnostics.Stopwatch.Frequency} ms; {MemoryTrace()}"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Where the process's memory is, for FLOWNB_TRACE: resident set, .NET heap (and what the GC committed), DuckDB's buffers by tag (MiB).</summary>
    string MemoryTrace()
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT string_agg(tag || ' ' || (memory_usage_bytes // 1048576), ', ' ORDER BY memory_usage_bytes DESC) FROM duckdb_memory() WHERE memory_usage_bytes >= 1048576";
        var gc = GC.GetGCMemoryInfo();
        // Committed beside the heap: what the GC holds from the system, fragmentation and free space included.
        return FormattableString.Invariant($"rss {Environment.WorkingSet >> 20}, .NET heap {gc.HeapSizeBytes >> 20} (committed {gc.TotalCommittedBytes >> 20}), DuckDB {cmd.ExecuteScalar()}");
    }

    /// <summary>Forgets the exported texts (the parser's dictionary starts afresh).</summary>
    public void ResetDictionary() => Execute("DELETE FROM fnb_dict_entries");

    /// <summary>Sends the texts coded since the last write to the connection's dictionary table.</summary>
    void ExportDictionary(TextDictionary dictionary)
    {
        if (dictionary.Count == dictionary.Exported) return;
        using var appender = Connection.CreateAppender("fnb_dict_entries");
        foreach (var (code, text) in dictionary.TakeNew())
            appender.CreateRow().AppendValue(code).AppendValue(text).EndRow();
    }

    /// <summary>
    /// The records table for a batch's column set: one per column set and lane, so parallel lanes never create or
    /// alter the same table (DuckDB would make one of their transactions fail).
    /// </summary>
    public string TableFor(ColumnBatch batch)
    {
        var columns = StagedBatch.ColumnDefinitions(batch);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(columns)))[..12];
        var name = $"{CaseSchema.RecordsTablePrefix}{hash}_{lane}";
        if (tables.Add(name)) Execute($"CREATE TABLE IF NOT EXISTS {SqlText.Identifier(name)} ({columns})");
        return name;
    }

    /// <summary>Commits the records written so far with the manifest rows and rejects of their objects.</summary>
    public void Commit(IReadOnlyList<ManifestRow> rows)
    {
        Begin();
        EvidenceManifest.Write(Connection, rows);
        transaction!.Commit();
        transaction.Dispose();
        transaction = null;
    }

    /// <summary>Abandons everything since the last commit (the dictionary table rolls back with it).</summary>
    public void Rollback()
    {
        transaction?.Rollback();
        transaction?.Dispose();
        transaction = null;
    }

    public void Execute(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        transaction?.Dispose();
        Connection.Dispose();
    }
}
