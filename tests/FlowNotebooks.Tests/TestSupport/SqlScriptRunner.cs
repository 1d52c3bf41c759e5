using DuckDB.NET.Data;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.TestSupport;

/// <summary>
/// Runs a SQL script as the DuckDB CLI does: split into statements at semicolons outside quotes and comments, each run
/// in turn on one connection; comment-only pieces are not statements.
/// </summary>
public static class SqlScriptRunner
{
    /// <summary>The statements of a script, in order.</summary>
    public static List<string> Statements(string script)
    {
        var statements = new List<string>();
        var start = 0;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c is '\'' or '"')
            {
                // A doubled quote is part of the string.
                var j = i + 1;
                while (j < script.Length && !(script[j] == c && (j + 1 >= script.Length || script[j + 1] != c)))
                    j += script[j] == c ? 2 : 1;
                i = j + 1;
            }
            else if (c == '-' && i + 1 < script.Length && script[i + 1] == '-')
            {
                var end = script.IndexOf('\n', i);
                i = end < 0 ? script.Length : end;
            }
            else if (c == '/' && i + 1 < script.Length && script[i + 1] == '*')
            {
                var end = script.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? script.Length : end + 2;
            }
            else if (c == ';')
            {
                Add(script[start..i]);
                start = ++i;
            }
            else i++;
        }
        Add(script[Math.Min(start, script.Length)..]);
        return statements;

        void Add(string piece)
        {
            if (!OnlyComments(piece)) statements.Add(piece.Trim());
        }
    }

    static bool OnlyComments(string piece) =>
        piece.Split('\n').All(l => l.Trim().Length == 0 || l.TrimStart().StartsWith("--", StringComparison.Ordinal));

    /// <summary>Runs every statement of <paramref name="script"/> on the connection and returns each one's rows.</summary>
    public static List<QueryResult> Run(DuckDBConnection connection, string script)
    {
        var results = new List<QueryResult>();
        foreach (var sql in Statements(script))
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            results.Add(QueryResult.Read(reader, int.MaxValue));
        }
        return results;
    }
}
