using System.Buffers.Binary;
using System.IO.Hashing;

namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// One gzip member (RFC 1952) around a <see cref="RecordDeflater"/>: a fixed 10-byte header (no name, mtime 0, so equal
/// text gives equal bytes), the DEFLATE data, then the CRC-32 and length of the text. The target stream is not closed;
/// the deflater is lent for the member's life and may be reused after <see cref="Finish"/>.
/// </summary>
internal sealed class GzipMember
{
    readonly Stream output;
    public RecordDeflater Deflater { get; }
    readonly Crc32 crc = new();
    uint length;
    bool finished;

    public GzipMember(Stream output, RecordDeflater deflater)
    {
        this.output = output;
        // ID1 ID2, CM = 8 (deflate), FLG = 0, MTIME = 0, XFL = 4 (fastest), OS = 255 (unknown: the same on every platform).
        output.Write([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255]);
        Deflater = deflater;
        deflater.Start(output);
    }

    public void Write(ReadOnlySpan<byte> text)
    {
        crc.Append(text);
        length += (uint)text.Length;
        Deflater.Write(text);
    }

    /// <summary>Ends the DEFLATE stream and writes the trailer; further calls do nothing.</summary>
    public void Finish()
    {
        if (finished) return;
        finished = true;
        Deflater.Finish();
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], length);
        output.Write(trailer);
    }
}
