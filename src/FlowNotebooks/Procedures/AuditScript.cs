using System.Globalization;
using System.Text;

namespace FlowNotebooks.Procedures;

/// <summary>
/// An <see cref="AuditRecord"/> as a script for the DuckDB CLI against the case file (<c>duckdb -readonly case.duckdb &lt;
/// script.sql</c>): a header of comments (versions, case state, window, parameters, what was computed outside SQL), two
/// checks of the case state, then every statement of the run in order with its values written in (the run's TEMP tables
/// included), ending with the statement that returns the procedure's table; last, as comments, the statements that built
/// the derived tables. Only TEMP tables are created: the case is not changed.
/// </summary>
public static class AuditScript
{
    public static string Write(AuditRecord a)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        Comment(sb, $"flownb analyze {a.Procedure}: every statement as it ran, with its bound values written in (DuckDB SQL).");
        Comment(sb, "Re-run: duckdb -readonly CASE.duckdb < this file. It creates TEMP tables only; its last statement returns the procedure's table.");
        Comment(sb, "");
        Comment(sb, a.CaseFile is { } file
            ? $"Case file:      {file}"
            : "Case file:      none (an in-memory case): re-run against a case loaded from the same evidence (flownb ingest), whose SHA-256 set the first check shows");
        Comment(sb, $"Tool:           flownb {a.Tool}");
        Comment(sb, $"DuckDB:         {a.DuckDb} (the engine the case store ran on)");
        Comment(sb, $"Derived tables: version {a.DerivedTablesVersion} (a hash of the SQL that builds counted_flows and its side tables; "
            + (a.DerivedTables is { } d ? $"built by flownb {d.Tool} for {ProcedureParameter.Show(d.From)} to {ProcedureParameter.Show(d.To)}; statements at the end)" : "built before builds were recorded)"));
        Comment(sb, string.Create(c, $"Case state:     {a.EvidenceObjects} evidence object(s), SHA-256 set {a.EvidenceSha256Set}"));
        Comment(sb, "                (the SHA-256 of the objects' SHA-256s, sorted and joined by newlines: the first check below)");
        Comment(sb, $"Window:         {ProcedureParameter.Show(a.From)} to {ProcedureParameter.Show(a.To)} (end exclusive)");
        Comment(sb, "Parameters:");
        foreach (var (name, value) in a.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            Comment(sb, $"  {name} = {(value.Length == 0 ? "(none)" : value)}");
        Comment(sb, "Computed outside SQL:");
        foreach (var note in a.OutsideSql) Comment(sb, "  - " + note);
        sb.Append('\n');

        Comment(sb, string.Create(c, $"Case state check: expect {a.EvidenceObjects}, {a.EvidenceSha256Set}."));
        Statement(sb, AuditRecord.EvidenceSetSql);
        Comment(sb, $"Derived tables check: expect {a.DerivedTablesVersion}.");
        Statement(sb, $"SELECT value AS derived_tables_version FROM case_info WHERE key = '{DerivedTablesRecord.VersionKey}'");
        Comment(sb, "The store's connection setting.");
        Statement(sb, "SET preserve_insertion_order = false");

        for (var i = 0; i < a.Statements.Count; i++)
        {
            sb.Append('\n');
            Comment(sb, string.Create(c, $"[{i + 1}] {a.Statements[i].Name}{(i == a.TableStatement ? " (returns the procedure's table)" : "")}"));
            Statement(sb, a.Statements[i].Inlined);
        }
        sb.Append('\n');
        if (a.TableStatement is not { } t)
            Comment(sb, "The procedure's table was assembled outside SQL (see above): no statement returns it.");
        else if (t != a.Statements.Count - 1)
        {
            Comment(sb, string.Create(c, $"The procedure's table: statement [{t + 1}] again (the statements after it did not change what it reads)."));
            Statement(sb, a.Statements[t].Inlined);
        }

        sb.Append('\n');
        Comment(sb, "===== The statements that built the derived tables (not run here: the tables are in the case) =====");
        if (a.DerivedTables is not { } built) Comment(sb, "Not recorded: the case's derived tables were built before flownb recorded builds.");
        else
            foreach (var s in built.Statements)
            {
                Comment(sb, $"[{s.Name}]");
                Comment(sb, s.Sql.TrimEnd() + ";");
            }
        return sb.ToString();
    }

    // Every line of the text commented: a parameter value with a line break cannot leave the comment.
    static void Comment(StringBuilder sb, string text)
    {
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
            sb.Append(line.Length == 0 ? "--" : "-- ").Append(line).Append('\n');
    }

    // A trailing line comment would swallow the semicolon: it then goes on its own line.
    static void Statement(StringBuilder sb, string sql)
    {
        // Line endings kept as they are: a string literal's value may hold one.
        var s = sql.TrimEnd();
        var last = s[(s.LastIndexOf('\n') + 1)..];
        sb.Append(s).Append(last.Contains("--", StringComparison.Ordinal) ? "\n;" : ";").Append('\n');
    }
}
