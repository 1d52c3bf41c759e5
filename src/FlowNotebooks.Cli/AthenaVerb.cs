using System.CommandLine;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Cli;

/// <summary>
/// <c>flownb athena ddl|create --config describe-flow-logs.json --account A [--region R] [--bucket s3://…] [--database D] [--table T]</c>:
/// the tables that let Athena read the flow-log bucket in place (partition projection: no crawler, no MSCK REPAIR).
/// <c>ddl</c> prints the statements, each followed by a line holding only ';'; <c>create</c> runs them in a workgroup.
/// </summary>
internal static class AthenaVerb
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("athena", "Query the flow-log bucket in place with Amazon Athena: make its tables (ddl, create).");
        command.Subcommands.Add(Ddl(output, error));
        command.Subcommands.Add(CreateTables(output, error));
        return command;
    }

    sealed class TableOptions
    {
        public readonly Option<string> Config = new("--config") { Description = "describe-flow-logs JSON (aws ec2 describe-flow-logs, or ec2/REGION/describe-flow-logs.json from flownb collect ec2).", Required = true };
        public readonly Option<string?> Bucket = new("--bucket") { Description = "s3://BUCKET[/PREFIX] holding AWSLogs/, instead of each flow log's destination (e.g. a central copy)." };
        public readonly Option<string> Database = new("--database") { Description = "Athena (Glue) database.", DefaultValueFactory = _ => "flownb" };
        public readonly Option<string> Table = new("--table") { Description = "Table name; with several formats or layouts, each table gets the id of its first flow log appended.", DefaultValueFactory = _ => "vpc_flow_logs" };
        public readonly Option<string[]> Account = new("--account") { Description = "Accounts whose folders the bucket holds (repeatable or comma-separated; required: describe-flow-logs does not name them)." };
        public readonly Option<string[]> Region = new("--region") { Description = "Regions whose folders the bucket holds (repeatable or comma-separated). Default: the region folder the collector saved --config in." };

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Config, Bucket, Database, Table, Account, Region }) c.Options.Add(o);
        }

        public AthenaTablePlan Plan(ParseResult parse, TextWriter error)
        {
            static string[] List(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var plan = AthenaTableSetup.PlanFromFile(parse.GetValue(Config)!, new AthenaTableOptions
            {
                Database = parse.GetValue(Database)!, Table = parse.GetValue(Table)!,
                Bucket = parse.GetValue(Bucket) is { } b ? S3Location.Parse(b) : null,
                Accounts = List(parse.GetValue(Account)), Regions = List(parse.GetValue(Region)),
            });
            foreach (var note in plan.Notes) error.WriteLine($"flownb: {note}");
            return plan;
        }
    }

    static Command Ddl(TextWriter output, TextWriter error)
    {
        var options = new TableOptions();
        var command = new Command("ddl", "Print the CREATE DATABASE / CREATE EXTERNAL TABLE statements, each followed by a line holding only ';'.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            output.Write(AthenaTableSetup.Script(AthenaDdl.Statements(options.Plan(parse, error))));
            return 0;
        });
        return command;
    }

    static Command CreateTables(TextWriter output, TextWriter error)
    {
        var options = new TableOptions();
        var workGroup = new Option<string>("--workgroup") { Description = "Athena workgroup to run the statements in.", DefaultValueFactory = _ => "primary" };
        var outputLocation = new Option<string?>("--output-location") { Description = "s3:// folder for query results, when the workgroup sets none." };
        var profile = new Option<string?>("--profile") { Description = "AWS profile (default: AWS_PROFILE, then the default chain). Athena is called in the profile's region; AWS_ENDPOINT_URL_ATHENA overrides the endpoint." };
        var command = new Command("create", "Run the statements of 'athena ddl' on Athena, one by one, and print each query execution id.") { workGroup, outputLocation, profile };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var plan = options.Plan(parse, error);
            var settings = new AwsSettings { Profile = parse.GetValue(profile) };
            try
            {
                using var client = new AthenaClient(settings);
                var created = AthenaTableSetup.CreateAsync(client, plan, parse.GetValue(workGroup)!, parse.GetValue(outputLocation), CancellationToken.None).GetAwaiter().GetResult();
                foreach (var c in created) output.WriteLine($"{c.QueryExecutionId}  {c.Statement.Split('\n')[0].TrimEnd(' ', '(')}");
            }
            catch (Exception ex) when (ex is AwsCallException or HttpRequestException or IOException)
            {
                throw AwsErrors.Explain(ex, "Creating the Athena tables", settings);
            }
            return 0;
        });
        return command;
    }
}
