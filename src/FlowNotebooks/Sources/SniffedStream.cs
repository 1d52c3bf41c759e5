using FlowNotebooks.Sources.Compression;

namespace FlowNotebooks.Sources;

/// <summary>Lets a reader look at the first bytes of a non-seekable stream and then read it from the start.</summary>
internal static class SniffedStream
{
    public static (byte[] Head, Stream Stream) Sniff(Stream source, int count = 512)
    {
        var head = new byte[count];
        var n = 0;
        Exception? failure = null;
        try
        {
            while (n < count)
            {
                var r = source.Read(head, n, count - n);
                if (r == 0) break;
                n += r;
            }
        }
        catch (InvalidDataException ex)
        {
            // A truncated object fails while we peek: hand over what came out, then the same failure.
            failure = ex;
        }
        Array.Resize(ref head, n);
        return (head, new ReplayStream(head, source, failure));
    }

    sealed class ReplayStream(byte[] head, Stream rest, Exception? failure) : ReadOnlyStream
    {
        int position;

        public override int Read(Span<byte> buffer)
        {
            if (position < head.Length)
            {
                var n = Math.Min(buffer.Length, head.Length - position);
                head.AsSpan(position, n).CopyTo(buffer);
                position += n;
                return n;
            }
            if (failure is not null) throw new InvalidDataException(failure.Message, failure);
            return rest.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>True when the bytes start a gzip member.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b;

    /// <summary>True when the first non-blank byte opens a JSON object or array.</summary>
    public static bool LooksLikeJson(ReadOnlySpan<byte> head)
    {
        var t = head.TrimStart(" \t\r\n"u8);
        if (t.Length >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF) t = t[3..].TrimStart(" \t\r\n"u8);
        return t.Length > 0 && (t[0] == (byte)'{' || t[0] == (byte)'[');
    }
}
