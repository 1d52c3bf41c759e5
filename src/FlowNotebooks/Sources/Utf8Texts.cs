using System.Buffers;

namespace FlowNotebooks.Sources;

/// <summary>
/// A row group's text column as UTF-8, the values one after another: what the native Parquet reader hands out (pointers
/// into its pages), copied once, with no string or character array per value. Its arrays are pooled (a row group's are
/// large objects, which the GC frees only in full collections): dispose it when the row group is done.
/// </summary>
internal sealed class Utf8Texts : IDisposable
{
    byte[] bytes;
    readonly int[] ends;
    readonly bool[] present;
    int rows;

    public Utf8Texts(int count)
    {
        bytes = ArrayPool<byte>.Shared.Rent(Math.Max(256, count * 16));
        ends = ArrayPool<int>.Shared.Rent(count);
        present = ArrayPool<bool>.Shared.Rent(count);
    }

    /// <summary>Adds the next row's value (NULL when <paramref name="isNull"/>).</summary>
    public void Add(ReadOnlySpan<byte> value, bool isNull)
    {
        var start = rows == 0 ? 0 : ends[rows - 1];
        if (!isNull)
        {
            if (start + value.Length > bytes.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length * 2, start + value.Length));
                bytes.AsSpan(0, start).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(bytes);
                bytes = larger;
            }
            value.CopyTo(bytes.AsSpan(start));
        }
        ends[rows] = isNull ? start : start + value.Length;
        present[rows] = !isNull;
        rows++;
    }

    /// <summary>Whether row <paramref name="row"/> holds a value (else NULL).</summary>
    public bool HasValue(int row) => present[row];

    /// <summary>Row <paramref name="row"/>'s value as its UTF-8 bytes (empty for NULL).</summary>
    public ReadOnlySpan<byte> this[int row]
    {
        get
        {
            var start = row == 0 ? 0 : ends[row - 1];
            return bytes.AsSpan(start, ends[row] - start);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(bytes);
        ArrayPool<int>.Shared.Return(ends);
        ArrayPool<bool>.Shared.Return(present);
        bytes = [];
    }
}
