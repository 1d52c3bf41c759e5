using System.Text;
using System.Text.RegularExpressions;
using FlowNotebooks.Enrichment;

namespace FlowNotebooks.Procedures;

/// <summary>
/// One SQL statement of a procedure, kept as data so the magic commands, the CLI, the report appendix and (later) Athena
/// show and run the same text. Placeholders: <c>$name</c> a parameter value; <c>{column in name}</c> "the address column
/// is in the CIDR list parameter" (over <c>column_v4</c>/<c>column_v6</c>); <c>{list name}</c> a port list as
/// <c>(p1, p2, …)</c>. Tables <c>fnb_interfaces</c> and <c>fnb_assets</c> are prepared per run (see <see cref="CaseInterfaces"/>).
/// </summary>
public sealed partial record ProcedureQuery(string Name, string Description, string Sql)
{
    /// <summary>The SQL with positional parameters for DuckDB, from named values.</summary>
    public (string Sql, IReadOnlyList<object?> Parameters) Render(IReadOnlyDictionary<string, object?> values)
    {
        var parameters = new List<object?>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var sql = Placeholder().Replace(Sql, m =>
        {
            if (m.Groups["name"].Success)
            {
                var name = m.Groups["name"].Value;
                if (!positions.TryGetValue(name, out var at))
                {
                    parameters.Add(Value(values, name, m.Value));
                    at = positions[name] = parameters.Count;
                }
                return "$" + at;
            }
            if (m.Groups["column"].Success)
            {
                var list = Value(values, m.Groups["cidrs"].Value, m.Value) as CidrList
                           ?? throw new InvalidOperationException($"{Name}: {m.Value} needs a CIDR list parameter.");
                return list.Predicate(m.Groups["column"].Value, parameters);
            }
            var ports = Value(values, m.Groups["list"].Value, m.Value) as int[] ?? [];
            if (ports.Length == 0) return "(NULL)";
            var sb = new StringBuilder("(");
            foreach (var p in ports)
            {
                parameters.Add(p);
                sb.Append(sb.Length > 1 ? ", $" : "$").Append(parameters.Count);
            }
            return sb.Append(')').ToString();
        });
        return (sql, parameters);
    }

    object? Value(IReadOnlyDictionary<string, object?> values, string name, string token) =>
        values.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"{Name}: no value for {token}.");

    [GeneratedRegex(@"\$(?<name>[a-z_][a-z0-9_]*)|\{(?<column>[a-z_][a-z0-9_.]*) in (?<cidrs>[a-z_][a-z0-9_]*)\}|\{list (?<list>[a-z_][a-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
