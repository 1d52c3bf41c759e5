using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// ASCII text kept with 32 bytes of zero padding, so <see cref="AsciiWriter.Copy"/> can move it as one 32-byte store
/// instead of calling memmove for a dozen bytes.
/// </summary>
internal sealed class AsciiText
{
    public AsciiText(string text)
    {
        Length = text.Length;
        Bytes = new byte[Length + AsciiWriter.Slack];
        Encoding.ASCII.GetBytes(text, Bytes);
    }

    public byte[] Bytes { get; }
    public int Length { get; }
}

/// <summary>
/// Unchecked writers for record text: the caller guarantees <see cref="Slack"/> writable bytes past whatever it writes
/// (<see cref="RecordFields.WriteLine"/> demands a 1 KiB buffer for a line of at most a few hundred bytes). Each writer
/// stores a fixed width and advances by the real length, so there is no per-byte loop or length branch; the bytes
/// past the value are overwritten by what follows or lie beyond the line.
/// </summary>
internal static class AsciiWriter
{
    /// <summary>Bytes a writer may touch past the value it writes.</summary>
    public const int Slack = 32;

    /// <summary>"00" to "99" as little-endian byte pairs.</summary>
    static readonly ushort[] Pairs = [.. Enumerable.Range(0, 100).Select(i => (ushort)('0' + i / 10 | ('0' + i % 10) << 8))];
    static readonly ulong[] PowersOf10 = [.. Enumerable.Range(0, 20).Select(i => (ulong)BigInteger.Pow(10, i))];
    /// <summary>Each octet 0–255 as its digits followed by '.', little-endian in a uint, and that text's length.</summary>
    static readonly uint[] Octets = [.. Enumerable.Range(0, 256).Select(OctetText)];
    static readonly byte[] OctetLengths = [.. Enumerable.Range(0, 256).Select(b => (byte)(b.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1))];

    static uint OctetText(int b)
    {
        var text = b.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
        uint v = 0;
        for (var i = 0; i < text.Length; i++) v |= (uint)text[i] << (8 * i);
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Copy(AsciiText text, ref byte to)
    {
        if (text.Length <= Slack) Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(text.Bytes)).StoreUnsafe(ref to);
        else text.Bytes.AsSpan(0, text.Length).CopyTo(MemoryMarshal.CreateSpan(ref to, text.Length));
        return text.Length;
    }

    /// <summary>Writes the decimal digits of <paramref name="value"/> (a minus sign first if negative).</summary>
    public static int Number(long value, ref byte to)
    {
        if (value < 0)
        {
            Utf8Formatter.TryFormat(value, MemoryMarshal.CreateSpan(ref to, Slack), out var written);
            return written;
        }
        var v = (ulong)value;
        if (v < 10)
        {
            to = (byte)('0' + v);
            return 1;
        }
        // Digits from the bit length (log10 2 ≈ 1233/4096), corrected by one comparison.
        var digits = (BitOperations.Log2(v) + 1) * 1233 >> 12;
        if (v >= PowersOf10[digits]) digits++;
        var at = digits;
        while (v >= 100)
        {
            var q = v / 100;
            at -= 2;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, at), Pairs[v - q * 100]);
            v = q;
        }
        if (v >= 10) Unsafe.WriteUnaligned(ref to, Pairs[v]);
        else to = (byte)('0' + v);
        return digits;
    }

    /// <summary>Writes an IPv4 address in dotted form: four table lookups and four 4-byte stores.</summary>
    public static int Ipv4(uint ip, ref byte to)
    {
        var n = 0;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            var b = (ip >> shift) & 255;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, n), Octets[b]);
            n += OctetLengths[b];
        }
        return n - 1;
    }
}
