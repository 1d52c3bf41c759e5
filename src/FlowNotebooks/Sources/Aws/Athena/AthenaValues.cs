using System.Globalization;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>
/// Turns GetQueryResults text into typed values by the column's <c>ColumnInfo.Type</c>. Athena sends every value as a
/// string and omits <c>VarCharValue</c> for NULL; numbers are invariant-culture, timestamps <c>YYYY-MM-DD HH:MM:SS[.fff]</c>
/// (UTC in the flow-log tables), dates <c>YYYY-MM-DD</c>. Arrays, maps, rows, JSON and IPADDRESS stay text.
/// </summary>
public static class AthenaValues
{
    /// <summary>The typed value of <paramref name="text"/> (null stays null).</summary>
    /// <exception cref="FormatException">The text does not read as the column's type.</exception>
    public static object? Read(string? text, string type)
    {
        if (text is null) return null;
        var t = type.ToLowerInvariant();
        var paren = t.IndexOf('(');
        var baseType = paren < 0 ? t : t[..paren].Trim();
        var ci = CultureInfo.InvariantCulture;
        return baseType switch
        {
            "bigint" => long.Parse(text, NumberStyles.AllowLeadingSign, ci),
            "integer" or "int" or "smallint" or "tinyint" => int.Parse(text, NumberStyles.AllowLeadingSign, ci),
            "double" or "real" or "float" => ReadDouble(text),
            "decimal" => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, ci),
            "boolean" => text switch
            {
                "true" => true,
                "false" => false,
                _ => throw new FormatException($"'{text}' is not a boolean"),
            },
            "date" => DateOnly.ParseExact(text, "yyyy-MM-dd", ci),
            "timestamp" when t.Contains("with time zone", StringComparison.Ordinal) => ReadZoned(text),
            "timestamp" => DateTime.SpecifyKind(DateTime.ParseExact(text, TimestampForms, ci, DateTimeStyles.None), DateTimeKind.Utc),
            _ => text,
        };
    }

    static readonly string[] TimestampForms =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.f", "yyyy-MM-dd HH:mm:ss.ff", "yyyy-MM-dd HH:mm:ss.fff", "yyyy-MM-dd HH:mm:ss.ffffff"];

    static double ReadDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary><c>2026-03-10 10:05:00.000 UTC</c>: the zone is the last word; only UTC (and offsets) are read, the rest is kept as text.</summary>
    static object ReadZoned(string text)
    {
        var space = text.LastIndexOf(' ');
        var zone = text[(space + 1)..];
        var local = DateTime.ParseExact(text[..space], TimestampForms, CultureInfo.InvariantCulture, DateTimeStyles.None);
        if (zone is "UTC" or "Z" or "Etc/UTC") return new DateTimeOffset(local, TimeSpan.Zero);
        if (TimeSpan.TryParse(zone.TrimStart('+'), CultureInfo.InvariantCulture, out var offset))
            return new DateTimeOffset(local, zone.StartsWith('-') ? -offset.Duration() : offset);
        return text;
    }
}
