using System.Text.RegularExpressions;
using FlowNotebooks.Procedures;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;
using FlowNotebooks.TestShared.Athena;

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
        // And each parses with the Trino grammar (dt-sql-parser), which the deny-list above complements.
        Assert.All(FlowNotebooks.TestShared.Athena.TrinoGrammar.ValidateAll([.. trino.Athena.Received.Select(r => r.Sql)]), Assert.Empty);
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

/// <summary>The scan guard: nothing is sent when it stops the run (the dry run: FlowNotebooks.Cli.Tests).</summary>
public sealed class AthenaGuardTests
{
    [Fact]
    public async Task A_run_estimated_above_max_scan_is_refused_before_any_statement_is_sent()
    {
        var queries = new SendRecorder();
        var sources = new[] { new AthenaFlowSource(new EstimatedFlowTable(60_000_000_001), FlowNotebooks.Formats.FlowLogFormat.Default, []) };
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
}
