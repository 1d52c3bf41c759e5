namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// A raw DEFLATE stream (RFC 1951) for record text: text collects in blocks of <see cref="BlockBytes"/>, each block is
/// tokenized by <see cref="FieldMatcher"/> and sent as one dynamic-Huffman block whose codes are built from that
/// block's own symbol counts. The last 32 KiB of earlier text stay in front of the block so matches can reach back.
/// </summary>
internal sealed class RecordDeflater
{
    /// <summary>Text per block: large enough that building and sending the codes (a few microseconds) is spread thin.</summary>
    public const int BlockBytes = 1 << 17;
    const int Window = DeflateAlphabet.MaxDistance;
    /// <summary>Stream positions are ints; they are lowered before they could overflow.</summary>
    const int RebaseAt = 1 << 30;

    readonly Stream output;
    readonly byte[] data = new byte[Window + BlockBytes + 8];
    readonly uint[] tokens = new uint[BlockBytes];
    readonly FieldMatcher matcher = new();
    readonly HuffmanCode literals = new(DeflateAlphabet.LiteralLengthSymbols, 15);
    readonly HuffmanCode distances = new(DeflateAlphabet.DistanceSymbols, 15);
    readonly DynamicHeader header = new();
    // Worst case per block: every byte a 15-bit literal, plus the header.
    readonly BitWriter bits = new(BlockBytes * 2 + 1024);
    /// <summary>data[..start) is history, data[start..end) the block being filled.</summary>
    int start, end, origin;

    public RecordDeflater(Stream output) => this.output = output;

    public void Write(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            var n = Math.Min(text.Length, start + BlockBytes - end);
            text[..n].CopyTo(data.AsSpan(end));
            end += n;
            text = text[n..];
            if (end - start == BlockBytes) Block(final: false);
        }
    }

    /// <summary>Sends the rest as the final block and pads to a whole byte.</summary>
    public void Finish()
    {
        Block(final: true);
        bits.AlignToByte();
        Drain();
    }

    void Block(bool final)
    {
        matcher.Reset();
        var count = matcher.Tokenize(data, start, end, origin, tokens);
        matcher.LiteralCounts[DeflateAlphabet.EndOfBlock] = 1;
        literals.Build(matcher.LiteralCounts);
        distances.Build(matcher.DistanceCounts);
        header.Write(bits, final, literals, distances);
        Emit(count);
        bits.Write(literals.Codes[DeflateAlphabet.EndOfBlock], literals.Lengths[DeflateAlphabet.EndOfBlock]);
        Drain();
        Slide();
    }

    /// <summary>Huffman-codes the tokens: a literal is one code; a match is length code, extra bits, distance code, extra bits.</summary>
    void Emit(int count)
    {
        var litCodes = literals.Codes;
        var litLengths = literals.Lengths;
        var distCodes = distances.Codes;
        var distLengths = distances.Lengths;
        var lengthSymbol = DeflateAlphabet.LengthSymbol;
        var lengthExtra = DeflateAlphabet.LengthExtraBits;
        var distanceSymbol = DeflateAlphabet.DistanceSymbol;
        var distanceExtra = DeflateAlphabet.DistanceExtra;
        var distanceBase = DeflateAlphabet.DistanceBaseOf;
        for (var i = 0; i < count; i++)
        {
            var t = tokens[i];
            if (t < 256)
            {
                bits.Write(litCodes[t], litLengths[t]);
                continue;
            }
            var length = (int)(t >> 16);
            var distance = (int)(t & 0xFFFF);
            int ls = lengthSymbol[length];
            var le = lengthExtra[length];
            // Length code and its extra bits together are at most 15 + 5 bits: one write.
            bits.Write(litCodes[ls] | (le & 0xFFFF) << litLengths[ls], litLengths[ls] + (int)(le >> 16));
            int ds = distanceSymbol[distance];
            bits.Write(distCodes[ds] | (uint)(distance - distanceBase[ds]) << distLengths[ds], distLengths[ds] + distanceExtra[ds]);
        }
    }

    void Drain()
    {
        bits.FlushBytes();
        output.Write(bits.Buffer, 0, bits.Length);
        bits.Clear();
    }

    /// <summary>Keeps the last 32 KiB as history for the next block.</summary>
    void Slide()
    {
        var keep = Math.Min(end, Window);
        var drop = end - keep;
        if (drop > 0)
        {
            data.AsSpan(drop, keep).CopyTo(data);
            origin += drop;
        }
        start = end = keep;
        if (origin > RebaseAt)
        {
            matcher.Rebase(origin);
            origin = 0;
        }
    }
}
