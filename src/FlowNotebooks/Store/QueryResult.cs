using System.Data;

namespace FlowNotebooks.Store;

/// <summary>A query result held in memory: column names, DuckDB type names and rows of CLR values (DBNull → null).</summary>
public sealed class QueryResult(IReadOnlyList<string> columns, IReadOnlyList<string> types, IReadOnlyList<object?[]> rows, bool truncated)
{
    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Columns { get; } = columns;
    /// <summary>DuckDB type names of the columns.</summary>
    public IReadOnlyList<string> Types { get; } = types;
    /// <summary>Rows.</summary>
    public IReadOnlyList<object?[]> Rows { get; } = rows;
    /// <summary>True when more rows existed than were read.</summary>
    public bool Truncated { get; } = truncated;

    /// <summary>The value of a column in a row, by name.</summary>
    public object? this[int row, string column] => Rows[row][IndexOf(column)];

    /// <summary>A row read by column name and type (see <see cref="QueryRow"/>).</summary>
    public QueryRow Row(int index) => new(this, Rows[index]);

    /// <summary>Every row, read by column name and type.</summary>
    public IEnumerable<QueryRow> RowsByName => Rows.Select(r => new QueryRow(this, r));

    /// <summary>Index of a column by name.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase)) return i;
        throw new KeyNotFoundException($"No column '{column}' in the result ({string.Join(", ", Columns)}).");
    }

    /// <summary>The rows of any reader, up to <paramref name="maxRows"/> (for statements run on a connection of one's own, as an audit script is).</summary>
    public static QueryResult Read(IDataReader reader, int maxRows)
    {
        var n = reader.FieldCount;
        var columns = new string[n];
        var types = new string[n];
        for (var i = 0; i < n; i++)
        {
            columns[i] = reader.GetName(i);
            types[i] = reader.GetDataTypeName(i);
        }
        var rows = new List<object?[]>();
        var truncated = false;
        while (reader.Read())
        {
            if (rows.Count >= maxRows)
            {
                truncated = true;
                break;
            }
            var row = new object?[n];
            for (var i = 0; i < n; i++)
                row[i] = Value(reader, i);
            rows.Add(row);
        }
        return new QueryResult(columns, types, rows, truncated);
    }

    /// <summary>
    /// A value that outlives its reader: DuckDB hands a BLOB as a stream over its own memory, freed with the reader, so
    /// it is copied out as bytes (which faces print as hex).
    /// </summary>
    public static object? Value(IDataRecord record, int i)
    {
        if (record.IsDBNull(i)) return null;
        var v = record.GetValue(i);
        if (v is not Stream s) return v;
        using (s)
        {
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        }
    }
}
