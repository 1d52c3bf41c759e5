using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Sources;
using FlowNotebooks.Store;

namespace FlowNotebooks.Ingest;

/// <summary>
/// The reading of one evidence object: readers hand it lines (with the layout in force) and problems; it parses them
/// into the lane's column batches and keeps the object's counts, rejects and notes for its manifest row.
/// </summary>
internal sealed class ObjectLoad(EvidenceObject obj, int evidenceId, string? flowLogId, LoadWorker worker, bool strict) : IRecordSink
{
    public EvidenceObject Object { get; } = obj;
    public int EvidenceId { get; } = evidenceId;
    public string? FlowLogId
    {
        get => flowLogId;
        set
        {
            flowLogId = value;
            flowLogCode = -1;
            if (value is not null) FlowLogIds.Add(value);
        }
    }

    /// <summary>Every flow log whose records this object held (CloudWatch exports can mix several).</summary>
    public SortedSet<string> FlowLogIds { get; } = new(StringComparer.Ordinal);
    public long Records { get; private set; }
    public long HeaderLines { get; set; }
    public long BlankLines { get; set; }
    public List<Reject> Rejects { get; } = [];
    public long RejectCount { get; private set; }
    public List<string> Notes { get; } = [];
    public HashSet<string> Formats { get; } = [];
    public string Status { get; set; } = "complete";
    public string Kind { get; set; } = "flow-text";

    /// <summary>Earliest start and latest end of the object's records (microseconds since the epoch).</summary>
    public long FirstMicros { get; set; } = long.MaxValue;
    public long LastMicros { get; set; } = long.MinValue;

    public DateTime? FirstTime => FirstMicros == long.MaxValue ? null : DateTime.UnixEpoch.AddTicks(FirstMicros * 10);
    public DateTime? LastTime => LastMicros == long.MinValue ? null : DateTime.UnixEpoch.AddTicks(LastMicros * 10);
    public string Sha256 { get; set; } = "";

    /// <summary>The most rejects kept per object with their raw text (all are counted).</summary>
    public const int MaxStoredRejects = 10_000;

    FlowLogFormat? lastFormat;
    bool lastStreamInterface;
    ColumnBatch? lastBatch;
    string? lastStream;
    int lastStreamCode, flowLogCode = -1;

    /// <summary>Parses one record line in a layout.</summary>
    public void Record(ReadOnlySpan<byte> line, long lineNumber, FlowLogFormat format, string? streamInterface = null)
    {
        var withStream = streamInterface is not null;
        if (!ReferenceEquals(format, lastFormat) || withStream != lastStreamInterface || lastBatch is null)
        {
            lastBatch = worker.BatchFor(format, withStream);
            lastFormat = format;
            lastStreamInterface = withStream;
            Formats.Add(format.Signature);
        }
        var batch = lastBatch;
        var parser = worker.Parser;
        if (!parser.TryAppend(line, batch, out var error))
        {
            Reject(lineNumber, error!, line);
            return;
        }
        if (flowLogCode < 0) flowLogCode = parser.Code(FlowLogId);
        var row = batch.Count;
        batch.EvidenceId.Values[row] = EvidenceId;
        batch.Line.Values[row] = lineNumber;
        batch.FlowLogId.Codes[row] = flowLogCode;
        if (batch.StreamInterface is { } si)
        {
            if (!ReferenceEquals(streamInterface, lastStream))
            {
                lastStream = streamInterface;
                lastStreamCode = parser.Code(streamInterface);
            }
            si.Codes[row] = lastStreamCode;
        }
        if (batch.StartIndex >= 0 && ((TimeColumn)batch.FieldColumns[batch.StartIndex]).Micros[row] is { } start && start < FirstMicros) FirstMicros = start;
        if (batch.EndIndex >= 0 && ((TimeColumn)batch.FieldColumns[batch.EndIndex]).Micros[row] is { } end && end > LastMicros) LastMicros = end;
        batch.Count = row + 1;
        Records++;
        if (batch.IsFull)
        {
            worker.Flush(batch);
            // A flush may start a new dictionary: codes of per-object constants must be taken again.
            flowLogCode = -1;
            lastStream = null;
        }
    }

    /// <summary>Records a line or object that could not be loaded; in strict mode the load stops here.</summary>
    public void Reject(long lineNumber, string reason, ReadOnlySpan<byte> raw)
    {
        RejectCount++;
        var reject = new Reject(Object.Name, lineNumber, reason, FlowParseErrors.Printable(raw));
        if (strict) throw new FlowLoadException($"Strict mode: {reject}. Raw: {reject.Raw}");
        if (Rejects.Count < MaxStoredRejects) Rejects.Add(reject);
        worker.Progress.AddReject();
    }

    /// <summary>Adds a remark for the manifest (layout changes, format overrides).</summary>
    public void Note(string note)
    {
        if (!Notes.Contains(note)) Notes.Add(note);
    }

    /// <summary>
    /// The reading stopped part-way for a reason of the object's own (an I/O error, a file its reader cannot decode):
    /// the records before it stay, as with a truncated gzip, and the manifest and a reject say where and why.
    /// </summary>
    public void Failed(Exception ex) => Failed(ex.Message);

    /// <inheritdoc cref="Failed(Exception)"/>
    public void Failed(string why)
    {
        Status = "unreadable";
        Reject(0, FlowParseErrors.UnreadableObject(Object.Name, Records, why), default);
    }

    /// <summary>The plain manifest row the store writes for this object.</summary>
    public ManifestRow ManifestRow()
    {
        if (FlowLogIds.Count > 1) Note($"records of flow logs {string.Join(", ", FlowLogIds)}");
        var k = Object.Key;
        return new ManifestRow
        {
            EvidenceId = EvidenceId,
            Object = Object.Name,
            Kind = Kind,
            Size = Object.Size,
            Sha256 = Sha256,
            Status = Status,
            Format = Formats.Count == 0 ? null : string.Join(" | ", Formats.Order(StringComparer.Ordinal)),
            Records = Records,
            Rejected = RejectCount,
            HeaderLines = HeaderLines,
            BlankLines = BlankLines,
            FirstTime = FirstTime,
            LastTime = LastTime,
            FlowLogId = FlowLogIds.Count > 1 ? null : FlowLogIds.Count == 1 ? FlowLogIds.Min : FlowLogId,
            AccountId = k.AccountId,
            Region = k.Region,
            DeliveryTime = k.DeliveryTime,
            KeyLayout = k.Layout == KeyLayout.None ? null : k.Layout.ToString(),
            Notes = Notes.Count == 0 ? null : string.Join("; ", Notes),
            Rejects = Rejects,
        };
    }
}
