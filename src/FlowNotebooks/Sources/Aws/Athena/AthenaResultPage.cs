using System.Text.Json.Nodes;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>
/// One GetQueryResults page: the columns (<c>ResultSetMetadata.ColumnInfo</c>), the rows typed by them, the next token.
/// On the first page of a SELECT the first row holds the column names (undocumented but consistent: PyAthena and
/// athenadriver skip it the same way); later pages have no such row. A datum without <c>VarCharValue</c> is NULL.
/// </summary>
public sealed record AthenaResultPage(IReadOnlyList<AthenaColumn> Columns, IReadOnlyList<object?[]> Rows, string? NextToken)
{
    /// <param name="firstPage">True for the page asked without a NextToken.</param>
    /// <param name="statementType">The execution's StatementType: only DML (SELECT) pages carry the header row.</param>
    /// <param name="rowOffset">Rows already read (so a value that does not parse is named by its row number).</param>
    public static AthenaResultPage Parse(JsonObject answer, bool firstPage, string? statementType, long rowOffset = 0)
    {
        var set = answer["ResultSet"] as JsonObject;
        var columns = ((set?["ResultSetMetadata"] as JsonObject)?["ColumnInfo"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(c => new AthenaColumn(c["Name"]?.GetValue<string>() ?? "", c["Type"]?.GetValue<string>() ?? "varchar"))
            .ToList();
        var raw = (set?["Rows"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(r => (r["Data"] as JsonArray ?? []).Select(d => (d as JsonObject)?["VarCharValue"]?.GetValue<string>()).ToArray())
            .ToList();
        if (firstPage && raw.Count > 0 && IsHeader(raw[0], columns, statementType)) raw.RemoveAt(0);
        var rows = new List<object?[]>(raw.Count);
        for (var r = 0; r < raw.Count; r++)
        {
            var row = new object?[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                var text = c < raw[r].Length ? raw[r][c] : null;
                try
                {
                    row[c] = AthenaValues.Read(text, columns[c].Type);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException)
                {
                    throw new FormatException($"Athena result row {rowOffset + r + 1}, column {columns[c].Name} ({columns[c].Type}): '{text}' does not read as {columns[c].Type}.", ex);
                }
            }
            rows.Add(row);
        }
        var next = answer["NextToken"]?.GetValue<string>();
        return new AthenaResultPage(columns, rows, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>The header row of a SELECT's first page: every value equals its column's name (PyAthena's test).</summary>
    static bool IsHeader(string?[] row, List<AthenaColumn> columns, string? statementType) =>
        !string.Equals(statementType, "DDL", StringComparison.OrdinalIgnoreCase) && !string.Equals(statementType, "UTILITY", StringComparison.OrdinalIgnoreCase)
        && row.Length == columns.Count && row.Select((v, i) => v == columns[i].Name).All(b => b);
}
