using DuckDB.NET.Data;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Store;

namespace FlowNotebooks.Ingest;

/// <summary>
/// One parallel lane of a load: its own parser, column batches, staging folder and DuckDB connection. Batches go to the
/// store as Parquet files DuckDB inserts in bulk; a commit covers whole objects only, so the case never holds half an object.
/// </summary>
internal sealed class LoadWorker : IDisposable
{
    readonly EvidenceLoader loader;
    readonly string stagingDir;
    readonly Dictionary<(string, bool), ColumnBatch> batches = [];
    readonly List<ObjectLoad> pending = [];
    DuckDBTransaction? transaction;
    long stagedRows;
    int fileNumber;

    readonly int index;
    readonly HashSet<string> tables = [];

    public LoadWorker(EvidenceLoader loader, DuckDBConnection connection, string stagingDir, ProgressCounter progress, int index = 0)
    {
        this.loader = loader;
        this.index = index;
        Connection = connection;
        this.stagingDir = stagingDir;
        Progress = progress;
        Execute("CREATE TEMP TABLE IF NOT EXISTS fnb_dict_entries (code INTEGER, value VARCHAR)");
    }

    static readonly bool Trace = Environment.GetEnvironmentVariable("FLOWNB_TRACE") == "1";

    public DuckDBConnection Connection { get; }
    public FlowRecordParser Parser { get; } = new();
    public ProgressCounter Progress { get; }

    public ColumnBatch BatchFor(FlowLogFormat format, bool streamInterface)
    {
        if (!batches.TryGetValue((format.Signature, streamInterface), out var batch))
        {
            batch = new ColumnBatch(format, withStreamInterface: streamInterface);
            batches[(format.Signature, streamInterface)] = batch;
        }
        return batch;
    }

    public void Begin() => transaction ??= Connection.BeginTransaction();

    /// <summary>Writes a batch to the store inside the open transaction.</summary>
    public void Flush(ColumnBatch batch)
    {
        if (batch.Count == 0) return;
        Begin();
        ExportDictionary();
        var file = Path.Combine(stagingDir, $"batch-{Environment.CurrentManagedThreadId}-{++fileNumber}.parquet");
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            batch.WriteParquetAsync(stream).GetAwaiter().GetResult();
        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var from = batch.FromSql(file);
            Execute($"INSERT INTO {SqlText.Identifier(TableFor(batch))} BY NAME SELECT {batch.SelectSql} FROM {from}");
            var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            if (Trace) Console.Error.WriteLine(System.FormattableString.Invariant($"flush {batch.Count} rows: parquet {(t1 - t0) * 1000 / System.Diagnostics.Stopwatch.Frequency} ms, insert {(t2 - t1) * 1000 / System.Diagnostics.Stopwatch.Frequency} ms"));
        }
        finally
        {
            File.Delete(file);
        }
        stagedRows += batch.Count;
        batch.Count = 0;
        if (Parser.Dictionary.Count > TextDictionary.SoftLimit && batches.Values.All(b => b.Count == 0))
        {
            // Bounded memory on evidence with endless distinct values: start a new dictionary once no batch holds codes.
            Parser.Dictionary.Reset();
            Execute("DELETE FROM fnb_dict_entries");
        }
    }

    /// <summary>Sends the texts coded since the last flush to the connection's dictionary table.</summary>
    void ExportDictionary()
    {
        if (Parser.Dictionary.Count == Parser.Dictionary.Exported) return;
        using (var appender = Connection.CreateAppender("fnb_dict_entries"))
            foreach (var (code, text) in Parser.Dictionary.TakeNew())
                appender.CreateRow().AppendValue(code).AppendValue(text).EndRow();
    }

    /// <summary>
    /// The records table for a batch's column set: one per column set and worker, so parallel workers never create
    /// or alter the same table (DuckDB would make one of their transactions fail).
    /// </summary>
    public string TableFor(ColumnBatch batch)
    {
        var columns = batch.ColumnDefinitions;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(columns)))[..12];
        var name = $"{CaseSchema.RecordsTablePrefix}{hash}_{index}";
        if (tables.Add(name)) Execute($"CREATE TABLE IF NOT EXISTS {SqlText.Identifier(name)} ({columns})");
        return name;
    }

    /// <summary>Records a finished object; commits when enough rows are staged.</summary>
    public void Complete(ObjectLoad load, int commitRows)
    {
        Begin();
        pending.Add(load);
        if (stagedRows + batches.Values.Sum(b => b.Count) >= commitRows) Commit();
    }

    /// <summary>Flushes batches and commits the objects completed so far with their manifest rows and rejects.</summary>
    public void Commit()
    {
        if (transaction is null) return;
        foreach (var b in batches.Values) Flush(b);
        EvidenceManifest.Write(Connection, pending);
        transaction.Commit();
        transaction.Dispose();
        transaction = null;
        pending.Clear();
        stagedRows = 0;
    }

    /// <summary>Abandons the objects since the last commit (strict-mode stop or failure).</summary>
    public void Rollback()
    {
        transaction?.Rollback();
        transaction?.Dispose();
        transaction = null;
        pending.Clear();
        foreach (var b in batches.Values) b.Count = 0;
        stagedRows = 0;
        // The dictionary table rolled back with the transaction.
        Parser.Dictionary.Reset();
        Execute("DELETE FROM fnb_dict_entries");
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
