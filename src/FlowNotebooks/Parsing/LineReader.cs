namespace FlowNotebooks.Parsing;

/// <summary>
/// Splits a byte stream into lines without allocating: each line is a span into an internal buffer, valid until the
/// next call. CR before LF is removed. A line longer than the limit is reported once (with its first bytes) and skipped.
/// </summary>
internal sealed class LineReader(Stream stream, int maxLineBytes = LineReader.DefaultMaxLineBytes)
{
    public const int DefaultMaxLineBytes = 64 * 1024;
    byte[] buffer = new byte[Math.Max(256 * 1024, maxLineBytes * 2)];
    int start, end;
    bool eof;

    /// <summary>1-based number of the last line returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Uncompressed bytes consumed so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>
    /// Returns the next line, or false at the end. When <paramref name="tooLongBytes"/> &gt; 0 the line was over the
    /// limit: <paramref name="line"/> then holds only its first bytes and the rest has been skipped.
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out long tooLongBytes)
    {
        tooLongBytes = 0;
        while (true)
        {
            var available = buffer.AsSpan(start, end - start);
            var nl = available.IndexOf((byte)'\n');
            if (nl >= 0)
            {
                LineNumber++;
                line = TrimCr(available[..nl]);
                start += nl + 1;
                return true;
            }
            if (eof)
            {
                if (available.IsEmpty)
                {
                    line = default;
                    return false;
                }
                LineNumber++;
                line = TrimCr(available);
                start = end;
                return true;
            }
            if (available.Length >= maxLineBytes)
            {
                LineNumber++;
                line = SkipLongLine(out tooLongBytes);
                return true;
            }
            Fill();
        }
    }

    ReadOnlySpan<byte> SkipLongLine(out long length)
    {
        // Keep the head for the reject message, then discard until the newline.
        var head = buffer.AsSpan(start, Math.Min(FlowParseErrors.MaxRawChars, end - start)).ToArray();
        length = 0;
        while (true)
        {
            var available = buffer.AsSpan(start, end - start);
            var nl = available.IndexOf((byte)'\n');
            if (nl >= 0)
            {
                length += nl;
                start += nl + 1;
                return head;
            }
            length += available.Length;
            start = end;
            if (eof) return head;
            Fill();
        }
    }

    void Fill()
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length)
            Array.Resize(ref buffer, buffer.Length * 2);
        var n = stream.Read(buffer, end, buffer.Length - end);
        if (n == 0) eof = true;
        end += n;
        BytesRead += n;
    }

    static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> s) => s.Length > 0 && s[^1] == (byte)'\r' ? s[..^1] : s;
}
