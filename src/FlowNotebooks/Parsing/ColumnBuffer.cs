using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Parsing;

/// <summary>
/// One column of a <see cref="ColumnBatch"/>: typed values for up to <c>capacity</c> rows, written to a staging
/// Parquet row group as a whole array (no per-value calls into the store).
/// </summary>
internal abstract class ColumnBuffer(string column)
{
    /// <summary>The case-store column this buffer fills.</summary>
    public string Column { get; } = column;

    public abstract void SetNull(int row);

    /// <summary>The staging Parquet fields this buffer writes.</summary>
    public abstract IEnumerable<DataField> StagingFields { get; }

    /// <summary>The SELECT expressions that turn the staged fields into case-store columns.</summary>
    public abstract IEnumerable<string> SelectSql { get; }

    /// <summary>The case-store columns (quoted name and DuckDB type) this buffer fills.</summary>
    public abstract IEnumerable<string> ColumnDefinitions { get; }

    public abstract Task WriteAsync(ParquetRowGroupWriter writer, int count);

    protected static string Q(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}

/// <summary>Text as dictionary codes (0 = null); the store looks the text up in the worker's dictionary.</summary>
internal sealed class TextColumn(string column, int capacity) : ColumnBuffer(column)
{
    readonly DataField data = new DataField<int>(column + "__code");
    public readonly int[] Codes = new int[capacity];
    public override void SetNull(int row) => Codes[row] = 0;
    public override IEnumerable<DataField> StagingFields => [data];
    /// <summary>Alias of this column's join to the dictionary table (set by the batch).</summary>
    public string Lookup { get; set; } = "d";
    public string CodeColumn => data.Name;
    public override IEnumerable<string> SelectSql => [$"{Lookup}.value AS {Q(Column)}"];
    public override IEnumerable<string> ColumnDefinitions => [$"{Q(Column)} VARCHAR"];
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count) =>
        writer.WriteAsync<int>(data, new ReadOnlyMemory<int>(Codes, 0, count), null);
}

internal sealed class Int32Column(string column, int capacity) : ColumnBuffer(column)
{
    public override IEnumerable<string> ColumnDefinitions => [$"{Q(Column)} INTEGER"];
    readonly DataField data = new DataField<int?>(column);
    public readonly int?[] Values = new int?[capacity];
    public override void SetNull(int row) => Values[row] = null;
    public override IEnumerable<DataField> StagingFields => [data];
    public override IEnumerable<string> SelectSql => [Q(Column)];
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count) =>
        writer.WriteAsync<int>(data, new ReadOnlyMemory<int?>(Values, 0, count), null);
}

internal sealed class Int64Column(string column, int capacity) : ColumnBuffer(column)
{
    public override IEnumerable<string> ColumnDefinitions => [$"{Q(Column)} BIGINT"];
    readonly DataField data = new DataField<long?>(column);
    public readonly long?[] Values = new long?[capacity];
    public override void SetNull(int row) => Values[row] = null;
    public override IEnumerable<DataField> StagingFields => [data];
    public override IEnumerable<string> SelectSql => [Q(Column)];
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count) =>
        writer.WriteAsync<long>(data, new ReadOnlyMemory<long?>(Values, 0, count), null);
}

/// <summary>Unix time held as microseconds, turned into a UTC TIMESTAMP by the store.</summary>
internal sealed class TimeColumn(string column, int capacity) : ColumnBuffer(column)
{
    public override IEnumerable<string> ColumnDefinitions => [$"{Q(Column)} TIMESTAMP"];
    readonly DataField data = new DataField<long?>(column + "__us");
    public readonly long?[] Micros = new long?[capacity];
    public override void SetNull(int row) => Micros[row] = null;
    public override IEnumerable<DataField> StagingFields => [data];
    public override IEnumerable<string> SelectSql => [$"make_timestamp({Q(data.Name)}) AS {Q(Column)}"];
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count) =>
        writer.WriteAsync<long>(data, new ReadOnlyMemory<long?>(Micros, 0, count), null);
}

/// <summary>An address as its text (dictionary code) and as numbers: <c>_v4</c> (UINTEGER) or <c>_v6</c> (UHUGEINT).</summary>
internal sealed class AddressColumn(string column, int capacity) : ColumnBuffer(column)
{
    readonly DataField text = new DataField<int>(column + "__code");
    readonly DataField v4 = new DataField<uint?>(column + "_v4");
    readonly DataField v6Hi = new DataField<ulong?>(column + "__v6hi");
    readonly DataField v6Lo = new DataField<ulong?>(column + "__v6lo");
    public readonly int[] TextCodes = new int[capacity];

    /// <summary>Alias of this column's join to the dictionary table (set by the batch).</summary>
    public string Lookup { get; set; } = "d";
    public string CodeColumn => text.Name;
    public readonly uint?[] V4 = new uint?[capacity];
    public readonly ulong?[] V6Hi = new ulong?[capacity];
    public readonly ulong?[] V6Lo = new ulong?[capacity];

    public override void SetNull(int row)
    {
        TextCodes[row] = 0;
        V4[row] = null;
        V6Hi[row] = null;
        V6Lo[row] = null;
    }

    public override IEnumerable<DataField> StagingFields => [text, v4, v6Hi, v6Lo];

    public override IEnumerable<string> SelectSql =>
    [
        $"{Lookup}.value AS {Q(Column)}",
        Q(v4.Name),
        $"CASE WHEN {Q(v6Hi.Name)} IS NULL THEN NULL ELSE ({Q(v6Hi.Name)}::UHUGEINT << 64) | {Q(v6Lo.Name)}::UHUGEINT END AS {Q(Column + "_v6")}",
    ];

    public override IEnumerable<string> ColumnDefinitions => [$"{Q(Column)} VARCHAR", $"{Q(Column + "_v4")} UINTEGER", $"{Q(Column + "_v6")} UHUGEINT"];

    public override async Task WriteAsync(ParquetRowGroupWriter writer, int count)
    {
        await writer.WriteAsync<int>(text, new ReadOnlyMemory<int>(TextCodes, 0, count), null);
        await writer.WriteAsync<uint>(v4, new ReadOnlyMemory<uint?>(V4, 0, count), null);
        await writer.WriteAsync<ulong>(v6Hi, new ReadOnlyMemory<ulong?>(V6Hi, 0, count), null);
        await writer.WriteAsync<ulong>(v6Lo, new ReadOnlyMemory<ulong?>(V6Lo, 0, count), null);
    }
}
