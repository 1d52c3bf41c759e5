using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// LZ77 for flow-log text: match candidates are looked up only where a field starts (line start or after a space),
/// not at every byte as zlib does. Consecutive records share whole runs of fields (version, account, interface,
/// addresses, ACCEPT OK, the next line's start…), and a field's earlier occurrence is found by a hash of its first eight
/// bytes, so about fifteen lookups per line find most of what a full search would. Eight, not zlib's four: the last
/// "10.2" is usually the other address of the same line, the last "10.20.0.1" the same address a line or two before;
/// the longer key gives fewer, longer matches (about 10% smaller output, and faster). A field that does not match goes
/// out as literals up to and including its separator.
/// </summary>
/// <remarks>
/// Positions in the hash table are stream positions, so the table survives the window sliding.
/// </remarks>
internal sealed class FieldMatcher
{
    const int HashBits = 12;
    /// <summary>Bytes past the end of the text that <see cref="Common"/> may read (and ignore).</summary>
    public const int Slack = 32;
    const int MinMatch = 4;
    /// <summary>An empty table slot: further back than any distance allowed from position 0.</summary>
    const int Nowhere = -2 * DeflateAlphabet.MaxDistance;

    readonly int[] table = new int[1 << HashBits];

    public FieldMatcher() => Clear();

    /// <summary>Forgets every position (a new stream).</summary>
    public void Clear() => Array.Fill(table, Nowhere);

    /// <summary>Literal/length and distance symbol counts of what was coded with counting on since <see cref="Reset"/>.</summary>
    public int[] LiteralCounts { get; } = new int[DeflateAlphabet.LiteralLengthSymbols];
    public int[] DistanceCounts { get; } = new int[DeflateAlphabet.DistanceSymbols];

    public void Reset()
    {
        Array.Clear(LiteralCounts);
        Array.Clear(DistanceCounts);
    }

    /// <summary>Lowers every stored position by <paramref name="shift"/> (keeps stream positions far from overflow).</summary>
    public void Rebase(int shift)
    {
        for (var i = 0; i < table.Length; i++) table[i] = Math.Max(table[i] - shift, Nowhere);
    }

    /// <summary>
    /// Encodes <c>data[from..to)</c> with <paramref name="codes"/> into <paramref name="output"/>, and, when
    /// <paramref name="count"/>, counts its symbols (for later codes; counting only a sample of the text saves a
    /// read-modify-write per symbol, and the same branch all through one call costs nothing). <c>data[..from)</c> is history that matches may reach back into, and
    /// <paramref name="origin"/> is the stream position of <c>data[0]</c>; <paramref name="data"/> must have <see cref="Slack"/> readable
    /// bytes past <paramref name="to"/>. Matching and coding are one pass: no token buffer, no second round of branches.
    /// </summary>
    /// <remarks>Optimized from the first call: it is the whole cost of compression, and tier-0 code for it would
    /// dominate a short run.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Encode(byte[] data, int from, int to, int origin, BlockCodes codes, ref BitWriter output, bool count)
    {
        // Unchecked refs: every index is a byte, a length 3–258, a distance 1–32768 or a hash, all inside the tables.
        ref var d = ref MemoryMarshal.GetArrayDataReference(data);
        ref var literals = ref MemoryMarshal.GetArrayDataReference(LiteralCounts);
        ref var distances = ref MemoryMarshal.GetArrayDataReference(DistanceCounts);
        ref var slots = ref MemoryMarshal.GetArrayDataReference(table);
        ref var lengthSymbol = ref MemoryMarshal.GetArrayDataReference(DeflateAlphabet.LengthSymbol);
        ref var distanceSymbol = ref MemoryMarshal.GetArrayDataReference(DeflateAlphabet.DistanceSymbol);
        ref var distanceBase = ref MemoryMarshal.GetArrayDataReference(DeflateAlphabet.DistanceBaseOf);
        ref var literalCode = ref MemoryMarshal.GetArrayDataReference(codes.Literal);
        ref var lengthCode = ref MemoryMarshal.GetArrayDataReference(codes.Length);
        ref var distanceCode = ref MemoryMarshal.GetArrayDataReference(codes.Distance);
        var w = output;
        var p = from;
        while (p < to)
        {
            // p is at the start of a field.
            if (to - p >= MinMatch)
            {
                // Near the end of the text the key takes in bytes past it: a worse hash there, never a wrong match.
                var key = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, p));
                var h = (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - HashBits));
                var here = origin + p;
                ref var slot = ref Unsafe.Add(ref slots, h);
                var distance = here - slot;
                slot = here;
                if ((uint)(distance - 1) < DeflateAlphabet.MaxDistance)
                {
                    var length = Common(ref d, p - distance, p, Math.Min(DeflateAlphabet.MaxMatch, to - p));
                    if (length >= MinMatch)
                    {
                        int ds = Unsafe.Add(ref distanceSymbol, distance);
                        if (count)
                        {
                            Unsafe.Add(ref literals, Unsafe.Add(ref lengthSymbol, length))++;
                            Unsafe.Add(ref distances, ds)++;
                        }
                        var lc = Unsafe.Add(ref lengthCode, length);
                        w.Put(lc & 0xFFFFFF, (int)(lc >> 24));
                        var dc = Unsafe.Add(ref distanceCode, ds);
                        var dl = (int)(dc >> 24);
                        w.Put((dc & 0xFFFF) | (ulong)(uint)(distance - Unsafe.Add(ref distanceBase, ds)) << dl, dl + DeflateAlphabet.DistanceExtra[ds]);
                        w.Flush();
                        p += length;
                        var last = Unsafe.Add(ref d, p - 1);
                        if (last is (byte)' ' or (byte)'\n') continue;
                    }
                }
            }
            // The rest of the field, and its separator, as literals; two codes (at most 30 bits) per flush. The code
            // table marks the separators, so the field's end is tested on the entry the loop loads anyway.
            while (p < to)
            {
                var b = Unsafe.Add(ref d, p++);
                if (count) Unsafe.Add(ref literals, b)++;
                var c = Unsafe.Add(ref literalCode, b);
                w.Put(c & 0xFFFF, (int)(c >> 24));
                if ((c & BlockCodes.Separator) != 0 || p == to)
                {
                    w.Flush();
                    break;
                }
                b = Unsafe.Add(ref d, p++);
                if (count) Unsafe.Add(ref literals, b)++;
                c = Unsafe.Add(ref literalCode, b);
                w.Put(c & 0xFFFF, (int)(c >> 24));
                w.Flush();
                if ((c & BlockCodes.Separator) != 0) break;
            }
        }
        output = w;
    }

    /// <summary>
    /// How many bytes at <paramref name="a"/> and <paramref name="b"/> agree, up to <paramref name="max"/>: 32 at a
    /// time where the CPU has 256-bit vectors, so a typical match (a few fields, under 32 bytes) is settled by one compare
    /// and no loop exit to mispredict; 8 at a time otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Common(ref byte d, int a, int b, int max)
    {
        var n = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            while (n < max)
            {
                var equal = Vector256.Equals(Vector256.LoadUnsafe(ref d, (nuint)(a + n)), Vector256.LoadUnsafe(ref d, (nuint)(b + n))).ExtractMostSignificantBits();
                if (equal != uint.MaxValue) return Math.Min(max, n + BitOperations.TrailingZeroCount(~equal));
                n += 32;
            }
            return max;
        }
        while (n < max)
        {
            var x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, a + n)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, b + n));
            if (x != 0) return Math.Min(max, n + (BitOperations.TrailingZeroCount(x) >> 3));
            n += 8;
        }
        return max;
    }
}
