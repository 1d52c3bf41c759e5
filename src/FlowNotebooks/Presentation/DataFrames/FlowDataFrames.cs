using System.Data;
using FlowNotebooks.Store;
using Microsoft.Data.Analysis;

namespace FlowNotebooks.Presentation.DataFrames;

/// <summary>Query results as <see cref="DataFrame"/>s with typed columns (a loop of typed reads: DataFrame.LoadFrom boxes
/// every cell and rejects HUGEINT).</summary>
public static class FlowDataFrames
{
    /// <summary>The row cap when none is given: ~70 MB of flow-like rows. Bigger results throw, see <see cref="RowLimitExceededException"/>.</summary>
    public const int DefaultMaxRows = 1_000_000;

    /// <summary>Reads the rest of a reader. <paramref name="maxRows"/> of 0 or less means no cap.</summary>
    public static DataFrame Read(IDataReader reader, int maxRows = DefaultMaxRows)
    {
        var names = UniqueNames(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var sinks = names.Select((n, i) => ColumnSink.For(reader.GetFieldType(i), n)).ToArray();
        var rows = 0;
        while (reader.Read())
        {
            if (maxRows > 0 && rows == maxRows) throw new RowLimitExceededException(maxRows);
            for (var i = 0; i < sinks.Length; i++)
            {
                if (reader.IsDBNull(i)) sinks[i].AddNull();
                else sinks[i].Add(reader, i);
            }
            rows++;
        }
        return new DataFrame(sinks.Select(s => s.Build()));
    }

    /// <summary>Converts a result already in memory (for example one a procedure produced). Column types come from the
    /// first non-null value; an all-null column becomes text.</summary>
    public static DataFrame FromQueryResult(QueryResult result)
    {
        var names = UniqueNames(result.Columns);
        var sinks = new ColumnSink[names.Count];
        for (var i = 0; i < sinks.Length; i++)
        {
            var type = result.Rows.Select(r => r[i]).FirstOrDefault(v => v is not null)?.GetType() ?? typeof(string);
            sinks[i] = ColumnSink.For(type, names[i]);
        }
        foreach (var row in result.Rows)
        {
            for (var i = 0; i < sinks.Length; i++)
            {
                if (row[i] is { } v) sinks[i].Add(v);
                else sinks[i].AddNull();
            }
        }
        return new DataFrame(sinks.Select(s => s.Build()));
    }

    /// <summary>Runs a query on a case store straight into a DataFrame.</summary>
    public static DataFrame Query(CaseStore store, string sql, IReadOnlyList<object?>? parameters = null, int maxRows = DefaultMaxRows) =>
        store.Read(sql, parameters, reader => Read(reader, maxRows));

    /// <summary>A DataFrame needs unique column names; SQL does not (<c>SELECT a.x, b.x</c>). Repeats get " (2)", " (3)".</summary>
    static List<string> UniqueNames(IEnumerable<string> names)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<string>();
        foreach (var name in names)
        {
            var n = seen[name] = seen.GetValueOrDefault(name) + 1;
            unique.Add(n == 1 ? name : $"{name} ({n})");
        }
        return unique;
    }
}
