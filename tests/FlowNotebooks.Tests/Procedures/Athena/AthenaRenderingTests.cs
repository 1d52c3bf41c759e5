using System.Text.RegularExpressions;
using FlowNotebooks.Procedures;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;
using static FlowNotebooks.Tests.TestSupport.CliRunner;

namespace FlowNotebooks.Tests.Procedures.Athena;

/// <summary>The statements as Athena receives them: engine-3 text free of DuckDB-only syntax and reading each table once,
/// DuckDB-engine text run by DuckDB, the query ids and bytes kept with the case.</summary>
public sealed class AthenaStatementsTests(VpcCompromiseOnTrino trino, VpcCompromiseOnDuckDbEngine duck)
    : IClassFixture<VpcCompromiseOnTrino>, IClassFixture<VpcCompromiseOnDuckDbEngine>
{
    [Fact]
    public void Engine3_statements_hold_no_duckdb_only_syntax_and_read_each_table_once()
    {
        Assert.Equal(5, trino.Athena.Received.Count);
        foreach (var r in trino.Athena.Received)
        {
            Assert.Empty(TrinoDenyList.Violations(r.Sql));
            foreach (var s in trino.Athena.Sources)
                Assert.Single(Regex.Matches(r.Sql, Regex.Escape($"\"{s.Table.Database}\".\"{s.Table.Table}\"")));
            Assert.Contains("day BETWEEN", r.Sql);
        }
    }

    [Fact]
    public void Duckdb_engine_statements_are_duckdb_sql_that_ran()
    {
        // They ran on DuckDB without the shim macros' help for their own spellings: integer division and series are DuckDB's.
        Assert.Equal(5, duck.Athena.Received.Count);
        Assert.Contains(duck.Athena.Received, r => r.Sql.Contains(" // 60", StringComparison.Ordinal));
        Assert.Contains(duck.Athena.Received, r => r.Sql.Contains("generate_series(", StringComparison.Ordinal));
        Assert.DoesNotContain(duck.Athena.Received, r => r.Sql.Contains("sequence(", StringComparison.Ordinal) || r.Sql.Contains("regexp_like(", StringComparison.Ordinal));
    }

    [Fact]
    public void The_case_keeps_each_query_its_engine_and_the_statement_as_run_and_the_audit_names_them()
    {
        var kept = trino.Remote.Query("SELECT name, engine, query_execution_id, statement FROM athena_queries ORDER BY query_execution_id").Rows;
        Assert.Equal(trino.Queries.Select(q => q.QueryExecutionId), kept.Select(r => (string)r[2]!));
        Assert.Equal(trino.Athena.Received.Select(r => r.Sql), kept.Select(r => (string)r[3]!));
        Assert.All(kept, r => Assert.Equal("Athena engine version 3 (Trino)", r[1]));
        var audit = trino.Run("exfil-ledger").Athena.Audit!.DerivedTables!;
        foreach (var q in trino.Queries)
            Assert.Contains(audit.Statements, s => s.Sql.Contains(q.QueryExecutionId, StringComparison.Ordinal) && s.Sql.Contains(q.Statement, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_objects_athena_read_are_evidence_named_by_s3_uri_with_athenas_record_counts()
    {
        var objects = trino.Athena.Received[0].Sql;
        var local = trino.Local.Query("SELECT count(*), sum(records) FROM evidence WHERE object LIKE '%.log.gz'").Rows[0];
        var remote = trino.Remote.Query("SELECT count(*), sum(records), count(*) FILTER (WHERE object LIKE 's3://%' AND sha256 = $1) FROM evidence WHERE object LIKE '%.log.gz'", [AthenaCase.NotFetched]).Rows[0];
        Assert.Equal(local[0], remote[0]);
        Assert.Equal(local[1], remote[1]);
        Assert.Equal(remote[0], remote[2]);
        Assert.Contains("GROUP BY object", objects);
    }
}

/// <summary>The scan guard and the dry run: nothing is sent when either stops the run.</summary>
public sealed class AthenaGuardTests
{
    sealed class Recorder : IAthenaQueries
    {
        public int Calls;
        public Task<AthenaQueryOutcome> RunAsync(AthenaQueryRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InvalidOperationException("sent");
        }
    }

    sealed class Estimated(long bytes) : IAthenaFlowTable
    {
        public string Database => "flowlogs";
        public string Table => "vpc_flow_logs";
        public string PartitionPredicate(DateTimeOffset from, DateTimeOffset to, AthenaEngine engine) => "day = '2025/11/18'";
        public Task<AthenaScanEstimate> EstimateScanAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            Task.FromResult(new AthenaScanEstimate(bytes, 1200, ["s3://b/AWSLogs/1/vpcflowlogs/eu-west-1/2025/11/17/", "s3://b/AWSLogs/1/vpcflowlogs/eu-west-1/2025/11/18/"]));
    }

    [Fact]
    public async Task A_run_estimated_above_max_scan_is_refused_before_any_statement_is_sent()
    {
        var queries = new Recorder();
        var sources = new[] { new AthenaFlowSource(new Estimated(60_000_000_001), Formats.FlowLogFormat.Default, []) };
        using var store = CaseStore.Open();
        using var connection = new AthenaConnection(queries, sources, AthenaEngine.Trino, "wg");
        var ex = await Assert.ThrowsAsync<AthenaScanRefusedException>(() => AthenaAnalysis.RunAsync(ProcedureRegistry.Get("exfil-ledger"),
            new Dictionary<string, object?>(), connection, store,
            new DateTime(2025, 11, 18, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 11, 19, 0, 0, 0, DateTimeKind.Utc), Path.GetTempPath()));
        Assert.Equal(0, queries.Calls);
        // Five statements, each reading the listed partitions: 5 × 60 GB against the default 50 GB.
        Assert.Equal(50_000_000_000, connection.MaxScanBytes);
        Assert.Contains("about 60 GB in 1200 objects under 2 partition folders, read by each of its 5 statements: about 300 GB in all, above --max-scan 50 GB", ex.Message);
        Assert.Contains("2025/11/17/", ex.Message);
        Assert.Contains("raise the limit with --max-scan 301GB", ex.Message);
    }

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
        Assert.Equal(new AthenaCase(new Recorder(), [new AthenaFlowSource(new Estimated(0), Formats.FlowLogFormat.Default, [])], AthenaEngine.Trino, "wg", null)
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
