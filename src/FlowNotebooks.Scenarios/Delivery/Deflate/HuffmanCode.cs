namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// A length-limited canonical Huffman code for one DEFLATE alphabet, built from symbol counts (RFC 1951 §3.2.2).
/// Codes are stored bit-reversed because DEFLATE sends Huffman codes most-significant bit first inside an LSB-first
/// stream. Building is cheap (a sort of at most 286 counts) and happens once per block.
/// </summary>
internal sealed class HuffmanCode(int symbols, int maxBits)
{
    public int Symbols { get; } = symbols;
    public byte[] Lengths { get; } = new byte[symbols];
    /// <summary>Bit-reversed codes, ready for <see cref="BitWriter.Write"/>.</summary>
    public ushort[] Codes { get; } = new ushort[symbols];

    readonly int[] work = new int[symbols];
    readonly int[] sorted = new int[symbols];
    readonly long[] keys = new long[symbols];
    readonly long[] weight = new long[2 * symbols];
    readonly int[] parent = new int[2 * symbols];
    readonly byte[] depth = new byte[2 * symbols];

    /// <summary>
    /// Sets lengths and codes for <paramref name="counts"/>. At least two symbols always get a code (a one-code tree is
    /// legal only for distances and some decoders dislike it), so a count of zero for symbols 0 and 1 may be raised.
    /// </summary>
    public void Build(ReadOnlySpan<int> counts)
    {
        counts.CopyTo(work);
        var used = 0;
        foreach (var c in work) if (c > 0) used++;
        for (var s = 0; used < 2; s++)
            if (work[s] == 0) { work[s] = 1; used++; }
        // Too deep a tree (only with very skewed counts) is flattened by halving the counts until it fits.
        while (!TryLengths())
            for (var s = 0; s < work.Length; s++)
                if (work[s] > 0) work[s] = (work[s] >> 1) | 1;
        AssignCodes();
    }

    /// <summary>Plain Huffman by the two-queue method over leaves sorted by count (then symbol, for determinism).</summary>
    bool TryLengths()
    {
        // Count above, symbol below: one primitive sort orders by count, then symbol (deterministic ties).
        var n = 0;
        for (var s = 0; s < work.Length; s++)
            if (work[s] > 0) keys[n++] = (long)work[s] << 16 | (uint)s;
        keys.AsSpan(0, n).Sort();
        for (var i = 0; i < n; i++) sorted[i] = (int)(keys[i] & 0xFFFF);
        for (var i = 0; i < n; i++) weight[i] = work[sorted[i]];
        // Leaves are nodes 0..n-1 (ascending weight), internal nodes n..2n-2 are made in ascending weight too.
        int leaf = 0, inner = n, next = n;
        while (next < 2 * n - 1)
        {
            var a = leaf < n && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
            var b = leaf < n && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
            weight[next] = weight[a] + weight[b];
            parent[a] = parent[b] = next;
            next++;
        }
        depth[2 * n - 2] = 0;
        for (var i = 2 * n - 3; i >= 0; i--)
        {
            var d = depth[parent[i]] + 1;
            if (d > maxBits) return false;
            depth[i] = (byte)d;
        }
        Array.Clear(Lengths);
        for (var i = 0; i < n; i++) Lengths[sorted[i]] = depth[i];
        return true;
    }

    void AssignCodes()
    {
        Span<int> perLength = stackalloc int[16];
        Span<int> nextCode = stackalloc int[16];
        foreach (var l in Lengths) perLength[l]++;
        perLength[0] = 0;
        var code = 0;
        for (var bits = 1; bits <= 15; bits++)
        {
            code = (code + perLength[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        for (var s = 0; s < Symbols; s++)
        {
            var l = Lengths[s];
            Codes[s] = l == 0 ? (ushort)0 : Reverse(nextCode[l]++, l);
        }
    }

    static ushort Reverse(int code, int length)
    {
        var r = 0;
        for (var i = 0; i < length; i++, code >>= 1) r = (r << 1) | (code & 1);
        return (ushort)r;
    }
}
