using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.TestShared.Athena;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Cli.Tests;

/// <summary>
/// <c>flownb athena ddl|create</c> as an analyst runs them. <c>create</c> finds the Athena stand-in through
/// AWS_ENDPOINT_URL_ATHENA and the credentials through AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (set for the test,
/// restored after); it sits in the s3rver collection, whose tests are the only ones that touch the process environment.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class AthenaCliTests : IDisposable
{
    const string A = "111111111111";
    readonly TempDir dir = new();
    readonly Dictionary<string, string?> saved = [];

    void Env(string name, string? value)
    {
        if (!saved.ContainsKey(name)) saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>The config where <c>flownb collect ec2</c> saves it: ec2/REGION/describe-flow-logs.json.</summary>
    string CollectedConfig()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "evidence", "ec2", "eu-west-1")).FullName;
        var path = Path.Combine(folder, "describe-flow-logs.json");
        File.WriteAllText(path, EveryLayoutFlowLogs.Config);
        return path;
    }

    /// <summary>The printed script split at the lines holding only ';'.</summary>
    static List<string> Statements(string script)
    {
        var statements = new List<string>();
        var current = new List<string>();
        foreach (var line in script.Split('\n'))
        {
            if (line == ";")
            {
                statements.Add(string.Join("\n", current));
                current.Clear();
            }
            else current.Add(line);
        }
        Assert.Equal([""], current); // nothing after the last ';'
        return statements;
    }

    [Fact]
    public void Ddl_prints_each_statement_followed_by_a_semicolon_line_with_the_region_of_the_collected_file()
    {
        var config = CollectedConfig();
        var (code, output, error) = CliRunner.Run("athena", "ddl", "--config", config, "--account", A, "--database", "forensics");
        Assert.True(code == 0, error);
        var printed = Statements(output);
        var plan = AthenaTableSetup.PlanFromFile(config, new AthenaTableOptions { Database = "forensics", Accounts = [A], Regions = ["eu-west-1"] });
        Assert.Equal(AthenaDdl.Statements(plan), printed);
        Assert.All(printed.Skip(1), s => Assert.Contains("\"projection.region_partition.values\"=\"eu-west-1\"", s));
        Assert.All(TrinoGrammar.ValidateDdlAll(printed), Assert.Empty);
        Assert.Contains("flownb: fl-aabbccdd112233445 delivers to cloud-watch-logs", error);

        var (missing, _, why) = CliRunner.Run("athena", "ddl", "--config", config);
        Assert.Equal(1, missing);
        Assert.Contains("--account", why);
    }

    [Fact]
    public void Create_runs_every_statement_in_the_workgroup_and_prints_their_query_execution_ids()
    {
        using var athena = new FakeAthena();
        const string config = """
            {"FlowLogs": [{"CreationTime": "2019-07-19T15:22:29.986Z", "FlowLogId": "fl-01234567890123456", "ResourceId": "vpc-00112233445566778",
              "TrafficType": "ACCEPT", "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::my-flow-log-bucket/custom",
              "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"}]}
            """;
        File.WriteAllText(dir.File("flow-logs.json"), config);
        var plan = AthenaTablePlanner.Plan(FlowLogConfig.ParseDescribeFlowLogs(Encoding.UTF8.GetBytes(config)),
            new AthenaTableOptions { Accounts = [A], Regions = ["us-east-1"] });
        var statements = AthenaDdl.Statements(plan);
        foreach (var s in statements) athena.Add(s, new FakeAthena.Script { StatementType = "DDL", States = ["RUNNING", "SUCCEEDED"] });
        var (awsConfig, credentials) = FakeAthena.WriteProfile(dir);
        Env("AWS_CONFIG_FILE", awsConfig);
        Env("AWS_SHARED_CREDENTIALS_FILE", credentials);
        Env("AWS_ENDPOINT_URL_ATHENA", athena.Endpoint.ToString());

        var (code, output, error) = CliRunner.Run("athena", "create", "--config", dir.File("flow-logs.json"), "--account", A, "--region", "us-east-1",
            "--profile", "forensics", "--workgroup", "forensics", "--output-location", "s3://results-bucket/flownb/");
        Assert.True(code == 0, error);

        var starts = athena.CallsOf("StartQueryExecution");
        Assert.Equal(statements, starts.Select(s => s["QueryString"]!.GetValue<string>()));
        Assert.All(starts, s => Assert.Equal("forensics", s["WorkGroup"]!.GetValue<string>()));
        Assert.All(starts, s => Assert.Equal("s3://results-bucket/flownb/", s["ResultConfiguration"]!["OutputLocation"]!.GetValue<string>()));
        Assert.Equal(starts.Count, starts.Select(s => s["ClientRequestToken"]!.GetValue<string>()).Distinct().Count());
        var ids = athena.CallsOf("GetQueryExecution").Select(c => c["QueryExecutionId"]!.GetValue<string>()).Distinct().ToList();
        Assert.Equal(
            [$"{ids[0]}  CREATE DATABASE IF NOT EXISTS `flownb`", $"{ids[1]}  CREATE EXTERNAL TABLE IF NOT EXISTS `flownb`.`vpc_flow_logs`"],
            output.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(FakeCloudWatchLogs.Secret, output + error);
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        dir.Dispose();
    }
}
