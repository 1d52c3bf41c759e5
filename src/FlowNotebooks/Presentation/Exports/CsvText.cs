using System.Globalization;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// CSV as RFC 4180 writes it: fields with a comma, quote or line break are quoted, quotes doubled. The tool's one CSV
/// quoting: <c>flownb query --csv</c> and <c>flownb analyze --csv</c> quote with <see cref="Field"/>; exports write whole
/// tables with <see cref="Table"/>, whose lines end in <c>\n</c> whatever the machine (the same case gives the same bytes everywhere).
/// </summary>
public static class CsvText
{
    /// <summary>One field, quoted when it must be.</summary>
    public static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Writes one line of fields.</summary>
    public static void Line(TextWriter o, IEnumerable<string> fields)
    {
        o.Write(string.Join(',', fields.Select(Field)));
        o.Write('\n');
    }

    /// <summary>Writes a header and rows, each value as <see cref="Text"/> shows it.</summary>
    public static void Table(TextWriter o, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        Line(o, columns);
        foreach (var row in rows) Line(o, row.Select(Text));
    }

    /// <summary>A value as export text: times ISO 8601 UTC (fractions only when there are any), numbers invariant,
    /// lists in brackets, null empty.</summary>
    public static string Text(object? v) => v switch
    {
        null => "",
        string s => s,
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Text)) + "]",
        _ => v.ToString() ?? "",
    };
}
