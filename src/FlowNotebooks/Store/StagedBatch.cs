using FlowNotebooks.Parsing;
using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Store;

/// <summary>
/// How a parsed <see cref="ColumnBatch"/> enters the case: written as one uncompressed Parquet row group (whole
/// arrays, no per-value calls into DuckDB), then inserted in bulk with its text looked up in the lane's dictionary
/// table (<c>fnb_dict_entries</c>) made one list per insert, indexed by code. A hash join per text column took as long
/// but built one hash table of the whole dictionary per column: ~20 of them for AWS's widest format needed over 200 MB
/// for one insert of 39,360 records, and two lanes' inserts at 10^8 records ran past the load's 1 GB limit.
/// </summary>
internal static class StagedBatch
{
    /// <summary>The case-store columns of a batch, in a stable order (it defines the batch's records table).</summary>
    public static string ColumnDefinitions(ColumnBatch batch) =>
        string.Join(", ", batch.Columns.SelectMany(c => Definitions(c, batch.Count)).Order(StringComparer.Ordinal));

    static IEnumerable<string> Definitions(ColumnBuffer c, int count) => c switch
    {
        Int32Column => [$"{Q(c.Column)} INTEGER"],
        Int64Column => [$"{Q(c.Column)} BIGINT"],
        // Whole seconds are kept as seconds: a timestamp in microseconds needs ~20 more bits per value once compressed
        // (5 bytes a record for start and end). Such a batch goes to its own table; the flows view reads both as TIMESTAMP.
        TimeColumn t => [$"{Q(c.Column)} {(t.WholeSeconds(count) ? "TIMESTAMP_S" : "TIMESTAMP")}"],
        // An IPv4 address is kept as its text only: the flows view reads its number from it (CaseSchema.IPv4Number).
        AddressColumn => [$"{Q(c.Column)} VARCHAR", $"{Q(c.Column + "_v6")} UHUGEINT"],
        _ => [$"{Q(c.Column)} VARCHAR"],
    };

