using FlowNotebooks.Formats;

namespace FlowNotebooks.Parsing;

/// <summary>
/// Parsed flow records of one format in column arrays, plus where each came from (evidence object and line).
/// The parser fills it; the store takes it whole (it knows how to write it, the batch knows nothing of the store).
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

    public int Capacity { get; }
    public int Count { get; set; }
    public bool IsFull => Count >= Capacity;

    /// <summary>One buffer per format field, in format order.</summary>
    public ColumnBuffer[] FieldColumns { get; }
    public Int32Column EvidenceId { get; }
    public Int64Column Line { get; }
    public TextColumn FlowLogId { get; }
    public TextColumn? StreamInterface { get; }

    /// <summary>Every column the batch fills: the format's fields, then where each record came from.</summary>
    public IEnumerable<ColumnBuffer> Columns =>
        FieldColumns.Concat([EvidenceId, Line, FlowLogId]).Concat(StreamInterface is null ? [] : [StreamInterface]);
}
