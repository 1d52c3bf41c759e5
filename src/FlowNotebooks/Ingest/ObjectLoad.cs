using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Sources;

namespace FlowNotebooks.Ingest;

/// <summary>
/// The reading of one evidence object: readers hand it lines (with the layout in force) and problems; it parses them
/// into the worker's column batches and keeps the object's counts, rejects and notes for the manifest.
/// </summary>
internal sealed class ObjectLoad(EvidenceObject obj, int evidenceId, string? flowLogId, LoadWorker worker, bool strict)
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

    /// <summary>Counts rejects a bulk reader found beyond those it stored with their raw text.</summary>
    public void CountUnstoredRejects(long count)
    {
        if (count > 0) RejectCount += count;
    }

    /// <summary>Counts records a bulk reader (Parquet) stored itself.</summary>
    public void AddRecords(long count) => Records += count;

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
}
