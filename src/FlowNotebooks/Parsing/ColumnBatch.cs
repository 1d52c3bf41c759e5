using FlowNotebooks.Formats;
using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Parsing;

/// <summary>
/// Parsed flow records of one format in column arrays, plus where each came from (evidence object and line).
/// The parser fills it; the store writes it as one Parquet row group that DuckDB inserts in bulk.
/// </summary>
internal sealed class ColumnBatch
{
    /// <summary>Two DuckDB row groups (122,880 rows each), so inserts fill whole row groups.</summary>
    public const int DefaultCapacity = 2 * 122_880;

    public ColumnBatch(FlowLogFormat format, int capacity = DefaultCapacity, bool withStreamInterface = false)
    {
        Format = format;
        Capacity = capacity;
        FieldColumns = new ColumnBuffer[format.Fields.Count];
        for (var i = 0; i < FieldColumns.Length; i++)
        {
            var f = format.Fields[i];
            FieldColumns[i] = f.Kind switch
            {
                FieldKind.Int32 => new Int32Column(f.Column, capacity),
                FieldKind.Int64 => new Int64Column(f.Column, capacity),
                FieldKind.EpochTime => new TimeColumn(f.Column, capacity),
                FieldKind.Address => new AddressColumn(f.Column, capacity),
                _ => new TextColumn(f.Column, capacity),
            };
        }
        StartIndex = IndexOf(format, "start");
        EndIndex = IndexOf(format, "end");
        EvidenceId = new Int32Column("evidence_id", capacity);
        Line = new Int64Column("line", capacity);
        FlowLogId = new TextColumn("flow_log_id", capacity);
        // CloudWatch streams are named after the interface; when the format itself lacks interface-id we keep the stream's.
        if (withStreamInterface && !format.Fields.Any(f => f.Name == "interface-id"))
            StreamInterface = new TextColumn("interface_id", capacity);
    }

    public FlowLogFormat Format { get; }

    /// <summary>Positions of the start and end fields (-1 when the layout lacks them).</summary>
    public int StartIndex { get; }
    public int EndIndex { get; }

    static int IndexOf(FlowLogFormat f, string name)
    {
        for (var i = 0; i < f.Fields.Count; i++) if (f.Fields[i].Name == name) return i;
        return -1;
    }

    /// <summary>The case-store columns of this batch, in a stable order (defines its records table).</summary>
    public string ColumnDefinitions => string.Join(", ", AllColumns.SelectMany(c => c.ColumnDefinitions).Order(StringComparer.Ordinal));
    public int Capacity { get; }
    public int Count { get; set; }
    public bool IsFull => Count >= Capacity;

    /// <summary>One buffer per format field, in format order.</summary>
    public ColumnBuffer[] FieldColumns { get; }
    public Int32Column EvidenceId { get; }
    public Int64Column Line { get; }
    public TextColumn FlowLogId { get; }
    public TextColumn? StreamInterface { get; }

    IEnumerable<ColumnBuffer> AllColumns =>
        FieldColumns.Concat([EvidenceId, Line, FlowLogId]).Concat(StreamInterface is null ? [] : [StreamInterface]);

    /// <summary>The SELECT list that maps a staged file of this batch onto the flows table.</summary>
    public string SelectSql => string.Join(", ", AllColumns.SelectMany(c => c.SelectSql));

    /// <summary>
    /// The FROM clause over a staged file: text comes back from the worker's dictionary table (<c>fnb_dict_entries</c>),
    /// one hash join per text column (cheaper in DuckDB than a list lookup).
    /// </summary>
    public string FromSql(string stagedFile)
    {
        var sb = new System.Text.StringBuilder($"read_parquet({Store.SqlText.Literal(stagedFile)}) p");
        var n = 0;
        foreach (var c in AllColumns)
        {
            var (code, set) = c switch
            {
                TextColumn t => (t.CodeColumn, (Action<string>)(a => t.Lookup = a)),
                AddressColumn a => (a.CodeColumn, x => a.Lookup = x),
                _ => ((string?)null, (Action<string>?)null),
            };
            if (code is null) continue;
            var alias = $"d{n++}";
            set!(alias);
            sb.Append($" LEFT JOIN fnb_dict_entries {alias} ON {alias}.code = p.{Store.SqlText.Identifier(code)}");
        }
        return sb.ToString();
    }

    /// <summary>Case-store columns this batch fills (used to add unknown fields to the table first).</summary>
    public IEnumerable<ColumnBuffer> Columns => AllColumns;

    /// <summary>Writes the filled rows as a Parquet file (uncompressed: it is read once, straight away).</summary>
    public async Task WriteParquetAsync(Stream stream)
    {
        var schema = new ParquetSchema(AllColumns.SelectMany(c => c.StagingFields).ToArray<Field>());
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.None };
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, options);
        using var group = writer.CreateRowGroup();
        foreach (var c in AllColumns)
            await c.WriteAsync(group, Count);
    }
}
