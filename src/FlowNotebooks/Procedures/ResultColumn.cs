namespace FlowNotebooks.Procedures;

/// <summary>A column of a procedure's main table: its name and DuckDB type (what a reader of the table can rely on; a test
/// checks each procedure returns exactly these). <c>LIST</c> stands for any list type.</summary>
public sealed record ResultColumn(string Name, string Type)
{
    /// <summary>Columns from <c>(name, type)</c> pairs.</summary>
    public static IReadOnlyList<ResultColumn> Of(params (string Name, string Type)[] columns) => columns.Select(c => new ResultColumn(c.Name, c.Type)).ToList();

    /// <summary>True when a DuckDB type name read back from a result is this column's type.</summary>
    public bool Accepts(string type) =>
        string.Equals(Type, type, StringComparison.OrdinalIgnoreCase) || (Type == "LIST" && (type.Equals("List", StringComparison.OrdinalIgnoreCase) || type.EndsWith("[]", StringComparison.Ordinal)));
}
