using System.Collections;
using System.Globalization;
using System.Net;

namespace FlowNotebooks.Presentation.Html;

/// <summary>One value as an analyst reads it: invariant culture, UTC times without noise, IPv4 numbers as dotted
/// addresses, lists in brackets. Plain text: HTML callers encode it.</summary>
public static class CellText
{
    /// <summary>Text for a value; <paramref name="column"/> lets the case's numeric address columns (<c>*_v4</c>) read as addresses.</summary>
    public static string Format(object? value, string? column = null) => value switch
    {
        null or DBNull => "",
        string s => s,
        uint v4 when column is not null && column.EndsWith("_v4", StringComparison.OrdinalIgnoreCase) =>
            new IPAddress([(byte)(v4 >> 24), (byte)(v4 >> 16), (byte)(v4 >> 8), (byte)v4]).ToString(),
        DateTime t => Time(t),
        DateTimeOffset t => Time(t.UtcDateTime),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => "0x" + Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 64))) + (bytes.Length > 64 ? "…" : ""),
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{Format(k)}: {Format(map[k])}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(v => Format(v))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary><see cref="Format"/>, with whole numbers grouped by thousands (1,234,567) except in columns that name a
    /// port, protocol, id, step or IPv4 number, where a separator would misread.</summary>
    public static string Grouped(object? value, string? column = null) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or System.Numerics.BigInteger or Int128 or UInt128 && !IsCode(column)
            ? ((IFormattable)value).ToString("N0", CultureInfo.InvariantCulture)
            : Format(value, column);

    static bool IsCode(string? column) =>
        column is not null && (column.Contains("port", StringComparison.OrdinalIgnoreCase) || column.Contains("protocol", StringComparison.OrdinalIgnoreCase)
                               || column.EndsWith("_v4", StringComparison.OrdinalIgnoreCase) || column.EndsWith("id", StringComparison.OrdinalIgnoreCase)
                               || column.Equals("step", StringComparison.OrdinalIgnoreCase) || column.Equals("version", StringComparison.OrdinalIgnoreCase));

    /// <summary>Seconds resolution unless the value has more (flow-log times are whole seconds).</summary>
    static string Time(DateTime t) =>
        t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>True for columns shown right-aligned.</summary>
    public static bool IsNumeric(Type type) =>
        Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;
}
