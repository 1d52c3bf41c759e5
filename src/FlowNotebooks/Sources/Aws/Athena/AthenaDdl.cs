using System.Globalization;
using System.Text;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>
/// The DDL that makes flow-log tables readable by Athena with partition projection, so no Glue crawler, MSCK REPAIR
/// or ALTER TABLE ADD PARTITION is ever needed: partitions are computed from the table properties at query time.
/// Follows AWS's documented statements (Athena User Guide, "Querying Amazon VPC flow logs" and its partition-projection
/// examples: text with <c>ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '</c> and a skipped header line, Parquet with the
/// ParquetHiveSerDe); the Hive-compatible layout with projection is composed from the documented projection rules
/// (a template may hold literals such as <c>year=</c>; a date format may quote literals). Each statement is one string
/// without a trailing ';' (Athena takes one statement per StartQueryExecution).
/// </summary>
public static class AthenaDdl
{
    /// <summary>Every statement the tables need, database first.</summary>
    public static IReadOnlyList<string> Statements(AthenaTablePlan plan) =>
        [.. plan.Tables.Select(t => t.Database).Distinct(StringComparer.Ordinal).Select(CreateDatabase), .. plan.Tables.Select(CreateTable)];

    public static string CreateDatabase(string database) => $"CREATE DATABASE IF NOT EXISTS `{database}`";

    public static string CreateTable(AthenaFlowTableDefinition t)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"CREATE EXTERNAL TABLE IF NOT EXISTS `{t.Database}`.`{t.Table}` (\n");
        sb.Append(string.Join(",\n", t.Columns.Select(c => $"  `{c.Name}` {c.Type}"))).Append("\n)\n");
        sb.Append("PARTITIONED BY (").Append(string.Join(", ", t.PartitionColumns.Select(c => $"`{c}` string"))).Append(")\n");
        if (t.FileFormat == AthenaFileFormat.Text)
            sb.Append("ROW FORMAT DELIMITED\nFIELDS TERMINATED BY ' '\n");
        else
            sb.Append("ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n")
              .Append("STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n")
              .Append("OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n");
        sb.Append(CultureInfo.InvariantCulture, $"LOCATION '{t.LogsRootUri}'\n");
        sb.Append("TBLPROPERTIES (\n");
        sb.Append(string.Join(",\n", Properties(t).Select(p => $"  \"{p.Key}\"=\"{p.Value}\""))).Append("\n)");
        return sb.ToString();
    }

    /// <summary>The table properties: the header line skipped (text), then the projection of each partition column and
    /// the storage template (partition-projection-supported-types: enum, date with format/interval, integer with digits).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Properties(AthenaFlowTableDefinition t)
    {
        var p = new List<KeyValuePair<string, string>>();
        void Add(string k, string v) => p.Add(new(k, v));
        if (t.FileFormat == AthenaFileFormat.Text) Add("skip.header.line.count", "1");
        else Add("EXTERNAL", "true");
        Add("projection.enabled", "true");
        Add($"projection.{AthenaFlowTableDefinition.AccountColumn}.type", "enum");
        Add($"projection.{AthenaFlowTableDefinition.AccountColumn}.values", string.Join(",", t.Accounts));
        Add($"projection.{AthenaFlowTableDefinition.RegionColumn}.type", "enum");
        Add($"projection.{AthenaFlowTableDefinition.RegionColumn}.values", string.Join(",", t.Regions));
        Add($"projection.{AthenaFlowTableDefinition.DayColumn}.type", "date");
        Add($"projection.{AthenaFlowTableDefinition.DayColumn}.range", $"{t.DayValue(t.FirstDay)},NOW");
        Add($"projection.{AthenaFlowTableDefinition.DayColumn}.format", t.DayFormat);
        Add($"projection.{AthenaFlowTableDefinition.DayColumn}.interval", "1");
        Add($"projection.{AthenaFlowTableDefinition.DayColumn}.interval.unit", "DAYS");
        if (t.PerHour)
        {
            Add($"projection.{AthenaFlowTableDefinition.HourColumn}.type", "integer");
            Add($"projection.{AthenaFlowTableDefinition.HourColumn}.range", "0,23");
            Add($"projection.{AthenaFlowTableDefinition.HourColumn}.digits", "2");
        }
        Add("storage.location.template", t.StorageTemplate);
        return p;
    }
}
