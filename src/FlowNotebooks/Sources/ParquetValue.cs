using System.Globalization;
using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;

namespace FlowNotebooks.Sources;

/// <summary>
/// Turns one Parquet value into the text token of its flow-log field, or says why it cannot be one. AWS types its
/// columns (INT_32 ports, INT_64 bytes and times, strings elsewhere), but evidence written by other tools may store
/// numbers as text (with <c>-</c> or <c>None</c> for "no value"), an account id as an integer, or a whole number as a
/// double: each value is judged on its own, so one bad value rejects its row and never the object.
/// </summary>
internal static class ParquetValue
{
    /// <summary>The token for <paramref name="value"/> (null: the field has no value), or false with the reason.</summary>
    public static bool TryToken(object? value, FlowField field, string parquetType, out string? token, out string? reason)
    {
        reason = null;
        token = null;
        if (value is null) return true;
        var text = Text(value);
        if (text is "-" or "") return true;
        token = field.Kind switch
        {
            FieldKind.EpochTime when value is DateTime t => UnixTime(t),
            FieldKind.Int32 or FieldKind.Int64 or FieldKind.EpochTime => Whole(value, text, WholeRange(field.Kind)),
            FieldKind.Address => value is string && IsAddress(Encoding.UTF8.GetBytes(text)) ? text : null,
            _ => IsPlainText(text) ? text : null,
        };
        if (token is not null) return true;
        var shown = text.Length > 64 ? text[..64] : text;
        reason = $"field '{field.Name}' (Parquet {parquetType}): '{shown}' is not {Expected(field.Kind)}";
        return false;
    }

    /// <summary>The whole numbers a numeric field takes (a Unix time is never negative; any other field, every long).</summary>
    public static (long Min, long Max) WholeRange(FieldKind kind) => kind switch
    {
        FieldKind.Int32 => (int.MinValue, int.MaxValue),
        FieldKind.EpochTime => (0, long.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    /// <summary>Text a record line can carry as one token: no white space that would split it.</summary>
    public static bool IsPlainText(ReadOnlySpan<char> text) => text.IndexOfAny(' ', '\t', '\n') < 0;

    /// <summary><see cref="IsPlainText(ReadOnlySpan{char})"/> of UTF-8 text (white space is ASCII in both).</summary>
    public static bool IsPlainText(ReadOnlySpan<byte> utf8) => utf8.IndexOfAny((byte)' ', (byte)'\t', (byte)'\n') < 0;

    /// <summary>An IPv4 or IPv6 address, as the parser reads one (UTF-8).</summary>
    public static bool IsAddress(ReadOnlySpan<byte> utf8) => IpAddressCodec.TryParseIPv4(utf8, out _) || IpAddressCodec.TryParseIPv6(utf8, out _);

    /// <summary>The Parquet type in the words DuckDB and most Parquet tools print.</summary>
    public static string TypeName(Type clr) => clr switch
    {
        _ when clr == typeof(int) => "INTEGER",
        _ when clr == typeof(long) => "BIGINT",
        _ when clr == typeof(short) => "SMALLINT",
        _ when clr == typeof(sbyte) => "TINYINT",
        _ when clr == typeof(byte) => "UTINYINT",
        _ when clr == typeof(ushort) => "USMALLINT",
        _ when clr == typeof(uint) => "UINTEGER",
        _ when clr == typeof(ulong) => "UBIGINT",
        _ when clr == typeof(float) => "FLOAT",
        _ when clr == typeof(double) => "DOUBLE",
        _ when clr == typeof(decimal) => "DECIMAL",
        _ when clr == typeof(bool) => "BOOLEAN",
        _ when clr == typeof(DateTime) => "TIMESTAMP",
        _ when clr == typeof(string) || clr == typeof(ReadOnlyMemory<char>) => "VARCHAR",
        _ when clr == typeof(byte[]) || clr == typeof(ReadOnlyMemory<byte>) => "BLOB",
        _ => clr.Name.ToUpperInvariant(),
    };

    static string Text(object value) => value switch
    {
        string s => s,
        byte[] b => FlowParseErrors.Printable(b),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Whole numbers only, never rounded: 7.5 bytes is not a count; 8.0 is 8.</summary>
    static string? Whole(object value, string text, (long Min, long Max) range)
    {
        decimal? n = value switch
        {
            int or long or short or sbyte or byte or ushort or uint or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            double d when double.IsFinite(d) && d == Math.Truncate(d) && Math.Abs(d) < 1e19 => (decimal)d,
            float f when float.IsFinite(f) && f == MathF.Truncate(f) && Math.Abs(f) < 1e19f => (decimal)f,
            decimal m when m == decimal.Truncate(m) => m,
            string s when IsInteger(s) && decimal.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) => p,
            _ => null,
        };
        return n is { } v && v >= range.Min && v <= range.Max ? v.ToString("0", CultureInfo.InvariantCulture) : null;
    }

    static bool IsInteger(string s)
    {
        var digits = s.StartsWith('-') ? s.AsSpan(1) : s.AsSpan();
        return digits.Length is > 0 and <= 28 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>A Parquet timestamp as the Unix seconds AWS writes (milliseconds when it has a fraction of a second).</summary>
    static string? UnixTime(DateTime t)
    {
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
        var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        if (ticks < 0) return null;
        return (ticks % TimeSpan.TicksPerSecond == 0 ? ticks / TimeSpan.TicksPerSecond : ticks / TimeSpan.TicksPerMillisecond)
            .ToString(CultureInfo.InvariantCulture);
    }

    static string Expected(FieldKind kind) => kind switch
    {
        FieldKind.Int32 => "a 32-bit integer",
        FieldKind.Int64 => "a 64-bit integer",
        FieldKind.EpochTime => "a Unix time",
        FieldKind.Address => "an IPv4 or IPv6 address",
        _ => "text without white space",
    };
}
