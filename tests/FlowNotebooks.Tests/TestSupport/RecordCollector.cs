using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Sources;

namespace FlowNotebooks.Tests.TestSupport;

/// <summary>
/// A reader's sink with no case store behind it: every record line is parsed with the engine's own parser into a
/// column batch of its layout, so reader tests assert typed field values without a DuckDB connection.
/// </summary>
internal sealed class RecordCollector : IRecordSink
{
    readonly FlowRecordParser parser = new();
    readonly Dictionary<string, ColumnBatch> batches = [];

    public string? FlowLogId { get; set; }
    public string Status { get; set; } = "complete";
    public long HeaderLines { get; set; }
    public long BlankLines { get; set; }
    public string? LogGroup { get; set; }
    public string? Owner { get; set; }
    public long Records => Rows.Count;
    public long RejectCount => Rejects.Count;

    /// <summary>Each accepted record: its line number, flow log, stream interface and typed values by field name.</summary>
    public List<CollectedRecord> Rows { get; } = [];
    public List<(long Line, string Reason, string Raw)> Rejects { get; } = [];
    /// <summary>Every line handed on, as its text, before the parser judged it.</summary>
    public List<(long Line, string Text)> Lines { get; } = [];
    /// <summary>Every line handed on, as its bytes.</summary>
    public List<byte[]> LineBytes { get; } = [];
    public List<string> Notes { get; } = [];

    public void Record(ReadOnlySpan<byte> line, long lineNumber, FlowLogFormat format, RecordContext? context = null)
    {
        Lines.Add((lineNumber, System.Text.Encoding.UTF8.GetString(line)));
        LineBytes.Add(line.ToArray());
        if (!batches.TryGetValue(format.Signature, out var batch))
            batches[format.Signature] = batch = new ColumnBatch(format, capacity: 1);
        batch.Count = 0;
        if (!parser.TryAppend(line, batch, out var error))
        {
            Reject(lineNumber, error!, line);
            return;
        }
        var values = new Dictionary<string, object?>();
        for (var i = 0; i < format.Fields.Count; i++)
            values[format.Fields[i].Name] = batch.FieldColumns[i] switch
            {
                Int32Column c => c[0],
                Int64Column c => c[0],
                TimeColumn c => c[0] is { } us ? DateTime.UnixEpoch.AddTicks(us * 10) : null,
                AddressColumn c => c.TextCodes[0] == 0 ? null : parser.Dictionary.Text(c.TextCodes[0]),
                TextColumn c => c.Codes[0] == 0 ? null : parser.Dictionary.Text(c.Codes[0]),
                _ => throw new InvalidOperationException("unknown column"),
            };
        Rows.Add(new CollectedRecord(lineNumber, FlowLogId, context?.Interface, values) { Context = context });
    }

    public void Reject(long lineNumber, string reason, ReadOnlySpan<byte> raw) =>
        Rejects.Add((lineNumber, reason, Encoding.UTF8.GetString(raw)));

    public void Note(string note) => Notes.Add(note);
}

internal sealed record CollectedRecord(long Line, string? FlowLogId, string? StreamInterface, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>What the delivery told about the record (stream, owner, time bound).</summary>
    public RecordContext? Context { get; init; }

    public object? this[string field] => Values.TryGetValue(field, out var v) ? v : null;
}
