using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace FlowNotebooks.Store;

/// <summary>
/// A bound value written as a DuckDB literal of the type DuckDB.NET binds it as (<c>1000::BIGINT</c>,
/// <c>TIMESTAMP '2025-11-18 03:00:00'</c>, <c>'it''s'</c>, <c>[1, 2]</c>, <c>NULL</c>), and a statement with its
/// <c>$n</c> placeholders replaced by them. For the record only (audit scripts, report appendices): statements that run
/// stay parameterised.
/// </summary>
public static class SqlLiteral
{
    /// <summary>The value as a typed literal. Types outside what the procedures bind are refused rather than guessed.</summary>
    /// <exception cref="NotSupportedException">A CLR type with no literal form here.</exception>
    public static string Of(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "true" : "false",
        string s => SqlText.Literal(s),
        char c => SqlText.Literal(c.ToString()),
        sbyte v => Integer(v, "TINYINT"),
        short v => Integer(v, "SMALLINT"),
        int v => Integer(v, "INTEGER"),
        long v => Integer(v, "BIGINT"),
        byte v => Integer(v, "UTINYINT"),
        ushort v => Integer(v, "USMALLINT"),
        uint v => Integer(v, "UINTEGER"),
        ulong v => Integer(v, "UBIGINT"),
        Int128 v => Integer((BigInteger)v, "HUGEINT"),
        UInt128 v => Integer((BigInteger)v, "UHUGEINT"),
        BigInteger v => Integer(v, "HUGEINT"),
        // Through text: DuckDB reads a round-trip decimal string back to the same bits; a DECIMAL literal cast may not.
        double d => $"{SqlText.Literal(Real(d, d.ToString("R", CultureInfo.InvariantCulture)))}::DOUBLE",
        float f => $"{SqlText.Literal(Real(f, f.ToString("R", CultureInfo.InvariantCulture)))}::FLOAT",
        DateTime t => "TIMESTAMP " + SqlText.Literal(Timestamp(t)),
        DateTimeOffset t => "TIMESTAMPTZ " + SqlText.Literal(Timestamp(t.UtcDateTime) + "+00"),
        DateOnly d => "DATE " + SqlText.Literal(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        TimeOnly t => "TIME " + SqlText.Literal(t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')),
        TimeSpan t => "INTERVAL " + SqlText.Literal((t.Ticks / 10).ToString(CultureInfo.InvariantCulture) + " microseconds"),
        Guid g => SqlText.Literal(g.ToString("D")) + "::UUID",
        byte[] bytes => "unhex(" + SqlText.Literal(Convert.ToHexString(bytes)) + ")",
        IEnumerable list => List(list),
        _ => throw new NotSupportedException($"No SQL literal for a bound {value.GetType().Name}."),
    };

    /// <summary>
    /// The statement with each <c>$n</c> (1-based, outside quotes and comments) replaced by the literal of
    /// <paramref name="parameters"/>[n-1]; any other text is kept as it is.
    /// </summary>
    /// <exception cref="ArgumentException">A placeholder has no value.</exception>
    public static string Inline(string sql, IReadOnlyList<object?> parameters)
    {
        if (parameters.Count == 0) return sql;
        var literals = new string?[parameters.Count];
        var sb = new StringBuilder(sql.Length + 16 * parameters.Count);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var skip = c switch
            {
                '\'' or '"' => Quoted(sql, i, c),
                '-' when At(sql, i + 1) == '-' => LineEnd(sql, i),
                '/' when At(sql, i + 1) == '*' => BlockEnd(sql, i),
                _ => i,
            };
            if (skip > i)
            {
                sb.Append(sql, i, skip - i);
                i = skip;
                continue;
            }
            if (c == '$' && char.IsAsciiDigit(At(sql, i + 1)))
            {
                var end = i + 1;
                while (end < sql.Length && char.IsAsciiDigit(sql[end])) end++;
                var n = int.Parse(sql.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture);
                if (n < 1 || n > parameters.Count) throw new ArgumentException($"${n} has no value ({parameters.Count} given).", nameof(parameters));
                sb.Append(literals[n - 1] ??= Of(parameters[n - 1]));
                i = end;
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    // Index after a quoted string or identifier starting at i (a doubled quote is part of it).
    static int Quoted(string s, int i, char quote)
    {
        var j = i + 1;
        while (j < s.Length)
        {
            if (s[j] == quote)
            {
                if (At(s, j + 1) == quote) { j += 2; continue; }
                return j + 1;
            }
            j++;
        }
        return s.Length;
    }

    static int LineEnd(string s, int i)
    {
        var j = s.IndexOf('\n', i);
        return j < 0 ? s.Length : j;
    }

    static int BlockEnd(string s, int i)
    {
        var j = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
        return j < 0 ? s.Length : j + 2;
    }

    // Negative numbers in CAST: "-$1" must not become "--5", a comment.
    static string Integer(BigInteger v, string type) =>
        v.Sign < 0 ? $"CAST({v.ToString(CultureInfo.InvariantCulture)} AS {type})" : $"{v.ToString(CultureInfo.InvariantCulture)}::{type}";

    static string Real(double v, string text) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : text;

    // Microseconds, DuckDB's resolution; whole seconds print without a fraction.
    static string Timestamp(DateTime t) => t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    static string List(IEnumerable list)
    {
        var items = list.Cast<object?>().Select(Of).ToList();
        var element = ElementType(list.GetType());
        if (items.Count > 0) return "[" + string.Join(", ", items) + "]";
        // An empty list keeps its element type when it has a known one ([] alone is of type NULL[]).
        var type = element is null ? null : TypeName(element);
        return type is null ? "[]" : $"CAST([] AS {type}[])";
    }

    static Type? ElementType(Type t) =>
        t.IsArray ? t.GetElementType() : t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    static string? TypeName(Type t) => Type.GetTypeCode(Nullable.GetUnderlyingType(t) ?? t) switch
    {
        TypeCode.Boolean => "BOOLEAN",
        TypeCode.SByte => "TINYINT",
        TypeCode.Int16 => "SMALLINT",
        TypeCode.Int32 => "INTEGER",
        TypeCode.Int64 => "BIGINT",
        TypeCode.Byte => "UTINYINT",
        TypeCode.UInt16 => "USMALLINT",
        TypeCode.UInt32 => "UINTEGER",
        TypeCode.UInt64 => "UBIGINT",
        TypeCode.Double => "DOUBLE",
        TypeCode.Single => "FLOAT",
        TypeCode.String => "VARCHAR",
        TypeCode.DateTime => "TIMESTAMP",
        _ => null,
    };
}
