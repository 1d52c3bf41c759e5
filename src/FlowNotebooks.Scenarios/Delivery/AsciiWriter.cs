using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// ASCII text kept with 32 bytes of zero padding, so <see cref="AsciiWriter.Copy"/> can move it in 32-byte stores
/// instead of calling memmove for a few dozen bytes.
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

    /// <summary>Copies the text in 32-byte stores (the padding makes the last one safe to read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Copy(AsciiText text, ref byte to)
    {
        ref var from = ref MemoryMarshal.GetArrayDataReference(text.Bytes);
        Vector256.LoadUnsafe(ref from).StoreUnsafe(ref to);
        for (var at = Slack; at < text.Length; at += Slack) Vector256.LoadUnsafe(ref from, (nuint)at).StoreUnsafe(ref to, (nuint)at);
        return text.Length;
    }

    /// <summary>Writes the decimal digits of <paramref name="value"/> (a minus sign first if negative).</summary>
    /// <remarks>Inlined: most values (ports, counts, flags) take the short path, a few instructions without a call.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Number(long value, ref byte to) => (ulong)value < 100_000_000 ? Short((ulong)value, ref to) : Long(value, ref to);

    /// <summary>Negative numbers, and those of nine digits or more (epoch seconds, large byte counts).</summary>
    static int Long(long value, ref byte to)
    {
        if (value < 0)
        {
            Utf8Formatter.TryFormat(value, MemoryMarshal.CreateSpan(ref to, Slack), out var written);
            return written;
        }
        // The leading digits, then exactly eight more; epoch seconds (until 2286) have two leading digits.
        var v = (ulong)value;
        var high = v / 100_000_000;
        var low = EightDigits(v - high * 100_000_000);
        if (high is >= 10 and < 100)
        {
            var tens = high / 10;
            Unsafe.WriteUnaligned(ref to, (ushort)(('0' + tens) | ('0' + high - tens * 10) << 8));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, 2), low);
            return 10;
        }
        var n = Number((long)high, ref to);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, n), low);
        return n + 8;
    }

    /// <summary>A number below 10^8: its eight digits with the leading zeros shifted out, in one 8-byte store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Short(ulong v, ref byte to)
    {
        // Digits from the bit length (log10 2 ≈ 1233/4096), corrected by one comparison; 0 counts as one digit.
        var digits = (BitOperations.Log2(v | 1) + 1) * 1233 >> 12;
        if ((v | 1) >= PowersOf10[digits]) digits++;
        Unsafe.WriteUnaligned(ref to, EightDigits(v) >> (64 - 8 * digits));
        return digits;
    }

    /// <summary>
    /// The eight decimal digits of <paramref name="v"/> (below 10^8, zero-padded) as ASCII, first digit in the low byte.
    /// Splits 8 → 4+4 → 2+2+2+2 → 1×8 digits with multiply-and-shift in SIMD-within-a-register lanes, so no loop
    /// and no branch on how many digits there are (a branch per digit pair mispredicts on ports and byte counts).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong EightDigits(ulong v)
    {
        var high = v / 10_000;
        var x = high | (v - high * 10_000) << 32;
        // n / 100 is n * 10486 >> 20 for n < 10^4, m / 10 is m * 103 >> 10 for m < 100: neither spills into the next lane.
        var hundreds = (x * 10_486 >> 20) & 0x0000_007F_0000_007FUL;
        x = hundreds | (x - hundreds * 100) << 16;
        var tens = (x * 103 >> 10) & 0x000F_000F_000F_000FUL;
        x = tens | (x - tens * 10) << 8;
        return x + 0x3030_3030_3030_3030UL;
    }

    /// <summary>Writes an IPv4 address in dotted form: four table lookups and four 4-byte stores, unrolled and inlined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ipv4(uint ip, ref byte to)
    {
        ref var octets = ref MemoryMarshal.GetArrayDataReference(Octets);
        ref var lengths = ref MemoryMarshal.GetArrayDataReference(OctetLengths);
        // Each index is a byte: inside both 256-entry tables.
        var a = ip >> 24;
        var b = (ip >> 16) & 255;
        var c = (ip >> 8) & 255;
        var d = ip & 255;
        Unsafe.WriteUnaligned(ref to, Unsafe.Add(ref octets, a));
        var n = (int)Unsafe.Add(ref lengths, a);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, n), Unsafe.Add(ref octets, b));
        n += Unsafe.Add(ref lengths, b);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, n), Unsafe.Add(ref octets, c));
        n += Unsafe.Add(ref lengths, c);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, n), Unsafe.Add(ref octets, d));
        return n + Unsafe.Add(ref lengths, d) - 1;
    }
}
