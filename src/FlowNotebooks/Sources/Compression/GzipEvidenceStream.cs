using System.Runtime.InteropServices;

namespace FlowNotebooks.Sources.Compression;

/// <summary>
/// Decompresses gzip (one or many members) and, unlike GZipStream, fails when the data ends before a member's
/// trailer or the CRC-32/length check fails, so a truncated or corrupt evidence object is reported, never read as short.
/// </summary>
internal sealed unsafe class GzipEvidenceStream : ReadOnlyStream
{
    readonly Stream compressed;
    readonly byte[] input = new byte[1 << 17];
    readonly ZlibNative.ZStream* z;
    int inputStart, inputEnd;
    bool inputDone, memberOpen, finished, disposed;

    public GzipEvidenceStream(Stream compressed)
    {
        this.compressed = compressed;
        z = (ZlibNative.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZlibNative.ZStream));
        var rc = ZlibNative.InflateInit2(z, ZlibNative.GzipWindowBits);
        if (rc != ZlibNative.Ok)
        {
            NativeMemory.Free(z);
            throw new InvalidOperationException($"zlib could not start (code {rc}).");
        }
    }

    /// <summary>Compressed bytes consumed so far.</summary>
    public long CompressedBytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (finished || buffer.IsEmpty) return 0;
        while (true)
        {
            if (inputStart == inputEnd && !inputDone)
            {
                inputStart = 0;
                inputEnd = compressed.Read(input, 0, input.Length);
                CompressedBytesRead += inputEnd;
                if (inputEnd == 0) inputDone = true;
            }
            if (inputStart == inputEnd && inputDone)
            {
                finished = true;
                if (memberOpen)
                    throw new InvalidDataException("gzip data ends before the end of its last member (truncated object)");
                return 0;
            }
            int produced, rc;
            fixed (byte* inp = &input[inputStart])
            fixed (byte* outp = buffer)
            {
                z->NextIn = inp;
                z->AvailIn = (uint)(inputEnd - inputStart);
                z->NextOut = outp;
                z->AvailOut = (uint)buffer.Length;
                rc = ZlibNative.Inflate(z, ZlibNative.NoFlush);
                inputStart = inputEnd - (int)z->AvailIn;
                produced = buffer.Length - (int)z->AvailOut;
            }
            memberOpen = true;
            if (rc == ZlibNative.StreamEnd)
            {
                // A member ended with a good CRC-32 and length; another may follow (concatenated gzip).
                memberOpen = false;
                ZlibNative.InflateReset2(z, ZlibNative.GzipWindowBits);
                if (!SkipTrailingZeros())
                {
                    if (produced > 0) return produced;
                    finished = true;
                    return 0;
                }
            }
            else if (rc != ZlibNative.Ok && !(rc == ZlibNative.BufError && produced == 0 && z->AvailIn == 0))
            {
                finished = true;
                var what = rc == ZlibNative.DataError ? "corrupt gzip data or CRC/length mismatch" : $"zlib error {rc}";
                throw new InvalidDataException($"{what} at compressed byte {CompressedBytesRead - (inputEnd - inputStart):N0}");
            }
            if (produced > 0) return produced;
        }
    }

    /// <summary>True if more input follows the member just ended (some tools pad with zeros; those end the data).</summary>
    bool SkipTrailingZeros()
    {
        while (true)
        {
            if (inputStart == inputEnd)
            {
                if (inputDone) return false;
                inputStart = 0;
                inputEnd = compressed.Read(input, 0, input.Length);
                CompressedBytesRead += inputEnd;
                if (inputEnd == 0)
                {
                    inputDone = true;
                    return false;
                }
            }
            if (input[inputStart] != 0) return true;
            inputStart++;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposed)
        {
            disposed = true;
            ZlibNative.InflateEnd(z);
            NativeMemory.Free(z);
            if (disposing) compressed.Dispose();
        }
        base.Dispose(disposing);
    }

    ~GzipEvidenceStream() => Dispose(false);
}
