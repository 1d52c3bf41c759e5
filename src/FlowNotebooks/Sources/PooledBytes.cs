using System.Buffers;

namespace FlowNotebooks.Sources;

/// <summary>
/// A whole object's bytes in an array rented from the shared pool, returned on dispose. A CloudWatch page is read whole
/// (a few MB each, thousands of them at 10^8 records): read into a growing MemoryStream and copied out, each page left
/// ~12 MB of large-object garbage that only a full collection frees, and the .NET heap of a 10^8-record load climbed
/// from 0.7 to 2.4 GB between those collections.
/// </summary>
internal sealed class PooledBytes : IDisposable
{
    byte[]? array;

    PooledBytes(byte[] array, int length, bool rented)
    {
        this.array = array;
        Length = length;
        Rented = rented;
    }

    public int Length { get; }

    bool Rented { get; }

    public ReadOnlySpan<byte> Span => (array ?? throw new ObjectDisposedException(nameof(PooledBytes))).AsSpan(0, Length);

    /// <summary>Bytes already in an array of their own (nothing to return).</summary>
    public static PooledBytes Of(byte[] bytes) => new(bytes, bytes.Length, rented: false);

    /// <summary>Reads <paramref name="stream"/> to its end; more than <paramref name="limit"/> bytes is refused with
    /// <paramref name="tooLarge"/> (a decompression bomb never fills memory).</summary>
    public static PooledBytes Read(Stream stream, long limit, string tooLarge)
    {
        var pool = ArrayPool<byte>.Shared;
        // A known length is rented at once (one byte more, so the end is seen without growing); else 1 MB, then doubled.
        var size = (int)Math.Min(stream.CanSeek ? stream.Length - stream.Position + 1 : 1 << 20, Math.Min(limit + 1, Array.MaxLength));
        var buffer = pool.Rent(Math.Max(size, 1));
        var length = 0;
        try
        {
            int n;
            while ((n = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += n;
                if (length > limit) throw new InvalidDataException(tooLarge);
                if (length < buffer.Length) continue;
                var larger = pool.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                if (larger.Length <= buffer.Length)
                {
                    pool.Return(larger);
                    throw new InvalidDataException(tooLarge);
                }
                buffer.AsSpan(0, length).CopyTo(larger);
                pool.Return(buffer);
                buffer = larger;
            }
            return new PooledBytes(buffer, length, rented: true);
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (array is { } a && Rented) ArrayPool<byte>.Shared.Return(a);
        array = null;
    }
}
