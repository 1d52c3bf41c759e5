using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// One statement as it ran: its name (the procedure query's), the SQL sent to DuckDB with <c>$n</c> placeholders and the
/// values bound to them, in order. <see cref="Inlined"/> is the same statement with the values written in, to paste into
/// the DuckDB CLI; the run itself never executes that text.
/// </summary>
public sealed record ExecutedStatement(string Name, string Sql, IReadOnlyList<object?> Parameters)
{
    /// <summary>The statement with its bound values as typed literals.</summary>
    public string Inlined => SqlLiteral.Inline(Sql, Parameters);

    /// <summary>Rendered from a procedure query and named values (as <see cref="ProcedureQuery.Render"/> gives it to DuckDB).</summary>
    public static ExecutedStatement Of(ProcedureQuery query, IReadOnlyDictionary<string, object?> values)
    {
        var (sql, parameters) = query.Render(values);
        return new ExecutedStatement(query.Name, sql, parameters);
    }
}
