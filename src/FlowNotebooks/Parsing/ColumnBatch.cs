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

    /// <summary>
    /// Rows a new batch has room for. A lane keeps a batch per layout and delivery shape it has met, many of them for
    /// few records: full-size arrays from the start cost each of those up to ~90 MB (AWS's widest format) for nothing.
    /// </summary>
    const int InitialRows = 4_096;

    public ColumnBatch(FlowLogFormat format, int capacity = DefaultCapacity, ContextColumns context = ContextColumns.None)
    {
        Format = format;
        Capacity = capacity;
        Room = Math.Min(capacity, InitialRows);
        FieldColumns = new ColumnBuffer[format.Fields.Count];
        for (var i = 0; i < FieldColumns.Length; i++)
        {
            var f = format.Fields[i];
            FieldColumns[i] = f.Kind switch
            {
                FieldKind.Int32 => new Int32Column(f.Column, Room),
                FieldKind.Int64 => new Int64Column(f.Column, Room),
                FieldKind.EpochTime => new TimeColumn(f.Column, Room),
                FieldKind.Address => new AddressColumn(f.Column, Room),
                _ => new TextColumn(f.Column, Room),
            };
        }
        StartIndex = IndexOf(format, "start");
        EndIndex = IndexOf(format, "end");
        AccountIndex = IndexOf(format, "account-id");
        EvidenceId = new Int32Column("evidence_id", Room);
        Line = new Int64Column("line", Room);
        FlowLogId = new TextColumn("flow_log_id", Room);
        // What the delivery tells and the format lacks (see RecordContext): the stream's interface or attachment, the
        // payload's account, the time bounds of records without start/end and where they came from.
        Context = context;
        if (context.HasFlag(ContextColumns.Interface)) StreamInterface = new TextColumn("interface_id", Room);
        if (context.HasFlag(ContextColumns.TransitGatewayAttachment)) StreamAttachment = new TextColumn("tgw_attachment_id", Room);
        if (context.HasFlag(ContextColumns.TransitGateway)) StreamTransitGateway = new TextColumn("tgw_id", Room);
        if (context.HasFlag(ContextColumns.Account)) Account = new TextColumn("account_id", Room);
        if (context.HasFlag(ContextColumns.TimeBound))
        {
            BoundStart = new TimeColumn("start_time", Room);
            BoundEnd = new TimeColumn("end_time", Room);
            TimeSource = new TextColumn("time_source", Room);
            TimeBoundSeconds = new Int64Column("time_bound_seconds", Room);
        }
    }

    public ContextColumns Context { get; }
    public TextColumn? StreamAttachment { get; }
    public TextColumn? StreamTransitGateway { get; }
    public TextColumn? Account { get; }
    public TimeColumn? BoundStart { get; }
    public TimeColumn? BoundEnd { get; }
    public TextColumn? TimeSource { get; }
    public Int64Column? TimeBoundSeconds { get; }

    public FlowLogFormat Format { get; }

    /// <summary>Positions of the start and end fields (-1 when the layout lacks them).</summary>
    public int StartIndex { get; }
    public int EndIndex { get; }
    /// <summary>The account-id field's column, or -1 when the format has none.</summary>
    public int AccountIndex { get; }

    static int IndexOf(FlowLogFormat f, string name)
    {
        for (var i = 0; i < f.Fields.Count; i++) if (f.Fields[i].Name == name) return i;
        return -1;
    }

    public int Capacity { get; }
    public int Count { get; set; }
    public bool IsFull => Count >= Capacity;

    /// <summary>Rows the column arrays hold now (grown by doubling up to <see cref="Capacity"/>).</summary>
    public int Room { get; private set; }

    /// <summary>Makes sure row <see cref="Count"/> can be written.</summary>
    public void MakeRoom()
    {
        if (Count < Room) return;
        if (Count >= Capacity) throw new InvalidOperationException("The batch is full: flush it first.");
        Room = Math.Min(Capacity, Room * 2);
        foreach (var c in Columns) c.Resize(Room);
    }

    /// <summary>One buffer per format field, in format order.</summary>
    public ColumnBuffer[] FieldColumns { get; }
    public Int32Column EvidenceId { get; }
    public Int64Column Line { get; }
    public TextColumn FlowLogId { get; }
    public TextColumn? StreamInterface { get; }

    /// <summary>Every column the batch fills: the format's fields, then where each record came from.</summary>
    public IEnumerable<ColumnBuffer> Columns =>
        FieldColumns.Concat([EvidenceId, Line, FlowLogId])
            .Concat(new ColumnBuffer?[] { StreamInterface, StreamAttachment, StreamTransitGateway, Account, BoundStart, BoundEnd, TimeSource, TimeBoundSeconds }.OfType<ColumnBuffer>());
}
