namespace FlowNotebooks.Ingest;

/// <summary>
/// How the load summary groups reject reasons: the parts that vary from line to line (a line or byte number standing
/// alone, the offending value in quotes) become <c>N</c> and <c>'…'</c>, while digits inside words stay, so
/// "invalid UTF-8", "(default v2 format)" and "the 65,536-byte limit" read as written.
/// </summary>
internal static class RejectReasonGroups
{
    /// <summary>
    /// The SQL expression grouping <paramref name="column"/> (DuckDB's RE2 has no look-around, so the characters around
    /// a standalone number are captured and put back).
    /// </summary>
    public static string Sql(string column) =>
        "regexp_replace(regexp_replace(" + column + ", '''[^'']*'' is not', '''…'' is not', 'g'), "
        + "'(^|[ (])[0-9][0-9,]*([ ),.;:]|$)', '\\1N\\2', 'g')";
}
