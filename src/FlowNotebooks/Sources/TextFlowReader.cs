using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;

namespace FlowNotebooks.Sources;

/// <summary>
/// Reads flow-log text (an S3 object after gunzip, Firehose plain text, a CloudWatch export-task file): header lines
/// set the layout, repeated headers are skipped, blank lines are counted, every other line is a record.
/// </summary>
internal static class TextFlowReader
{
    /// <summary>Reads every line; a compressed stream that ends early is one reject, and the records before it stay.</summary>
    /// <param name="context">What the object's delivery tells about every record (its stream, its key's time stamp).</param>
    public static void Read(Stream text, IRecordSink load, FlowLogFormat layout, bool exportTimestamps = false, RecordContext? context = null)
    {
        var reader = new LineReader(text);
        FlowLogFormat? header = null;
        try
        {
            while (reader.TryReadLine(out var line, out var tooLong))
            {
                var number = reader.LineNumber;
                if (tooLong > 0)
                {
                    load.Reject(number, FlowParseErrors.LineTooLong(tooLong, LineReader.DefaultMaxLineBytes), line);
                    continue;
                }
                if (line.Trim(" \t"u8).IsEmpty)
                {
                    load.BlankLines++;
                    continue;
                }
                var recordContext = context;
                if (exportTimestamps)
                {
                    // The export's timestamp is the CloudWatch event's: it bounds records that have no start/end.
                    if (ExportTimestamp(line) is { } ms) recordContext = (context ?? new RecordContext()) with { Time = TimeBound.FromCloudWatch(ms) };
                    line = StripExportTimestamp(line);
                }
                if (FlowLogFormat.IsHeaderLine(line))
                {
                    load.HeaderLines++;
                    var h = FlowLogFormat.FromHeader(line, $"header line {number}");
                    if (header is null || !h.Equals(header))
                    {
                        if (header is not null)
                            load.Note($"layout changes at line {number}: {h.Signature}");
                        else if (!h.Equals(layout) && layout.Origin != FlowLogFormat.Default.Origin)
                            load.Note($"header line differs from {layout.Origin}; the header was used");
                        header = h;
                        layout = h;
                    }
                    continue;
                }
                load.Record(line, number, layout, recordContext);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            // A compressed stream that ends early. Other I/O errors (a failing disk) are no truncation: they reach the
            // loader, which marks the object unreadable and keeps the records before them alike.
            load.Status = "truncated";
            load.Reject(reader.LineNumber + 1, FlowParseErrors.TruncatedCompression(reader.LineNumber, ex.Message), default);
        }
        if (load.Records == 0 && load.RejectCount == 0 && load.HeaderLines == 0 && load.BlankLines == 0)
        {
            load.Status = "empty";
            load.Reject(0, FlowParseErrors.EmptyObject(), default);
        }
    }

    /// <summary>CloudWatch export-task lines start with an ISO-8601 timestamp before the message.</summary>
    static ReadOnlySpan<byte> StripExportTimestamp(ReadOnlySpan<byte> line) => IsExportStamped(line) ? line[25..] : line;

    static bool IsExportStamped(ReadOnlySpan<byte> line) =>
        line.Length > 25 && line[24] == (byte)' ' && line[10] == (byte)'T' && line[23] == (byte)'Z';

    /// <summary>The export line's timestamp (<c>2026-03-10T10:00:00.000Z</c>) in Unix milliseconds, or null.</summary>
    static long? ExportTimestamp(ReadOnlySpan<byte> line)
    {
        if (!IsExportStamped(line)) return null;
        return DateTime.TryParseExact(System.Text.Encoding.ASCII.GetString(line[..24]), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? (t - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond : null;
    }
}
