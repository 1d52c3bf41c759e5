using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// LZ77 for flow-log text: match candidates are looked up only where a field starts (line start or after a space),
/// not at every byte as zlib does. Consecutive records share whole runs of fields (version, account, interface,
/// addresses, ACCEPT OK, the next line's start…), and a field's earlier occurrence is found by a hash of its first four
/// bytes, so about fifteen lookups per line find most of what a full search would. A field that does not match goes
/// out as literals up to and including its separator.
/// </summary>
/// <remarks>
/// Tokens: a literal is its byte value (below 256); a match is length &lt;&lt; 16 | distance (length ≥ 4, so above 255).
/// Positions in the hash table are stream positions, so the table survives the window sliding.
/// </remarks>
internal sealed class FieldMatcher
{
    const int HashBits = 14;
    const int MinMatch = 4;
    /// <summary>An empty table slot: further back than any distance allowed from position 0.</summary>
    const int Nowhere = -2 * DeflateAlphabet.MaxDistance;

    readonly int[] table = new int[1 << HashBits];

    public FieldMatcher() => Array.Fill(table, Nowhere);

    /// <summary>Literal/length and distance symbol counts of the tokens found since <see cref="Reset"/>.</summary>
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
    /// Tokenizes <c>data[from..to)</c>; <c>data[..from)</c> is history that matches may reach back into, and
    /// <paramref name="origin"/> is the stream position of <c>data[0]</c>. <paramref name="data"/> must have 8 readable
    /// bytes past <paramref name="to"/>. Returns the token count.
    /// </summary>
    public int Tokenize(byte[] data, int from, int to, int origin, uint[] tokens)
    {
        ref var d = ref MemoryMarshal.GetArrayDataReference(data);
        var literals = LiteralCounts;
        var distances = DistanceCounts;
        var lengthSymbol = DeflateAlphabet.LengthSymbol;
        var distanceSymbol = DeflateAlphabet.DistanceSymbol;
        var n = 0;
        var p = from;
        while (p < to)
        {
            // p is at the start of a field.
            if (to - p >= MinMatch)
            {
                var key = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref d, p));
                var h = (int)((key * 2654435761u) >> (32 - HashBits));
                var here = origin + p;
                var distance = here - table[h];
                table[h] = here;
                if ((uint)(distance - 1) < DeflateAlphabet.MaxDistance)
                {
                    var length = Common(ref d, p - distance, p, Math.Min(DeflateAlphabet.MaxMatch, to - p));
                    if (length >= MinMatch)
                    {
                        tokens[n++] = (uint)(length << 16 | distance);
                        literals[lengthSymbol[length]]++;
                        distances[distanceSymbol[distance]]++;
                        p += length;
                        var last = Unsafe.Add(ref d, p - 1);
                        if (last is (byte)' ' or (byte)'\n') continue;
                    }
                }
            }
            // The rest of the field, and its separator, as literals.
            while (p < to)
            {
                var b = Unsafe.Add(ref d, p++);
                tokens[n++] = b;
                literals[b]++;
                if (b is (byte)' ' or (byte)'\n') break;
            }
        }
        return n;
    }

    /// <summary>How many bytes at <paramref name="a"/> and <paramref name="b"/> agree, up to <paramref name="max"/>; 8 at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Common(ref byte d, int a, int b, int max)
    {
        var n = 0;
        while (n < max)
        {
            var x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, a + n)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, b + n));
            if (x != 0) return Math.Min(max, n + (BitOperations.TrailingZeroCount(x) >> 3));
            n += 8;
        }
        return max;
    }
}
