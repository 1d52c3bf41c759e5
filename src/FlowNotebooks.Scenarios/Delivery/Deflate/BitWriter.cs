using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// Packs DEFLATE codes least-significant bit first (RFC 1951 §3.1.1) into a byte buffer. Bits collect in a 64-bit
/// register; <see cref="Flush"/> stores all eight register bytes and advances by the whole bytes among them, so it has
/// no branch to mispredict (a data-dependent "is a word full yet" test costs more than the store). Bits that do not fill
/// a byte stay in the register across blocks: DEFLATE blocks are not byte-aligned. A struct of four fields, so a hot
/// loop can copy it into a local and the JIT keeps all of it in registers.
/// </summary>
internal struct BitWriter(int capacity)
{
    ulong bits;
    int count;
    int length;

    /// <summary>The output; <see cref="Length"/> bytes are complete. 8 bytes of slack take the whole-register stores.</summary>
    public byte[] Buffer { get; } = new byte[capacity + 8];
    public readonly int Length => length;
    /// <summary>Bits written since the last <see cref="Clear"/>, complete bytes and pending bits.</summary>
    public readonly long BitCount => length * 8L + count;

    /// <summary>Appends the low <paramref name="bitCount"/> bits of <paramref name="value"/>; at most 56 bits between flushes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Put(ulong value, int bitCount)
    {
        bits |= value << count;
        count += bitCount;
    }

    /// <summary>Moves whole bytes out of the register, keeping fewer than 8 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Flush()
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Buffer), length), bits);
        length += count >> 3;
        bits >>= count & ~7;
        count &= 7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong value, int bitCount)
    {
        Put(value, bitCount);
        Flush();
    }

    /// <summary>Pads the last partial byte with zeros (the end of the DEFLATE stream); <see cref="Flush"/> already stored it.</summary>
    public void AlignToByte()
    {
        Flush();
        if (count > 0)
        {
            length++;
            bits = 0;
            count = 0;
        }
    }

    /// <summary>Forgets the flushed bytes once the caller has written them out; pending bits stay.</summary>
    public void Clear() => length = 0;
}
