using System.Globalization;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>How the objects of a table are stored: delimited text (columns by position) or Parquet (columns by name).</summary>
public enum AthenaFileFormat { Text, Parquet }

/// <summary>
/// One flow-log table Athena reads in place: where the objects are (<see cref="Location"/>: bucket and the prefix before
/// <c>AWSLogs/</c>), their key layout, file format and fields, and the accounts, regions and first day its partition
/// projection enumerates. Partition columns carry a <c>_partition</c> suffix (as AWS's Security Analytics Bootstrap
/// names them) so they never collide with a flow-log field such as <c>region</c>.
/// </summary>
public sealed record AthenaFlowTableDefinition(
    string Database,
    string Table,
    S3Location Location,
    KeyLayout Layout,
    AthenaFileFormat FileFormat,
    IReadOnlyList<FlowField> Fields,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> Regions,
    DateOnly FirstDay,
    IReadOnlyList<string> FlowLogIds)
{
    public const string AccountColumn = "account_partition";
    public const string RegionColumn = "region_partition";
    public const string DayColumn = "day_partition";
    public const string HourColumn = "hour_partition";

    /// <summary>True when other flow logs deliver under the same folders (another format or key layout): a statement must then keep the
    /// table's rows to <see cref="FlowLogIds"/> by the object name (<c>"$path"</c>), since a text table reads columns by
    /// position and the other formats' lines would be misread.</summary>
    public bool SharesLocation { get; init; }

    /// <summary>The fields as a layout (for text, the order of the values in each line).</summary>
    public FlowLogFormat Format => FlowLogFormat.Parse(string.Join(' ', Fields.Select(f => f.Name)), $"table {Database}.{Table}");

    public bool Hive => Layout is KeyLayout.Hive or KeyLayout.HivePerHour;
    public bool PerHour => Layout is KeyLayout.DefaultPerHour or KeyLayout.HivePerHour;

    /// <summary>The data columns in the order of the fields (for text, the order of the values in each line).</summary>
    public IReadOnlyList<(string Name, string Type)> Columns => Fields.Select(f => (ColumnName(f), HiveType(f))).ToList();

    public IReadOnlyList<string> PartitionColumns => PerHour ? [AccountColumn, RegionColumn, DayColumn, HourColumn] : [AccountColumn, RegionColumn, DayColumn];

    /// <summary>The column name AWS's own DDL uses for a field: the field name with '-' as '_' (<c>start</c>, <c>end</c>, <c>pkt_srcaddr</c>),
    /// which is also the Parquet column name AWS writes.</summary>
    public static string ColumnName(FlowField f) => f.Name.Replace('-', '_');

    /// <summary>Hive types as AWS's DDL declares them: ports, protocol and flags int, counters and epoch seconds bigint, the rest string
    /// (addresses too: '-' stands in them on NODATA/SKIPDATA lines).</summary>
    public static string HiveType(FlowField f) => f.Kind switch
    {
        FieldKind.Int32 => "int",
        FieldKind.Int64 or FieldKind.EpochTime => "bigint",
        _ => "string",
    };

    /// <summary>The Java DateTimeFormatter pattern of the day partition: the folder text itself, literals quoted, so one
    /// string column orders days in both layouts.</summary>
    public string DayFormat => Hive ? "'year='yyyy'/month='MM'/day='dd" : "yyyy/MM/dd";

    /// <summary>A day as the day partition spells it.</summary>
    public string DayValue(DateOnly day) => Hive
        ? day.ToString("'year='yyyy'/month='MM'/day='dd", CultureInfo.InvariantCulture)
        : day.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture);

    /// <summary><c>s3://bucket/prefix/AWSLogs/</c></summary>
    public string LogsRootUri => $"s3://{Location.Bucket}/{S3KeyLayout.LogsRoot(Location.Prefix.Length == 0 ? null : Location.Prefix)}";

    /// <summary>The folder of one partition (ends with '/'), the same text as <see cref="StorageTemplate"/> gives for it.</summary>
    public string DayPrefix(string account, string region, DateOnly day)
    {
        var prefix = Location.Prefix.Length == 0 ? null : Location.Prefix;
        var regionFolder = S3KeyLayout.RegionFolder(S3KeyLayout.ServiceFolder(prefix, account, Hive), region, Hive);
        return S3KeyLayout.DayFolder(regionFolder, day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), Hive);
    }

    /// <summary>The projection's <c>storage.location.template</c>: the folder of each partition.</summary>
    public string StorageTemplate
    {
        get
        {
            var account = Hive ? $"aws-account-id=${{{AccountColumn}}}/aws-service=vpcflowlogs/" : $"${{{AccountColumn}}}/vpcflowlogs/";
            var region = Hive ? $"aws-region=${{{RegionColumn}}}/" : $"${{{RegionColumn}}}/";
            var hour = PerHour ? (Hive ? $"/hour=${{{HourColumn}}}" : $"/${{{HourColumn}}}") : "";
            return $"{LogsRootUri}{account}{region}${{{DayColumn}}}{hour}";
        }
    }
}
