using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Sources;

/// <summary>
/// One column of a Parquet row group, written row by row as the text tokens of its flow-log field into a record line.
/// The columns AWS writes (INT_32, INT_64, strings) are written straight from their typed arrays, by the rules of
/// <see cref="ParquetValue"/>; every other type, and every value those rules refuse, goes through
/// <see cref="ParquetValue.TryToken"/>, which judges it and words the reason. Every value as an object, then a string
/// (and a decimal for a number) cost a fifth of the time of loading AWS's Parquet objects (the 10^7 scenario's 72
/// objects, 2.2M records: 15 s of loading, 12 s written straight).
/// </summary>
internal sealed class ParquetTokens(object values, FlowField field, string parquetType)
{
    readonly int?[]? ints = values as int?[];
    readonly long?[]? longs = values as long?[];
    readonly ReadOnlyMemory<char>?[]? texts = values as ReadOnlyMemory<char>?[];
    readonly Utf8Texts? utf8 = values as Utf8Texts;
    readonly (long Min, long Max) range = ParquetValue.WholeRange(field.Kind);

    /// <summary>
    /// Writes row <paramref name="row"/>'s token ('-' when the field has no value) to <paramref name="line"/>; false,
    /// with the reason, when the value cannot be the field (the line then holds part of the row).
    /// </summary>
    public bool TryAppend(int row, ArrayBufferWriter<byte> line, out string? reason)
    {
        reason = null;
        if (ints is not null)
        {
            if (ints[row] is not { } i) return AppendNone(line);
            if (Fits(i)) return AppendNumber(i, line);
        }
        else if (longs is not null)
        {
            if (longs[row] is not { } l) return AppendNone(line);
            if (Fits(l)) return AppendNumber(l, line);
        }
        else if (utf8 is not null)
        {
            if (!utf8.HasValue(row)) return AppendNone(line);
            var s = utf8[row];
            if (s.IsEmpty || s is [(byte)'-']) return AppendNone(line);
            if (field.Kind is not (FieldKind.Int32 or FieldKind.Int64 or FieldKind.EpochTime) && TryAppendUtf8(s, line)) return true;
        }
        else if (texts is not null)
        {
            if (texts[row] is not { } text) return AppendNone(line);
            var s = text.Span;
            if (s.IsEmpty || s is "-") return AppendNone(line);
            if (field.Kind is not (FieldKind.Int32 or FieldKind.Int64 or FieldKind.EpochTime) && TryAppendText(s, line)) return true;
        }
        if (!ParquetValue.TryToken(ValueAt(values, row), field, parquetType, out var token, out reason)) return false;
        return token is null ? AppendNone(line) : AppendText(token, line);
    }

    /// <summary>Writes the space between two tokens.</summary>
    public static void AppendSeparator(ArrayBufferWriter<byte> line) => line.Write(" "u8);

    /// <summary>Whether a whole number is the field's token as it stands (an address is never a number; text takes any).</summary>
    bool Fits(long n) => field.Kind != FieldKind.Address && n >= range.Min && n <= range.Max;

    /// <summary>Row <paramref name="row"/>'s value of a column as the reader gave it, text as a string.</summary>
    public static object? ValueAt(object values, int row) => values switch
    {
        Utf8Texts utf8 => utf8.HasValue(row) ? Encoding.UTF8.GetString(utf8[row]) : null,
        ReadOnlyMemory<char>?[] texts => texts[row]?.ToString(),
        _ => ((Array)values).GetValue(row),
    };

    /// <summary>Text as it stands: an address that parses, or other text without white space.</summary>
    bool TryAppendText(ReadOnlySpan<char> s, ArrayBufferWriter<byte> line)
    {
        var span = line.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
        var written = Encoding.UTF8.GetBytes(s, span);
        if (!IsToken(span[..written])) return false;
        line.Advance(written);
        return true;
    }

    /// <summary>UTF-8 text as it stands, as <see cref="TryAppendText"/> takes it, when it is valid UTF-8 (the managed
    /// reader made U+FFFD of an invalid byte, which the per-value rule then judges).</summary>
    bool TryAppendUtf8(ReadOnlySpan<byte> s, ArrayBufferWriter<byte> line)
    {
        if (!Utf8.IsValid(s) || !IsToken(s)) return false;
        line.Write(s);
        return true;
    }

    /// <summary>Whether UTF-8 text is the field's token as it stands: an address that parses, or other text without white space.</summary>
    bool IsToken(ReadOnlySpan<byte> utf8) => field.Kind == FieldKind.Address ? ParquetValue.IsAddress(utf8) : ParquetValue.IsPlainText(utf8);

    static bool AppendText(string token, ArrayBufferWriter<byte> line)
    {
        line.Advance(Encoding.UTF8.GetBytes(token, line.GetSpan(Encoding.UTF8.GetMaxByteCount(token.Length))));
        return true;
    }

    static bool AppendNumber(long n, ArrayBufferWriter<byte> line)
    {
        Utf8Formatter.TryFormat(n, line.GetSpan(20), out var written);
        line.Advance(written);
        return true;
    }

    static bool AppendNone(ArrayBufferWriter<byte> line)
    {
        line.Write("-"u8);
        return true;
    }
}
