namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// One block's Huffman codes in the form the encoder loop wants: per literal byte, per match length (symbol code with
/// its extra bits already appended) and per distance symbol, each as bits plus a bit count, so a token is one or two
/// <see cref="BitWriter.Put"/> calls and no symbol arithmetic. Built from the two <see cref="HuffmanCode"/>s per block.
/// </summary>
internal sealed class BlockCodes
{
    public HuffmanCode Literals { get; } = new(DeflateAlphabet.LiteralLengthSymbols, 15);
    public HuffmanCode Distances { get; } = new(DeflateAlphabet.DistanceSymbols, 15);

    /// <summary>Literal byte → code (low 16 bits), <see cref="Separator"/> for a space or newline, and bit count (top 8 bits).</summary>
    public uint[] Literal { get; } = new uint[256];
    /// <summary>Set in the <see cref="Literal"/> entry of a byte that ends a field.</summary>
    public const uint Separator = 1 << 16;
    /// <summary>Match length 3–258 → length code followed by its extra bits (low 24 bits) and total bit count (above).</summary>
    public uint[] Length { get; } = new uint[DeflateAlphabet.MaxMatch + 1];
    /// <summary>Distance symbol → code (low 16 bits) and code length (above); the extra bits are added per match.</summary>
    public uint[] Distance { get; } = new uint[DeflateAlphabet.DistanceSymbols];

    /// <summary>Builds codes in which every symbol has a code, so any text can be sent with them.</summary>
    public void Build(ReadOnlySpan<int> literalCounts, ReadOnlySpan<int> distanceCounts)
    {
        Literals.Build(literalCounts);
        Distances.Build(distanceCounts);
        var codes = Literals.Codes;
        var lengths = Literals.Lengths;
        for (var b = 0; b < 256; b++) Literal[b] = (uint)(lengths[b] << 24 | codes[b]) | (b is ' ' or '\n' ? Separator : 0);
        for (var len = DeflateAlphabet.MinMatch; len <= DeflateAlphabet.MaxMatch; len++)
        {
            var s = DeflateAlphabet.LengthSymbol[len];
            var extra = DeflateAlphabet.LengthExtraBits[len];
            var bits = codes[s] | (extra & 0xFFFF) << lengths[s];
            Length[len] = (uint)(lengths[s] + (int)(extra >> 16)) << 24 | bits;
        }
        for (var s = 0; s < DeflateAlphabet.DistanceSymbols; s++) Distance[s] = (uint)(Distances.Lengths[s] << 24 | Distances.Codes[s]);
    }

    public ushort EndOfBlockCode => Literals.Codes[DeflateAlphabet.EndOfBlock];
    public int EndOfBlockLength => Literals.Lengths[DeflateAlphabet.EndOfBlock];
}
