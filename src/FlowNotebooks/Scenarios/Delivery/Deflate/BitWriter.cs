using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// Packs DEFLATE codes least-significant bit first (RFC 1951 §3.1.1) into a byte buffer. Bits collect in a 64-bit
/// register and leave four bytes at a time, so a write is a shift, an or and, one time in four or so, a store. Bits that
/// do not fill a byte stay in the register across blocks: DEFLATE blocks are not byte-aligned.
/// </summary>
internal sealed class BitWriter(int capacity)
{
    ulong bits;
    int count;

    /// <summary>The output; <see cref="Length"/> bytes are complete. Room for 8 more than capacity keeps stores unchecked.</summary>
    public byte[] Buffer { get; } = new byte[capacity + 8];
    public int Length { get; private set; }

    /// <summary>Appends the low <paramref name="length"/> bits of <paramref name="value"/> (at most 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(uint value, int length)
    {
        bits |= (ulong)value << count;
        count += length;
        if (count >= 32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Buffer.AsSpan(Length), (uint)bits);
            Length += 4;
            bits >>= 32;
            count -= 32;
        }
    }

    /// <summary>Moves whole bytes from the register to the buffer, keeping fewer than 8 bits.</summary>
    public void FlushBytes()
    {
        while (count >= 8)
        {
            Buffer[Length++] = (byte)bits;
            bits >>= 8;
            count -= 8;
        }
    }

    /// <summary>Pads the last partial byte with zeros (the end of the DEFLATE stream) and flushes it.</summary>
    public void AlignToByte()
    {
        FlushBytes();
        if (count > 0)
        {
            Buffer[Length++] = (byte)bits;
            bits = 0;
            count = 0;
        }
    }

    /// <summary>Forgets the flushed bytes once the caller has written them out; pending bits stay.</summary>
    public void Clear() => Length = 0;
}
