using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>
/// The few spellings where Athena engine version 3 (Trino) and Athena's DuckDB engine differ in what the remote
/// statements use; everything else in them is spelled the same in both. The Trino spellings are chosen so the same text
/// also means the same on a local DuckDB given <see cref="ShimMacros"/> (the semantics test runs them there).
/// </summary>
public static class AthenaDialect
{
    /// <summary><paramref name="a"/> divided by a positive <paramref name="n"/>, rounded down, as BIGINT. Trino truncates
    /// integer division and DuckDB's <c>/</c> gives a double, so the division is written out in each.</summary>
    public static string Div(AthenaEngine e, string a, long n) => e == AthenaEngine.DuckDb
        ? $"({a} // {n})"
        : $"CAST(floor(CAST({a} AS double) / {n}) AS bigint)";

    /// <summary>The integers <paramref name="a"/> to <paramref name="b"/> inclusive, as an array to UNNEST.</summary>
    public static string Sequence(AthenaEngine e, string a, string b) => e == AthenaEngine.DuckDb
        ? $"generate_series({a}, {b})"
        : $"sequence({a}, {b})";

    /// <summary>True when <paramref name="s"/> contains a match of the regular expression <paramref name="pattern"/> (a literal).</summary>
    public static string RegexpLike(AthenaEngine e, string s, string pattern) => e == AthenaEngine.DuckDb
        ? $"regexp_matches({s}, {pattern})"
        : $"regexp_like({s}, {pattern})";

    /// <summary>
    /// DuckDB macros giving the Trino functions the Trino rendering uses their Trino meaning, so the engine-3 text can run
    /// on a local DuckDB for the semantics test (athena.md 4.2). Only functions DuckDB lacks; none changes a DuckDB built-in.
    /// </summary>
    public const string ShimMacros = """
        CREATE OR REPLACE MACRO sequence(a, b) AS generate_series(a, b);
        CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p);
        """;
}
