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

    /// <summary>The CloudWatch log group the records came from (a subscription payload or the --log-group the analyst named).</summary>
    public string? LogGroup { get; set; }

    /// <summary>The account a CloudWatch subscription payload names as its owner.</summary>
    public string? Owner { get; set; }

    /// <summary>The most rejects kept per object with their raw text (all are counted).</summary>
    public const int MaxStoredRejects = 10_000;

    FlowLogFormat? lastFormat;
    ContextColumns lastColumns;
    ColumnBatch? lastBatch;
    int flowLogCode = -1;
    readonly Dictionary<string, int> contextCodes = new(StringComparer.Ordinal);

    /// <summary>Records whose times are implausible (see <see cref="PlausibleTimes"/>): kept, flagged, left out of the span.</summary>
    public long ImplausibleTimes { get; private set; }

    // What the object's records say against its name: another account, or times long before the delivery it claims.
    long otherAccount, otherAccountLine, longBefore, longBeforeLine;
    int keyAccountCode = -1;

    /// <summary>Earliest and latest plausible record times for this object (microseconds since the epoch).</summary>
    internal (long From, long To) PlausibleTimes { get; } = PlausibleWindow(obj.Key);


    /// <summary>
    /// From the launch of VPC Flow Logs to one day after the object's delivery (its key stamp, its Security Lake event day,
    /// or, without either, the time of loading): a record outside it is a clock or producer error, not evidence of when.
    /// </summary>
    static (long, long) PlausibleWindow(KeyMetadata key)
    {
        var delivered = key.DeliveryTime ?? key.EventDay?.AddDays(1) ?? DateTime.UtcNow;
        return (Micros(FlowLogsLaunch.Date), Micros(delivered.AddDays(1)));
    }

    /// <summary>A day before the delivery its name claims: its records end after it (AWS writes a record into the object
    /// of the 5-minute slot or hour its capture window ends in); long.MinValue when the name claims no time.</summary>
    long ClaimedEarliest => claimedEarliest ??= Object.Key.DeliveryTime is { } t ? Micros(t.AddDays(-1)) : long.MinValue;
    long? claimedEarliest;

    /// <summary>What of the object's content contradicts what its name claims (account, delivery time), or null.</summary>
    public string? NameContradicted()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var said = new List<string>();
        if (otherAccount > 0)
            said.Add(string.Create(c, $"its name claims account {Object.Key.AccountId} but {otherAccount:N0} records name another (first at line {otherAccountLine})"));
        if (longBefore > 0)
            said.Add(string.Create(c, $"its name claims delivery {Object.Key.DeliveryTime:yyyy-MM-ddTHH:mm}Z but {longBefore:N0} records ended over a day before it (first at line {longBeforeLine})"));
        return said.Count == 0 ? null : string.Join("; ", said);
    }

    static long Micros(DateTime t) => (t.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10;

    /// <summary>Parses one record line in a layout, with what its delivery tells (stream, owner, time bound).</summary>
    public void Record(ReadOnlySpan<byte> line, long lineNumber, FlowLogFormat format, RecordContext? context = null)
    {
        var columns = context?.ColumnsFor(format) ?? ContextColumns.None;
        if (!ReferenceEquals(format, lastFormat) || columns != lastColumns || lastBatch is null)
        {
            lastBatch = worker.BatchFor(format, columns);
            lastFormat = format;
            lastColumns = columns;
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
        batch.EvidenceId.Set(row, EvidenceId);
        batch.Line.Set(row, lineNumber);
        batch.FlowLogId.Codes[row] = flowLogCode;
        if (batch.StreamInterface is { } si) si.Codes[row] = ContextCode(context!.Interface);
        if (batch.StreamAttachment is { } sa) sa.Codes[row] = ContextCode(context!.TransitGatewayAttachment);
        if (batch.StreamTransitGateway is { } st) st.Codes[row] = ContextCode(context!.TransitGateway);
        if (batch.Account is { } ac) ac.Codes[row] = ContextCode(context!.Account);
        long? start = batch.StartIndex >= 0 ? ((TimeColumn)batch.FieldColumns[batch.StartIndex])[row] : null;
        long? end = batch.EndIndex >= 0 ? ((TimeColumn)batch.FieldColumns[batch.EndIndex])[row] : null;
        if (batch.BoundStart is { } bs && context!.Time is { } bound)
        {
            bs.Set(row, bound.StartMicros);
            start = bound.StartMicros;
            batch.BoundEnd!.Set(row, bound.EndMicros);
            end = bound.EndMicros;
            batch.TimeSource!.Codes[row] = ContextCode(bound.Source);
            batch.TimeBoundSeconds!.Set(row, bound.Seconds);
        }
        if (Object.Key.AccountId is { } claimed && batch.AccountIndex >= 0)
        {
            if (keyAccountCode < 0) keyAccountCode = parser.Code(claimed);
            var account = ((TextColumn)batch.FieldColumns[batch.AccountIndex]).Codes[row];
            if (account != 0 && account != keyAccountCode && otherAccount++ == 0) otherAccountLine = lineNumber;
        }
        if (end < ClaimedEarliest && longBefore++ == 0) longBeforeLine = lineNumber;
        var (from, to) = PlausibleTimes;
        if (start < from || end < from || start > to || end > to) ImplausibleTimes++;
        else
        {
            if (start < FirstMicros) FirstMicros = start.Value;
            if (end > LastMicros) LastMicros = end.Value;
        }
        batch.Count = row + 1;
        Records++;
        if (batch.IsFull)
        {
            worker.Flush(batch);
            // A flush may start a new dictionary: codes of per-object constants must be taken again.
            flowLogCode = -1;
            keyAccountCode = -1;
            contextCodes.Clear();
        }
    }

    int ContextCode(string? text)
    {
        if (text is null) return 0;
        if (!contextCodes.TryGetValue(text, out var code)) contextCodes[text] = code = worker.Parser.Code(text);
        return code;
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
        if (ImplausibleTimes > 0)
            Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{ImplausibleTimes:N0} records with implausible times (before {FlowLogsLaunch.Date:yyyy-MM-dd} or more than a day after delivery): kept, left out of first/last time"));
        if (NameContradicted() is { } contradicted) Note("records contradict the name: " + contradicted);
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
            AccountId = k.AccountId ?? Owner,
            Region = k.Region,
            DeliveryTime = k.DeliveryTime,
            KeyLayout = k.Layout == KeyLayout.None ? null : k.Layout.ToString(),
            Notes = Notes.Count == 0 ? null : string.Join("; ", Notes),
            ImplausibleTimes = ImplausibleTimes,
            NameContradicted = NameContradicted(),
            LogGroup = LogGroup,
            Rejects = Rejects,
        };
    }
}
