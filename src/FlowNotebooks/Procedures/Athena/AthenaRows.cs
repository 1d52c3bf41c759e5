using System.Globalization;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>Athena results into a local table, typed by Athena's column types (what the local statements then read).</summary>
internal static class AthenaRows
{
    /// <summary>Replaces <paramref name="table"/> (a temporary table of the case connection) with the outcome's rows.</summary>
    public static void Load(CaseStore store, string table, AthenaQueryOutcome outcome)
    {
        var types = outcome.Columns.Select(c => DuckType(c.Type)).ToArray();
        store.Execute($"CREATE OR REPLACE TABLE {SqlText.Identifier(table)} ("
            + string.Join(", ", outcome.Columns.Select((c, i) => $"{SqlText.Identifier(c.Name)} {types[i]}")) + ")");
        using var connection = store.NewConnection();
        using var appender = connection.CreateAppender(table);
        foreach (var row in outcome.Rows)
        {
            var r = appender.CreateRow();
            for (var i = 0; i < types.Length; i++)
            {
                var v = row[i];
                if (v is null) { r.AppendNullValue(); continue; }
                switch (types[i])
                {
                    case "BIGINT": r.AppendValue(Convert.ToInt64(v, CultureInfo.InvariantCulture)); break;
                    case "INTEGER": r.AppendValue(Convert.ToInt32(v, CultureInfo.InvariantCulture)); break;
                    case "BOOLEAN": r.AppendValue(Convert.ToBoolean(v, CultureInfo.InvariantCulture)); break;
                    case "DOUBLE": r.AppendValue(Convert.ToDouble(v, CultureInfo.InvariantCulture)); break;
                    default: r.AppendValue(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
                }
            }
            r.EndRow();
        }
    }

    // Athena's type names (engine 3 and DuckDB engine) to the local column type; anything else stays text.
    static string DuckType(string athenaType) => athenaType.ToLowerInvariant() switch
    {
        "bigint" or "hugeint" => "BIGINT",
        "integer" or "int" or "smallint" or "tinyint" => "INTEGER",
        "boolean" => "BOOLEAN",
        "double" or "real" or "float" => "DOUBLE",
        _ => "VARCHAR",
    };
}
