using System.Runtime.CompilerServices;
using System.Text;

namespace FlowNotebooks.Parsing;

/// <summary>
/// Gives each distinct UTF-8 token (interface id, account, action, …) a small integer code, keyed by its bytes, so the
/// hot path neither decodes nor allocates. Codes start at 1; 0 means null. The store turns codes back into text with
/// one list lookup per value. Strings are made once per distinct token, when the dictionary is exported.
/// </summary>
internal sealed class TextDictionary
{
    /// <summary>Distinct tokens kept before the owner should flush and <see cref="Reset"/>.</summary>
    public const int SoftLimit = 500_000;

    byte[] bytes = new byte[1 << 16];
    int bytesUsed;
    int[] offsets = new int[1024];
    int[] lengths = new int[1024];
    int[] table = new int[2048];
    int count;

    /// <summary>Distinct tokens held (codes 1..Count).</summary>
    public int Count => count;

    /// <summary>Codes below this were already exported.</summary>
    public int Exported { get; private set; }

    /// <summary>The code of a token (adding it if new).</summary>
    public int Code(ReadOnlySpan<byte> token)
    {
        var hash = Hash(token);
        var mask = table.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var code = table[slot];
            if (code == 0) break;
            if (lengths[code] == token.Length && bytes.AsSpan(offsets[code], token.Length).SequenceEqual(token)) return code;
            slot = (slot + 1) & mask;
        }
        var newCode = ++count;
        if (newCode >= offsets.Length)
        {
            Array.Resize(ref offsets, offsets.Length * 2);
            Array.Resize(ref lengths, lengths.Length * 2);
        }
        if (bytesUsed + token.Length > bytes.Length) Array.Resize(ref bytes, Math.Max(bytes.Length * 2, bytesUsed + token.Length));
        token.CopyTo(bytes.AsSpan(bytesUsed));
        offsets[newCode] = bytesUsed;
        lengths[newCode] = token.Length;
        bytesUsed += token.Length;
        table[slot] = newCode;
        if (count * 2 > table.Length) Rehash();
        return newCode;
    }

    /// <summary>The text of a code.</summary>
    public string Text(int code) => Encoding.UTF8.GetString(bytes, offsets[code], lengths[code]);

    /// <summary>Codes and texts added since the last export.</summary>
    public IEnumerable<(int Code, string Text)> TakeNew()
    {
        var from = Exported + 1;
        Exported = count;
        for (var c = from; c <= count; c++) yield return (c, Text(c));
    }

    /// <summary>Forgets every token (only when no batch still holds codes).</summary>
    public void Reset()
    {
        Array.Clear(table);
        count = 0;
        bytesUsed = 0;
        Exported = 0;
    }

    void Rehash()
    {
        table = new int[table.Length * 2];
        var mask = table.Length - 1;
        for (var c = 1; c <= count; c++)
        {
            var slot = Hash(bytes.AsSpan(offsets[c], lengths[c])) & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = c;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Hash(ReadOnlySpan<byte> s)
    {
        // Tokens are short ASCII ids: mixing 8 bytes at a time is plenty and fast.
        ulong h = (ulong)s.Length * 0x9E3779B97F4A7C15;
        var i = 0;
        for (; i + 8 <= s.Length; i += 8)
            h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.AsRef(in s[i]))) * 0xFF51AFD7ED558CCD;
        ulong tail = 0;
        for (var j = 0; i < s.Length; i++, j += 8) tail |= (ulong)s[i] << j;
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53;
        return (int)(h ^ (h >> 29)) & int.MaxValue;
    }
}
