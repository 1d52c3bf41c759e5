using System.CommandLine;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Cli;

/// <summary>The options that name the flow-log tables on Athena, read from describe-flow-logs: <c>flownb athena ddl|create</c>
/// make them, <c>flownb analyze --athena</c> reads them (the same options give the same tables).</summary>
internal sealed class AthenaTableCliOptions(bool configRequired)
{
    public readonly Option<string?> Config = new("--config") { Description = "describe-flow-logs JSON (aws ec2 describe-flow-logs, or ec2/REGION/describe-flow-logs.json from flownb collect ec2).", Required = configRequired };
    public readonly Option<string?> Bucket = new("--bucket") { Description = "s3://BUCKET[/PREFIX] holding AWSLogs/, instead of each flow log's destination (e.g. a central copy)." };
    public readonly Option<string> Database = new("--database") { Description = "Athena (Glue) database.", DefaultValueFactory = _ => "flownb" };
    public readonly Option<string> Table = new("--table") { Description = "Table name; with several formats or layouts, each table gets the id of its first flow log appended.", DefaultValueFactory = _ => "vpc_flow_logs" };
    public readonly Option<string[]> Account = new("--account") { Description = "Accounts whose folders the bucket holds (repeatable or comma-separated; required: describe-flow-logs does not name them)." };
    public readonly Option<string[]> Region = new("--region") { Description = "Regions whose folders the bucket holds (repeatable or comma-separated). Default: the region folder the collector saved --config in." };

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { Config, Bucket, Database, Table, Account, Region }) c.Options.Add(o);
    }

    /// <summary>The table options as given (the describe-flow-logs file is read by the caller).</summary>
    public AthenaTableOptions Options(ParseResult parse)
    {
        static string[] List(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        return new AthenaTableOptions
        {
            Database = parse.GetValue(Database)!, Table = parse.GetValue(Table)!,
            Bucket = parse.GetValue(Bucket) is { } b ? S3Location.Parse(b) : null,
            Accounts = List(parse.GetValue(Account)), Regions = List(parse.GetValue(Region)),
        };
    }

    public AthenaTablePlan Plan(ParseResult parse, TextWriter error)
    {
        var plan = AthenaTableSetup.PlanFromFile(parse.GetValue(Config)!, Options(parse));
        foreach (var note in plan.Notes) error.WriteLine($"flownb: {note}");
        return plan;
    }
}
