namespace FlowNotebooks.Scenarios.Delivery.Deflate;

/// <summary>
/// The DEFLATE length and distance alphabets (RFC 1951 §3.2.5): which symbol codes a match length or distance, and the
/// extra bits that follow it. Lookup tables so the encoder never searches the base lists.
/// </summary>
internal static class DeflateAlphabet
{
    public const int EndOfBlock = 256, LiteralLengthSymbols = 286, DistanceSymbols = 30;
    public const int MinMatch = 3, MaxMatch = 258, MaxDistance = 32768;

    static readonly int[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    static readonly int[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    static readonly int[] DistanceExtraBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    /// <summary>Literal/length symbol (257–285) of each match length 3–258.</summary>
    public static readonly ushort[] LengthSymbol = new ushort[MaxMatch + 1];
    /// <summary>Extra-bit count and value of each match length: value in the low 16 bits, count above.</summary>
    public static readonly uint[] LengthExtraBits = new uint[MaxMatch + 1];
    /// <summary>Distance symbol (0–29) of each distance 1–32768; 32 KiB, but only the entries in use stay cached.</summary>
    public static readonly byte[] DistanceSymbol = new byte[MaxDistance + 1];
    public static readonly byte[] DistanceExtra = [.. DistanceExtraBits.Select(b => (byte)b)];
    public static readonly ushort[] DistanceBaseOf = [.. DistanceBase.Select(b => (ushort)b)];

    static DeflateAlphabet()
    {
        for (var s = 0; s < LengthBase.Length; s++)
        {
            var last = s + 1 < LengthBase.Length ? LengthBase[s + 1] - 1 : MaxMatch;
            // Length 258 has its own symbol (285); 284 covers 227–257 only.
            if (s == LengthBase.Length - 2) last = MaxMatch - 1;
            for (var len = LengthBase[s]; len <= last; len++)
            {
                LengthSymbol[len] = (ushort)(257 + s);
                LengthExtraBits[len] = (uint)(LengthExtra[s] << 16 | (len - LengthBase[s]));
            }
        }
        for (var s = 0; s < DistanceBase.Length; s++)
        {
            var last = s + 1 < DistanceBase.Length ? DistanceBase[s + 1] - 1 : MaxDistance;
            for (var d = DistanceBase[s]; d <= last; d++) DistanceSymbol[d] = (byte)s;
        }
    }
}
