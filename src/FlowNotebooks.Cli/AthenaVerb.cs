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

    static Command Ddl(TextWriter output, TextWriter error)
    {
        var options = new AthenaTableCliOptions(configRequired: true);
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
        var options = new AthenaTableCliOptions(configRequired: true);
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
