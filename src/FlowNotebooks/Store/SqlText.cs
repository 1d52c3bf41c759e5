namespace FlowNotebooks.Store;

/// <summary>Quoting for the few places SQL must carry a name or a path the engine itself made (values go as parameters).</summary>
public static class SqlText
{
    /// <summary>A single-quoted SQL string literal.</summary>
    public static string Literal(string s) => "'" + s.Replace("'", "''") + "'";

    /// <summary>A double-quoted SQL identifier.</summary>
    public static string Identifier(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
