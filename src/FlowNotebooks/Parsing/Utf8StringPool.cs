using System.Text;

namespace FlowNotebooks.Parsing;

/// <summary>
/// Turns repeated UTF-8 tokens (interface ids, addresses, actions) into one shared string each, so the hot path does
/// not allocate a string per field. Bounded: it forgets everything once it holds <see cref="MaxEntries"/> strings.
/// </summary>
internal sealed class Utf8StringPool
{
    public const int MaxEntries = 200_000;
    readonly HashSet<string> strings = new(StringComparer.Ordinal);
    readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    public Utf8StringPool() => lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The pooled string for valid UTF-8 bytes.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        Span<char> buffer = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        var n = Encoding.UTF8.GetChars(utf8, buffer);
        var chars = buffer[..n];
        if (lookup.TryGetValue(chars, out var existing))
            return existing;
        if (strings.Count >= MaxEntries)
            strings.Clear();
        var s = new string(chars);
        strings.Add(s);
        return s;
    }
}
