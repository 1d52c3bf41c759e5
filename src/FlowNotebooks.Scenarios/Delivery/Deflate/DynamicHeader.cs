namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// The header of a dynamic-Huffman block (RFC 1951 §3.2.7): block type, then the literal/length and distance code
/// lengths, run-length coded with symbols 16–18 and themselves Huffman coded with the 19-symbol code-length code.
/// Codes are reused for many blocks, so the header is coded once (<see cref="Prepare"/>) and then copied per block.
/// </summary>
internal sealed class DynamicHeader
{
    /// <summary>The order in which code-length code lengths are sent (most often unused last, so they can be cut).</summary>
    static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    readonly HuffmanCode codeLengths = new(19, 7);
    readonly byte[] all = new byte[DeflateAlphabet.LiteralLengthSymbols + DeflateAlphabet.DistanceSymbols];
    /// <summary>Run-length symbols: symbol in the low byte, extra-bit value above.</summary>
    readonly int[] runs = new int[DeflateAlphabet.LiteralLengthSymbols + DeflateAlphabet.DistanceSymbols];
    readonly int[] counts = new int[19];
    BitWriter recorded = new(1024);
    long recordedBits;

    /// <summary>Copies the prepared header after the BFINAL bit.</summary>
    public void Write(ref BitWriter output, bool final)
    {
        output.Write(final ? 1u : 0u, 1);
        var bytes = recorded.Buffer;
        var whole = (int)(recordedBits >> 3);
        var i = 0;
        // Seven bytes at a time: 56 bits plus fewer than 8 pending stay within the 64-bit register.
        for (; i + 7 <= whole; i += 7) output.Write(BitConverter.ToUInt64(bytes, i) & 0x00FF_FFFF_FFFF_FFFFUL, 56);
        for (; i < whole; i++) output.Write(bytes[i], 8);
        var rest = (int)(recordedBits & 7);
        if (rest > 0) output.Write(bytes[whole] & ((1u << rest) - 1), rest);
    }

    /// <summary>Codes the header (all but BFINAL) for these codes.</summary>
    public void Prepare(HuffmanCode literals, HuffmanCode distances)
    {
        recorded.Clear();
        Code(ref recorded, literals, distances);
        recordedBits = recorded.BitCount;
        recorded.AlignToByte();
        recorded.Clear();
    }

    void Code(ref BitWriter output, HuffmanCode literals, HuffmanCode distances)
    {
        var hlit = Used(literals.Lengths, 257);
        var hdist = Used(distances.Lengths, 1);
        literals.Lengths.AsSpan(0, hlit).CopyTo(all);
        distances.Lengths.AsSpan(0, hdist).CopyTo(all.AsSpan(hlit));
        var n = RunLengths(all.AsSpan(0, hlit + hdist));
        codeLengths.Build(counts);
        var hclen = 19;
        while (hclen > 4 && codeLengths.Lengths[CodeLengthOrder[hclen - 1]] == 0) hclen--;

        output.Write(2, 2);
        output.Write((uint)(hlit - 257), 5);
        output.Write((uint)(hdist - 1), 5);
        output.Write((uint)(hclen - 4), 4);
        for (var i = 0; i < hclen; i++) output.Write(codeLengths.Lengths[CodeLengthOrder[i]], 3);
        for (var i = 0; i < n; i++)
        {
            var symbol = runs[i] & 0xFF;
            output.Write(codeLengths.Codes[symbol], codeLengths.Lengths[symbol]);
            var extra = symbol switch { 16 => 2, 17 => 3, 18 => 7, _ => 0 };
            if (extra > 0) output.Write((uint)(runs[i] >> 8), extra);
        }
    }

    /// <summary>How many leading symbols to send: through the last one with a code, and at least <paramref name="min"/>.</summary>
    static int Used(byte[] lengths, int min)
    {
        var n = lengths.Length;
        while (n > min && lengths[n - 1] == 0) n--;
        return n;
    }

    /// <summary>Run-length codes the lengths into <see cref="runs"/> and counts the symbols; returns how many runs.</summary>
    int RunLengths(ReadOnlySpan<byte> lengths)
    {
        Array.Clear(counts);
        var n = 0;
        for (var i = 0; i < lengths.Length;)
        {
            var value = lengths[i];
            var run = 1;
            while (i + run < lengths.Length && lengths[i + run] == value) run++;
            i += run;
            if (value == 0)
            {
                for (; run >= 11; run -= Math.Min(run, 138)) Add(ref n, 18, Math.Min(run, 138) - 11);
                if (run >= 3) { Add(ref n, 17, run - 3); run = 0; }
            }
            else
            {
                // A non-zero length is sent once, then repeated with 16 (3–6 copies of the previous length).
                Add(ref n, value, 0);
                run--;
                for (; run >= 3; run -= Math.Min(run, 6)) Add(ref n, 16, Math.Min(run, 6) - 3);
            }
            for (; run > 0; run--) Add(ref n, value, 0);
        }
        return n;
    }

    void Add(ref int n, int symbol, int extra)
    {
        runs[n++] = symbol | extra << 8;
        counts[symbol]++;
    }
}
