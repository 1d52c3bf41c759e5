namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// A raw DEFLATE stream (RFC 1951) for record text: text collects in blocks of <see cref="BlockBytes"/>, and each block
/// is matched and coded in one pass by <see cref="FieldMatcher"/> as a dynamic-Huffman block. Its codes come from the
/// symbol counts of text coded before (plus one for every symbol, so anything can be coded): counting first and coding
/// after would need a token buffer and a second pass, which cost more than the slightly worse fit. Codes are rebuilt
/// after every <see cref="RebuildBytes"/> of text, not per block, and carry over from object to object (one capture's
/// objects look alike, and most are a single small block, which could not pay for building codes and their header).
/// The first codes of a fresh deflater are flat. The last 32 KiB of earlier text stay in front of the block so matches
/// can reach back. Its buffers are about half a megabyte, so one deflater serves object after object
/// (<see cref="Start"/>) rather than each object allocating its own on the large-object heap.
/// </summary>
internal sealed class RecordDeflater
{
    /// <summary>Text per block: large enough that building and sending the codes (a few microseconds) is spread thin.</summary>
    public const int BlockBytes = 1 << 17;
    const int Window = DeflateAlphabet.MaxDistance;
    /// <summary>Stream positions are ints; they are lowered before they could overflow.</summary>
    const int RebaseAt = 1 << 30;
    /// <summary>Text coded between rebuilds of the codes; symbols are counted only over the last <see cref="SampleBytes"/> or so.</summary>
    const int RebuildBytes = 1 << 20, SampleBytes = 1 << 17;

    Stream output = Stream.Null;
    readonly byte[] data = new byte[Window + BlockBytes + FieldMatcher.Slack];
    readonly FieldMatcher matcher = new();
    readonly BlockCodes codes = new();
    readonly int[] literalCounts = new int[DeflateAlphabet.LiteralLengthSymbols];
    readonly int[] distanceCounts = new int[DeflateAlphabet.DistanceSymbols];
    readonly DynamicHeader header = new();
    // Worst case per block: every byte a 15-bit literal, plus the header.
    BitWriter bits = new(BlockBytes * 2 + 1024);
    /// <summary>data[..start) is history, data[start..end) the block being filled.</summary>
    int start, end, origin;
    /// <summary>Text coded since the codes were built; the flat first codes count as old, so counting starts at once.</summary>
    long sinceBuild = RebuildBytes - SampleBytes;
    bool built;

    /// <summary>
    /// Begins a new DEFLATE stream into <paramref name="target"/>. Earlier text is forgotten by moving the stream
    /// position past the window instead of clearing the match table.
    /// </summary>
    public void Start(Stream target)
    {
        output = target;
        origin += end + DeflateAlphabet.MaxDistance + 1;
        start = end = 0;
        Rebase();
    }

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
        if (!built || sinceBuild >= RebuildBytes)
        {
            for (var i = 0; i < literalCounts.Length; i++) literalCounts[i] = matcher.LiteralCounts[i] + 1;
            for (var i = 0; i < distanceCounts.Length; i++) distanceCounts[i] = matcher.DistanceCounts[i] + 1;
            codes.Build(literalCounts, distanceCounts);
            header.Prepare(codes.Literals, codes.Distances);
            matcher.Reset();
            sinceBuild = built ? 0 : sinceBuild;
            built = true;
        }
        header.Write(ref bits, final);
        matcher.Encode(data, start, end, origin, codes, ref bits, count: sinceBuild >= RebuildBytes - SampleBytes);
        bits.Write(codes.EndOfBlockCode, codes.EndOfBlockLength);
        sinceBuild += end - start;
        Drain();
        if (!final) Slide();
    }

    void Drain()
    {
        bits.Flush();
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
        Rebase();
    }

    void Rebase()
    {
        if (origin <= RebaseAt) return;
        matcher.Rebase(origin);
        origin = 0;
    }
}