    /// <summary>Writes the filled rows of a batch as a Parquet file (uncompressed: it is read once, straight away).</summary>
    public static async Task WriteAsync(ColumnBatch batch, Stream stream)
    {
        var count = batch.Count;
        var writes = new List<(DataField Field, Func<ParquetRowGroupWriter, Task> Write)>();
        foreach (var c in batch.Columns)
        {
            switch (c)
            {
                case TextColumn t:
                    Add<int>(writes, t.Column + "__code", f => w => w.WriteAsync<int>(f, new ReadOnlyMemory<int>(t.Codes, 0, count), null));
                    break;
                case Int32Column i:
                    AddValues(writes, i.Column, i, count);
                    break;
                case Int64Column l:
                    AddValues(writes, l.Column, l, count);
                    break;
                case TimeColumn m:
                    AddValues(writes, m.Column + "__us", m, count);
                    break;
                case AddressColumn a:
                    Add<int>(writes, a.Column + "__code", f => w => w.WriteAsync<int>(f, new ReadOnlyMemory<int>(a.TextCodes, 0, count), null));
                    if (a.V6Hi is not null)
                    {
                        AddNullable<ulong>(writes, a.Column + "__v6hi", a.V6Hi, count);
                        AddNullable<ulong>(writes, a.Column + "__v6lo", a.V6Lo!, count);
                    }
                    break;
            }
        }
        var schema = new ParquetSchema(writes.Select(w => (Field)w.Field).ToArray());
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.None });
        using var group = writer.CreateRowGroup();
        foreach (var (_, write) in writes) await write(group);
    }

    static void Add<T>(List<(DataField, Func<ParquetRowGroupWriter, Task>)> writes, string name, Func<DataField, Func<ParquetRowGroupWriter, Task>> write)
    {
        var field = new DataField<T>(name);
        writes.Add((field, write(field)));
    }

    /// <summary>A column without nulls goes as its array; one with nulls through a borrowed <c>T?</c> array, made when
    /// its turn comes so only one such array is alive at a time.</summary>
    static void AddValues<T>(List<(DataField, Func<ParquetRowGroupWriter, Task>)> writes, string name, ValueColumn<T> column, int count) where T : unmanaged
    {
        if (!column.HasNulls(count))
        {
            Add<T>(writes, name, f => w => w.WriteAsync<T>(f, new ReadOnlyMemory<T>(column.Values, 0, count), null));
            return;
        }
        var field = new DataField<T?>(name);
        writes.Add((field, async w =>
        {
            var values = System.Buffers.ArrayPool<T?>.Shared.Rent(count);
            try
            {
                for (var row = 0; row < count; row++) values[row] = column[row];
                await w.WriteAsync<T>(field, new ReadOnlyMemory<T?>(values, 0, count), null);
            }
            finally
            {
                System.Buffers.ArrayPool<T?>.Shared.Return(values);
            }
        }));
    }

    static void AddNullable<T>(List<(DataField, Func<ParquetRowGroupWriter, Task>)> writes, string name, T?[] values, int count) where T : struct
    {
        var field = new DataField<T?>(name);
        writes.Add((field, w => w.WriteAsync<T>(field, new ReadOnlyMemory<T?>(values, 0, count), null)));
    }

    /// <summary>
    /// The INSERT that moves a staged file of this batch into its records table; <paramref name="dictionaryCount"/> is
    /// how many texts the lane's dictionary table must hold (the parser's dictionary, all exported).
    /// </summary>
    public static string InsertSql(ColumnBatch batch, string table, string stagedFile, int dictionaryCount)
    {
        // Codes are 1..n in the dictionary table (0 is null, and a list's element 0 is NULL).
        string Text(string codeColumn) => $"d.texts[p.{Q(codeColumn)}]";
        var select = new List<string>();
        foreach (var c in batch.Columns)
        {
            var col = Q(c.Column);
            switch (c)
            {
                case TextColumn:
                    select.Add($"{Text(c.Column + "__code")} AS {col}");
                    break;
                case TimeColumn:
                    select.Add($"make_timestamp({Q(c.Column + "__us")}) AS {col}");
                    break;
                case AddressColumn a:
                    select.Add($"{Text(c.Column + "__code")} AS {col}");
                    string hi = Q(c.Column + "__v6hi"), lo = Q(c.Column + "__v6lo");
                    // No IPv6 address in the batch: no halves were staged.
                    select.Add(a.V6Hi is null ? $"NULL::UHUGEINT AS {Q(c.Column + "_v6")}"
                        : $"CASE WHEN {hi} IS NULL THEN NULL ELSE ({hi}::UHUGEINT << 64) | {lo}::UHUGEINT END AS {Q(c.Column + "_v6")}");
                    break;
                default:
                    select.Add(col);
                    break;
            }
        }
        return $"INSERT INTO {SqlText.Identifier(table)} BY NAME SELECT {string.Join(", ", select)} "
            + $"FROM read_parquet({SqlText.Literal(stagedFile)}) p CROSS JOIN ({DictionaryListSql(dictionaryCount)}) d";
    }

    /// <summary>
    /// The lane's dictionary as one list, element i the text of code i. A code missing from the table would shift every
    /// text after it onto the wrong records, and a text not exported would be NULL: a table that is not exactly the codes
    /// 1..<paramref name="count"/> stops the insert instead.
    /// </summary>
    static string DictionaryListSql(int count) => $"""
        SELECT CASE WHEN count(*) = {count} AND coalesce(max(code), 0) = {count} AND coalesce(min(code), 1) = 1 THEN list(value ORDER BY code)
                    ELSE error('the text dictionary is not the codes 1..n') END AS texts
        FROM fnb_dict_entries
        """;

    static string Q(string name) => SqlText.Identifier(name);
}
