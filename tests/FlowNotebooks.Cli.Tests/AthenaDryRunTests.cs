using FlowNotebooks.Formats;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;
using FlowNotebooks.TestShared.Athena;
using FlowNotebooks.Tests.Procedures.Athena;
using static FlowNotebooks.Cli.Tests.CliRunner;

namespace FlowNotebooks.Cli.Tests;

/// <summary><c>flownb analyze --athena --dry-run</c>: the statements Athena would get, printed and runnable; what the
/// analyst types is checked before anything is built.</summary>
public sealed class AthenaDryRunTests
{
    /// <summary>describe-flow-logs of one flow log in AWS's default format, delivering to S3 since 2025.</summary>
    static string Config()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fnb-athena-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {"FlowLogs": [{"CreationTime": "2025-01-01T00:00:00Z", "FlowLogId": "fl-0123456789abcdef0", "ResourceId": "vpc-00112233445566778",
              "TrafficType": "ALL", "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::flow-bucket",
              "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
              "DestinationOptions": {"FileFormat": "plain-text", "HiveCompatiblePartitions": false, "PerHourPartition": false}}]}
            """);
        return path;
    }

    static string[] Table => ["--config", Config(), "--account", "111111111111", "--region", "eu-west-1", "--database", "flowlogs", "--table", "vpc_flow_logs"];

    [Fact]
    public void Dry_run_prints_every_statement_each_followed_by_a_semicolon_line_and_the_statements_run_on_the_table_they_name()
    {
        var (code, output, err) = Run(["analyze", "lateral-movement", "--athena", "--workgroup", "wg", .. Table,
            "--dry-run", "-p", "from=2025-11-18T00:00:00Z", "-p", "to=2025-11-19T00:00:00Z"]);
        Assert.True(code == 0, err);
        var lines = output.Replace("\r\n", "\n").Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.Equal(";", lines[^2]);
        var statements = string.Join("\n", lines).Split("\n;\n", StringSplitOptions.RemoveEmptyEntries).Where(s => s.Trim().Length > 0).ToList();
        Assert.Equal(new AthenaCase(new SendRecorder(), [new AthenaFlowSource(new EstimatedFlowTable(0), FlowLogFormat.Default, [])], AthenaEngine.Trino, "wg", null)
            .Statements(new DateTime(2025, 11, 18), new DateTime(2025, 11, 19)).Count, statements.Count);
        // A day either side of the window (keys are stamped by delivery), an hour either side for the records themselves.
        var from = new DateTimeOffset(2025, 11, 17, 23, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var to = new DateTimeOffset(2025, 11, 19, 1, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        using var db = CaseStore.Open();
        db.Execute(AthenaDialect.ShimMacros);
        db.Execute("""
            CREATE SCHEMA flowlogs;
            CREATE TABLE flowlogs.vpc_flow_logs (version INTEGER, account_id VARCHAR, interface_id VARCHAR, srcaddr VARCHAR, dstaddr VARCHAR,
              srcport INTEGER, dstport INTEGER, protocol INTEGER, packets BIGINT, bytes BIGINT, start BIGINT, "end" BIGINT, action VARCHAR,
              log_status VARCHAR, "$path" VARCHAR, account_partition VARCHAR, region_partition VARCHAR, day_partition VARCHAR)
            """);
        foreach (var s in statements)
        {
            Assert.Contains("FROM \"flowlogs\".\"vpc_flow_logs\"", s);
            Assert.Contains("\"day_partition\" >= '2025/11/17' AND \"day_partition\" <= '2025/11/19'", s);
            Assert.Contains($"\"end\" >= {from} AND start < {to}", s);
            Assert.Empty(TrinoDenyList.Violations(string.Join("\n", s.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)))));
            db.Query(s);
        }
    }

    [Theory]
    [InlineData("--engine=v2", "--engine 'v2': use v3 or duckdb.")]
    [InlineData("--max-scan=lots", "--max-scan")]
    [InlineData("-p=to=2025-11-17T00:00:00Z", "from")]
    public void What_the_analyst_types_for_athena_is_checked_before_anything_is_built(string bad, string said)
    {
        List<string> args = ["analyze", "beaconing", "--athena", "--workgroup", "wg", .. Table, "--dry-run", "-p", "from=2025-11-18T00:00:00Z"];
        if (!bad.StartsWith("-p=", StringComparison.Ordinal)) args.AddRange(["-p", "to=2025-11-19T00:00:00Z"]);
        var eq = bad.IndexOf('=');
        args.AddRange([bad[..eq], bad[(eq + 1)..]]);
        var (code, output, err) = Run([.. args]);
        Assert.NotEqual(0, code);
        Assert.Contains(said, err);
        Assert.Equal("", output);
    }

    [Fact]
    public void Athena_without_a_workgroup_says_which_option_is_missing()
    {
        var (code, _, err) = Run(["analyze", "beaconing", "--athena", .. Table, "--dry-run", "-p", "from=2025-11-18T00:00:00Z", "-p", "to=2025-11-19T00:00:00Z"]);
        Assert.NotEqual(0, code);
        Assert.Contains("--athena needs --workgroup", err);
        var (noConfig, _, said) = Run("analyze", "beaconing", "--athena", "--workgroup", "wg", "--dry-run", "-p", "from=2025-11-18T00:00:00Z", "-p", "to=2025-11-19T00:00:00Z");
        Assert.NotEqual(0, noConfig);
        Assert.Contains("--athena needs --config describe-flow-logs.json", said);
    }
}
