using System.Collections;
using System.Globalization;

namespace FlowNotebooks.Store;

/// <summary>
/// One row of a <see cref="QueryResult"/>, read by column name and type: code that turns rows into findings names the
/// column it means, so reordering a SELECT cannot silently put another column's number into a finding. A missing column,
/// a NULL where a value is required or a value of another kind is an error that names the column.
/// </summary>
public readonly struct QueryRow(QueryResult table, object?[] values)
{
    /// <summary>The raw value (null for SQL NULL).</summary>
    public object? this[string column] => values[table.IndexOf(column)];

    /// <summary>True when the result has the column (optional columns such as GeoIP enrichment).</summary>
    public bool Has(string column) => table.Columns.Contains(column, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the column holds SQL NULL.</summary>
    public bool IsNull(string column) => this[column] is null;

    /// <summary>Text (a VARCHAR or an address column); an error on NULL.</summary>
    public string Text(string column) => this[column] as string ?? throw Wrong(column, "text");

    /// <summary>Text, or null for SQL NULL.</summary>
    public string? TextOrNull(string column) => this[column] switch
    {
        null => null,
        string s => s,
        _ => throw Wrong(column, "text"),
    };

    /// <summary>A whole number of any integer type (counts, bytes, ports); an error on NULL or a fraction.</summary>
    public long Long(string column) => this[column] switch
    {
        long l => l,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(this[column], CultureInfo.InvariantCulture),
        ulong u when u <= long.MaxValue => (long)u,
        System.Numerics.BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        decimal m when m == decimal.Truncate(m) => (long)m,
        _ => throw Wrong(column, "a whole number"),
    };

    /// <summary>A whole number that fits an int (ports, steps).</summary>
    public int Int(string column) => checked((int)Long(column));

    /// <summary>A number (sums and ratios DuckDB may return as double, decimal or an integer type), or null for SQL NULL.</summary>
    public double? NumberOrNull(string column) => this[column] switch
    {
        null => null,
        double d => d,
        float f => f,
        decimal m => (double)m,
        _ => Long(column),
    };

    /// <summary>A timestamp (UTC as the case stores it); an error on NULL.</summary>
    public DateTime Time(string column) => this[column] is DateTime t ? t : throw Wrong(column, "a timestamp");

    /// <summary>A timestamp, or null for SQL NULL.</summary>
    public DateTime? TimeOrNull(string column) => this[column] switch
    {
        null => null,
        DateTime t => t,
        _ => throw Wrong(column, "a timestamp"),
    };

    /// <summary>A boolean; an error on NULL.</summary>
    public bool Flag(string column) => this[column] is bool b ? b : throw Wrong(column, "a boolean");

    /// <summary>A boolean, or null for SQL NULL.</summary>
    public bool? FlagOrNull(string column) => this[column] switch
    {
        null => null,
        bool b => b,
        _ => throw Wrong(column, "a boolean"),
    };

    /// <summary>A LIST column as text items (invariant culture); empty for SQL NULL.</summary>
    public IReadOnlyList<string> List(string column) => this[column] switch
    {
        null => [],
        string => throw Wrong(column, "a list"),
        IEnumerable e => e.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "").ToList(),
        _ => throw Wrong(column, "a list"),
    };

    InvalidCastException Wrong(string column, string expected) =>
        new($"Column '{column}' holds {(this[column] is { } v ? $"a {v.GetType().Name} ({Convert.ToString(v, CultureInfo.InvariantCulture)})" : "NULL")}, not {expected}.");
}
