using System.Data;
using DuckDB.NET.Data;

namespace FlowNotebooks.Store;

/// <summary>
/// The case store: one DuckDB database (a file for a case, or in memory) holding flows, the evidence manifest,
/// rejects and the AWS configuration. Bulk data stays here; callers get aggregates and samples.
/// </summary>
public sealed partial class CaseStore : IDisposable
{
    readonly DuckDBConnection connection;
    readonly Lock gate = new();

    CaseStore(DuckDBConnection connection, string? path)
    {
        this.connection = connection;
        Path = path;
    }

    /// <summary>
    /// DuckDB's memory limit for a case file, for counting and queries (a load runs under its own, lower one, see
    /// IngestOptions.MemoryLimit): FLOWNB_MEMORY_LIMIT (DuckDB syntax, e.g. 4GB), else 1GB. DuckDB's own default, 80% of
    /// RAM, let the seven procedures take 4.9 GB on a 10^8-record case.
    /// </summary>
    public static string DefaultMemoryLimit => MemoryLimitOr("1GB");

    /// <summary>FLOWNB_MEMORY_LIMIT when it is set, else <paramref name="fallback"/>.</summary>
    public static string MemoryLimitOr(string fallback) =>
        Environment.GetEnvironmentVariable("FLOWNB_MEMORY_LIMIT") is { Length: > 0 } l ? l : fallback;

    /// <summary>The case file, or null for an in-memory case.</summary>
    public string? Path { get; }

    /// <summary>Opens (or creates) a case. A null or ":memory:" path gives an in-memory case.</summary>
    public static CaseStore Open(string? path = null)
    {
        var inMemory = string.IsNullOrEmpty(path) || path == ":memory:";
        if (!inMemory)
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path!));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        var connection = new DuckDBConnection(inMemory ? "DataSource=:memory:" : $"DataSource={path}");
        connection.Open();
        var store = new CaseStore(connection, inMemory ? null : path);
        store.Execute(CaseSchema.CreateSql());
        store.Execute($"INSERT OR IGNORE INTO case_info VALUES ('schema_version', '{CaseSchema.Version}')");
        // Many narrow inserts in parallel: order of rows in storage carries no meaning (line and evidence_id do).
        store.Execute("SET preserve_insertion_order = false");
        // A case's text columns are few distinct values (interfaces, actions, addresses) that a dictionary stores in a byte or
        // two; DuckDB also tries FSST on every segment it writes, which costs more than it saves here: without it the bench
        // corpus loaded in 25.4 s against 31.4 s (means of 6 and 12 runs, same size per record), counting took 10% less.
        store.Execute("SET disabled_compression_methods = 'fsst,dict_fsst'");
        // A checkpoint leaves the row groups it finds as they are. DuckDB's vacuum would merge a table's last partly filled
        // row groups with those a later load appends (each commit of a load ends its tables with one): adding the last 1%
        // of the 10^7 case rewrote ~0.3M records per records table it touched, 1–2.5 s of a ~4 s update. A case keeps
        // those partial row groups (a few per load) and the rows an update deletes; neither changed its size measurably.
        store.Execute("SET max_vacuum_tasks = 0");
        // Big operations on a case file spill beside it instead of failing, within a bound an analyst's laptop keeps.
        if (!inMemory)
        {
            store.Execute($"SET temp_directory = {SqlText.Literal(System.IO.Path.GetFullPath(path!) + ".tmp")}");
            store.Execute($"SET memory_limit = {SqlText.Literal(DefaultMemoryLimit)}");
        }
        store.RefreshFlowsView();
        return store;
    }

    /// <summary>Whether the case holds a table (not a view, not a temporary table) of this name.</summary>
    public bool HasTable(string name) =>
        Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE table_name = $1 AND NOT temporary", name) > 0;

    /// <summary>The tables that hold records.</summary>
    public IReadOnlyList<string> RecordTables() =>
        Query($"SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND starts_with(table_name, '{CaseSchema.RecordsTablePrefix}') ORDER BY table_name")
            .Rows.Select(r => (string)r[0]!).ToList();

    /// <summary>Rebuilds the <c>flows</c> view over every records table (after a load adds tables).</summary>
    public void RefreshFlowsView() => Execute(CaseSchema.FlowsViewSql(RecordTables(),
        Query($"""
            SELECT t.table_name FROM duckdb_tables() t JOIN duckdb_columns() c USING (table_oid)
            WHERE NOT t.temporary AND starts_with(t.table_name, '{CaseSchema.RecordsTablePrefix}') AND c.column_name = 'start_time'
            """)
            .Rows.Select(r => (string)r[0]!)));

    /// <summary>A second connection to the same database (for a parallel load worker).</summary>
    internal DuckDBConnection NewConnection()
    {
        // DuckDB.NET shares one database per file among connections; an in-memory one can only be duplicated.
        var c = Path is null ? connection.Duplicate() : new DuckDBConnection(connection.ConnectionString);
        c.Open();
        return c;
    }

    /// <summary>Runs SQL that returns nothing.</summary>
    public void Execute(string sql, params object?[] parameters)
    {
        lock (gate)
        {
            // A procedure's heavy statement is often CREATE TABLE … AS SELECT: its profile is wanted too (it runs twice when tracing).
            if (SqlTrace.Plans && sql.TrimStart().StartsWith("CREATE OR REPLACE TEMP TABLE", StringComparison.Ordinal)) Explain(sql, parameters);
            using var timing = SqlTrace.Time(sql);
            using var cmd = Command(sql, parameters);
            cmd.ExecuteNonQuery();
            recorded?.Add((sql, parameters));
        }
    }

    /// <summary>Runs SQL and returns the first value.</summary>
    public T? Scalar<T>(string sql, params object?[] parameters)
    {
        lock (gate)
        {
            using var timing = SqlTrace.Time(sql);
            using var cmd = Command(sql, parameters);
            var v = cmd.ExecuteScalar();
            return v is null or DBNull ? default : (T)Convert.ChangeType(v, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Runs a query and reads the result into a <see cref="QueryResult"/> (bounded by <paramref name="maxRows"/>).</summary>
    public QueryResult Query(string sql, IReadOnlyList<object?>? parameters = null, int maxRows = int.MaxValue)
    {
        lock (gate)
        {
            if (SqlTrace.Plans) Explain(sql, parameters);
            using var timing = SqlTrace.Time(sql);
            using var cmd = Command(sql, parameters?.ToArray() ?? []);
            using var reader = cmd.ExecuteReader();
            return QueryResult.Read(reader, maxRows);
        }
    }

    /// <summary>Runs a query and hands each row to a callback (for streaming CSV/JSON out without holding rows).</summary>
    public void Stream(string sql, IReadOnlyList<object?>? parameters, Action<IDataRecord> row, Action<IDataRecord>? header = null)
    {
        lock (gate)
        {
            using var timing = SqlTrace.Time(sql);
            using var cmd = Command(sql, parameters?.ToArray() ?? []);
            using var reader = cmd.ExecuteReader();
            header?.Invoke(reader);
            while (reader.Read()) row(reader);
        }
    }

    void Explain(string sql, IReadOnlyList<object?>? parameters)
    {
        using var cmd = Command("EXPLAIN ANALYZE " + sql, parameters?.ToArray() ?? []);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) Console.Error.WriteLine(reader.GetValue(reader.FieldCount - 1));
    }

    DuckDBCommand Command(string sql, object?[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters)
            cmd.Parameters.Add(new DuckDBParameter(p ?? DBNull.Value));
        return cmd;
    }

    /// <inheritdoc />
    public void Dispose() => connection.Dispose();
}
