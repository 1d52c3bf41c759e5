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
    public static void Read(Stream text, IRecordSink load, FlowLogFormat layout, bool exportTimestamps = false)
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
                if (exportTimestamps)
                    line = StripExportTimestamp(line);
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
                load.Record(line, number, layout);
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
    static ReadOnlySpan<byte> StripExportTimestamp(ReadOnlySpan<byte> line)
    {
        var sp = line.IndexOf((byte)' ');
        return sp == 24 && line[10] == (byte)'T' && line[23] == (byte)'Z' ? line[(sp + 1)..] : line;
    }
}
