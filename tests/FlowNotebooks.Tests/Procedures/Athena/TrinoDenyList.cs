using System.Text.RegularExpressions;

namespace FlowNotebooks.Tests.Procedures.Athena;

/// <summary>
/// DuckDB-only syntax that must not reach Athena engine 3, including what a Trino grammar accepts by mistake (SEMI/ANTI JOIN
/// parse as table aliases there). It complements the syntax check with the Trino grammar (tests/Shared/Athena/TrinoGrammar.cs).
/// </summary>
public static partial class TrinoDenyList
{
    static readonly (string Name, Regex Pattern)[] Denied =
    [
        ("cast with ::", new(@"::")), ("integer division //", new(@"//")), ("QUALIFY", new(@"\bQUALIFY\b", RegexOptions.IgnoreCase)),
        ("GROUP BY ALL", new(@"GROUP\s+BY\s+ALL\b", RegexOptions.IgnoreCase)), ("SEMI JOIN", new(@"\bSEMI\s+JOIN\b", RegexOptions.IgnoreCase)),
        ("ANTI JOIN", new(@"\bANTI\s+JOIN\b", RegexOptions.IgnoreCase)), ("EXCLUDE", new(@"\bEXCLUDE\s*\(", RegexOptions.IgnoreCase)),
        ("MATERIALIZED", new(@"\bMATERIALIZED\b", RegexOptions.IgnoreCase)), ("TEMP table", new(@"\bTEMP(ORARY)?\b", RegexOptions.IgnoreCase)),
        ("a CTE (each reference would scan S3 again)", new(@"\bWITH\b", RegexOptions.IgnoreCase)), ("$n parameter", new(@"\$\d")),
        ("DISTINCT ON", new(@"DISTINCT\s+ON\b", RegexOptions.IgnoreCase)), ("UNION BY NAME", new(@"BY\s+NAME\b", RegexOptions.IgnoreCase)),
        ("DuckDB function", new(@"\b(list|epoch|epoch_us|time_bucket|make_timestamp|any_value|arg_min|arg_max|median|mode|hash|generate_series|regexp_matches|range|unnest)\s*\(", RegexOptions.IgnoreCase)),
        ("unsigned or 128-bit type", new(@"\b(UHUGEINT|UINTEGER|HUGEINT)\b", RegexOptions.IgnoreCase)),
        ("unquoted INTERVAL", new(@"INTERVAL\s+\d", RegexOptions.IgnoreCase)),
    ];

    /// <summary>What of the list a statement holds (empty when none). <c>UNNEST</c> is allowed only as Trino writes it.</summary>
    public static IReadOnlyList<string> Violations(string sql)
    {
        // String literals (S3 URIs, flow-log ids) are data, not syntax.
        var text = TrinoUnnest().Replace(Literal().Replace(sql, "''"), "CROSS JOIN TRINO_UNNEST(");
        return Denied.Where(d => d.Pattern.IsMatch(text)).Select(d => d.Name).ToList();
    }

    [GeneratedRegex("'(?:[^']|'')*'")]
    private static partial Regex Literal();

    [GeneratedRegex(@"CROSS JOIN UNNEST\(", RegexOptions.IgnoreCase)]
    private static partial Regex TrinoUnnest();
}
