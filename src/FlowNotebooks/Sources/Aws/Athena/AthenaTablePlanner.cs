using System.Text.RegularExpressions;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>What the analyst gives besides describe-flow-logs: names, the accounts and regions whose folders the bucket
/// holds (describe-flow-logs names neither), and optionally another bucket (logs replicated to a central one).</summary>
public sealed record AthenaTableOptions
{
    public string Database { get; init; } = "flownb";
    public string Table { get; init; } = "vpc_flow_logs";
    /// <summary>Read the objects here instead of each flow log's LogDestination (<c>s3://bucket/prefix</c>).</summary>
    public S3Location? Bucket { get; init; }
    public IReadOnlyList<string> Accounts { get; init; } = [];
    public IReadOnlyList<string> Regions { get; init; } = [];
}

/// <summary>The tables a set of flow logs needs, and what was left out and why.</summary>
public sealed record AthenaTablePlan(IReadOnlyList<AthenaFlowTableDefinition> Tables, IReadOnlyList<string> Notes);

/// <summary>
/// Turns describe-flow-logs into tables Athena can read without a crawler: one table per location, key layout and file
/// format, and for text one per LogFormat as well (a text table maps columns by position, so each format needs its
/// own; Parquet maps them by name, so formats at one location share a table whose columns are the union, in order of
/// first appearance). Flow logs that deliver to CloudWatch Logs or Firehose are left out with a note.
/// </summary>
public static partial class AthenaTablePlanner
{
    /// <summary>S3 delivery began in 2018; a table with no creation time projects days from then.</summary>
    static readonly DateOnly EarliestDelivery = new(2018, 1, 1);

    /// <exception cref="FormatException">A name, account or region is not valid, none is given, or no flow log delivers to S3.</exception>
    public static AthenaTablePlan Plan(IReadOnlyList<FlowLogConfig> flowLogs, AthenaTableOptions options)
    {
        CheckName(options.Database, "--database");
        CheckName(options.Table, "--table");
        if (options.Accounts.Count == 0)
            throw new FormatException("Name the accounts whose flow logs the bucket holds (--account 123456789012, repeatable): describe-flow-logs does not say, and the table's partition projection enumerates them.");
        if (options.Regions.Count == 0)
            throw new FormatException("Name the regions whose flow logs the bucket holds (--region us-east-1, repeatable): describe-flow-logs does not say, and the table's partition projection enumerates them.");
        foreach (var a in options.Accounts)
            if (!AccountPattern().IsMatch(a)) throw new FormatException($"--account: '{a}' is not a 12-digit AWS account id.");
        foreach (var r in options.Regions)
            if (!S3KeyLayout.IsRegionName(r)) throw new FormatException($"--region: '{r}' is not an AWS region name (such as eu-west-1).");

        var notes = new List<string>();
        var s3 = new List<(FlowLogConfig Log, S3Location Location)>();
        foreach (var log in flowLogs)
        {
            if (!string.Equals(log.LogDestinationType, "s3", StringComparison.OrdinalIgnoreCase))
            {
                notes.Add($"{log.FlowLogId} delivers to {log.LogDestinationType ?? "an unknown destination"}, not S3: Athena cannot read it in place; left out.");
                continue;
            }
            var location = options.Bucket ?? FromArn(log.LogDestination, log.FlowLogId);
            s3.Add((log, location with { Prefix = location.Prefix.Trim('/') }));
        }
        if (s3.Count == 0) throw new FormatException("No flow log in the describe-flow-logs file delivers to S3, so there is no table to make.");

        var groups = s3
            .GroupBy(x => (x.Location.Bucket, x.Location.Prefix, Parquet: IsParquet(x.Log), Layout: Layout(x.Log),
                Format: IsParquet(x.Log) ? "" : x.Log.Format.Signature))
            .ToList();
        var tables = new List<AthenaFlowTableDefinition>();
        foreach (var g in groups)
        {
            var logs = g.Select(x => x.Log).ToList();
            var fields = new List<FlowField>();
            foreach (var f in logs.SelectMany(l => l.Format.Fields))
                if (!fields.Any(x => x.Name == f.Name)) fields.Add(f);
            var created = logs.Where(l => l.CreationTime is not null).Select(l => DateOnly.FromDateTime(l.CreationTime!.Value)).DefaultIfEmpty(EarliestDelivery).Min();
            var name = groups.Count == 1 ? options.Table : $"{options.Table}_{logs[0].FlowLogId.Replace('-', '_').ToLowerInvariant()}";
            // Other flow logs whose objects lie under this table's partition folders: the same key layout, or, for a daily
            // table, the per-hour one of the same kind (Athena reads a partition's folder with its subfolders, and the
            // hour folders are inside the day folder).
            var sharing = !g.Key.Parquet && groups.Any(o => o != g && o.Key.Bucket == g.Key.Bucket && o.Key.Prefix == g.Key.Prefix
                && IsHive(o.Key.Layout) == IsHive(g.Key.Layout) && (o.Key.Layout == g.Key.Layout || !IsPerHour(g.Key.Layout)));
            tables.Add(new AthenaFlowTableDefinition(options.Database, name, new S3Location(g.Key.Bucket, g.Key.Prefix), g.Key.Layout,
                g.Key.Parquet ? AthenaFileFormat.Parquet : AthenaFileFormat.Text, fields, options.Accounts.ToList(), options.Regions.ToList(), created,
                logs.Select(l => l.FlowLogId).ToList()) { SharesLocation = sharing });
            if (sharing)
                notes.Add($"{name}: other flow logs (other formats or key layouts) deliver under the same folders; queries keep its rows to {string.Join(", ", logs.Select(l => l.FlowLogId))} by object name (\"$path\"), and every object there is listed and counted in scan estimates.");
        }
        return new AthenaTablePlan(tables, notes);
    }

    static bool IsHive(KeyLayout l) => l is KeyLayout.Hive or KeyLayout.HivePerHour;
    static bool IsPerHour(KeyLayout l) => l is KeyLayout.DefaultPerHour or KeyLayout.HivePerHour;

    static bool IsParquet(FlowLogConfig log) => string.Equals(log.FileFormat, "parquet", StringComparison.OrdinalIgnoreCase);

    static KeyLayout Layout(FlowLogConfig log) => (log.HiveCompatiblePartitions, log.PerHourPartition) switch
    {
        (false, false) => KeyLayout.Default,
        (false, true) => KeyLayout.DefaultPerHour,
        (true, false) => KeyLayout.Hive,
        (true, true) => KeyLayout.HivePerHour,
    };

    /// <summary><c>arn:aws:s3:::bucket/prefix</c> (any partition: aws, aws-cn, aws-us-gov).</summary>
    static S3Location FromArn(string? arn, string flowLogId)
    {
        var m = arn is null ? null : S3ArnPattern().Match(arn);
        if (m is null || !m.Success)
            throw new FormatException($"{flowLogId}: LogDestination '{arn}' is not an S3 bucket ARN; give the bucket with --bucket s3://bucket/prefix.");
        return new S3Location(m.Groups["bucket"].Value, m.Groups["prefix"].Value);
    }

    static void CheckName(string name, string option)
    {
        if (!NamePattern().IsMatch(name))
            throw new FormatException($"{option}: '{name}' is not a name Athena keeps as given; use lower-case letters, digits and '_' (at most 128).");
    }

    [GeneratedRegex(@"^[a-z0-9_]{1,128}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:s3:::(?<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/(?<prefix>.*))?$")]
    private static partial Regex S3ArnPattern();
}
