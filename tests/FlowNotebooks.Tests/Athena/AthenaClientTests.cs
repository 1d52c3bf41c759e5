using System.Globalization;
using System.Text.Json.Nodes;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Athena;

public sealed class AthenaClientTests
{
    const string WorkGroup = "forensics";
    static readonly AthenaPolling FastPolling = new() { First = TimeSpan.FromMilliseconds(1), Max = TimeSpan.FromMilliseconds(2) };

    /// <summary>Credentials in temp shared files; the endpoint from AWS_ENDPOINT_URL_ATHENA, the override under test.</summary>
    static AwsSettings Settings(TempDir dir, FakeAthena server) => server.Settings(dir);

    static AthenaQueryRequest Request(string sql, params string[] parameters) =>
        new(sql, WorkGroup, "flowlogs", "s3://results-bucket/flownb/", parameters, AthenaClient.NewClientRequestToken());

    static readonly (string, string)[] Columns =
    [
        ("srcaddr", "varchar"), ("bytes", "bigint"), ("dstport", "integer"), ("share", "double"), ("rejected", "boolean"),
        ("day", "date"), ("first_seen", "timestamp"), ("ports", "array(integer)"),
    ];

    /// <summary>Row i as Athena prints it; every third srcaddr and every fifth share is NULL.</summary>
    static string?[] TextRow(int i) =>
    [
        i % 3 == 0 ? null : $"10.0.0.{i}", (i * 1_000_000_007L).ToString(CultureInfo.InvariantCulture), (1000 + i).ToString(CultureInfo.InvariantCulture),
        i % 5 == 0 ? null : (i / 8.0).ToString(CultureInfo.InvariantCulture), i % 2 == 0 ? "true" : "false",
        $"2026-03-{i % 28 + 1:D2}", $"2026-03-10 10:{i % 60:D2}:05.250", $"[{i}, {i + 1}]",
    ];

    [Fact]
    public async Task A_select_is_started_polled_through_requeueing_and_read_page_by_page_typed_with_nulls_and_no_header_row()
    {
        using var dir = new TempDir();
        using var server = new FakeAthena();
        const string sql = "SELECT srcaddr, bytes FROM vpc_flow_logs WHERE day_partition >= ?";
        const int n = 10;
        server.Add(sql, new FakeAthena.Script
        {
            // RUNNING → QUEUED happens after transient errors (service model doc); the client simply polls on.
            States = ["QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED"],
            DataScannedInBytes = 203089, EngineExecutionTimeInMillis = 3600,
            Columns = Columns, Rows = Enumerable.Range(1, n).Select(TextRow).ToArray(), PageSize = 4,
        });
        using var client = new AthenaClient(Settings(dir, server), polling: FastPolling);
        Assert.Equal(server.Endpoint, client.Endpoint);

        var request = Request(sql, "'2026/03/09'");
        var outcome = await client.RunAsync(request, CancellationToken.None);

        var start = Assert.Single(server.CallsOf("StartQueryExecution"));
        Assert.Equal(sql, start["QueryString"]!.GetValue<string>());
        Assert.Equal(request.ClientRequestToken, start["ClientRequestToken"]!.GetValue<string>());
        Assert.Equal(32, request.ClientRequestToken.Length);
        Assert.Equal(WorkGroup, start["WorkGroup"]!.GetValue<string>());
        Assert.Equal("flowlogs", start["QueryExecutionContext"]!["Database"]!.GetValue<string>());
        Assert.Equal("s3://results-bucket/flownb/", start["ResultConfiguration"]!["OutputLocation"]!.GetValue<string>());
        Assert.Equal(["'2026/03/09'"], start["ExecutionParameters"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(5, server.CallsOf("GetQueryExecution").Count);

        // 10 rows + the header on the first page, 4 per page: 3 pages, the later ones asked with the previous NextToken.
        var pages = server.CallsOf("GetQueryResults");
        Assert.Equal(3, pages.Count);
        Assert.Null(pages[0]["NextToken"]);
        Assert.Equal(["rows-3", "rows-7"], pages.Skip(1).Select(p => p["NextToken"]!.GetValue<string>()));

        Assert.Equal(sql, outcome.StatementAsRun);
        Assert.Equal(203089, outcome.DataScannedBytes);
        Assert.Equal(3600, outcome.EngineExecutionMillis);
        Assert.Equal(Columns.Select(c => new AthenaColumn(c.Item1, c.Item2)), outcome.Columns);
        Assert.Equal(n, outcome.Rows.Count);
        for (var i = 1; i <= n; i++)
        {
            var row = outcome.Rows[i - 1];
            Assert.Equal(i % 3 == 0 ? null : $"10.0.0.{i}", row[0]);
            Assert.Equal(i * 1_000_000_007L, Assert.IsType<long>(row[1]));
            Assert.Equal(1000 + i, Assert.IsType<int>(row[2]));
            if (i % 5 == 0) Assert.Null(row[3]);
            else Assert.Equal(i / 8.0, Assert.IsType<double>(row[3]));
            Assert.Equal(i % 2 == 0, Assert.IsType<bool>(row[4]));
            Assert.Equal(new DateOnly(2026, 3, i % 28 + 1), row[5]);
            var ts = Assert.IsType<DateTime>(row[6]);
            Assert.Equal(new DateTime(2026, 3, 10, 10, i % 60, 5, 250, DateTimeKind.Utc), ts);
            Assert.Equal(DateTimeKind.Utc, ts.Kind);
            Assert.Equal($"[{i}, {i + 1}]", row[7]);
        }
        Assert.Equal(0, server.SignatureFailures);
    }

    [Fact]
    public async Task A_ddl_statement_keeps_its_first_row_because_only_selects_carry_a_header()
    {
        using var dir = new TempDir();
        using var server = new FakeAthena();
        const string sql = "SHOW TABLES IN flowlogs";
        // A listing whose only row happens to equal the column name: a SELECT would treat it as the header, DDL must not.
        server.Add(sql, new FakeAthena.Script { StatementType = "DDL", States = ["SUCCEEDED"], Columns = [("tab_name", "string")], Rows = [["tab_name"], ["vpc_flow_logs"]] });
        using var client = new AthenaClient(Settings(dir, server), polling: FastPolling);
        var outcome = await client.RunAsync(Request(sql), CancellationToken.None);
        Assert.Equal(["tab_name", "vpc_flow_logs"], outcome.Rows.Select(r => (string?)r[0]));
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_and_the_retried_start_carries_the_same_token()
    {
        using var dir = new TempDir();
        using var server = new FakeAthena();
        const string sql = "SELECT count(*) AS n FROM vpc_flow_logs";
        server.Add(sql, new FakeAthena.Script { Columns = [("n", "bigint")], Rows = [["42"]], DataScannedInBytes = 5 });
        server.FailCall("StartQueryExecution", 1, 400, "ThrottlingException", "Rate exceeded");
        server.FailCall("StartQueryExecution", 2, 400, "TooManyRequestsException",
            "You have exceeded the limit for the number of queries you can run concurrently.");
        server.FailCall("GetQueryExecution", 1, 500, "InternalServerException", "Internal error");
        server.FailCall("GetQueryResults", 1, 400, "ThrottlingException", "Rate exceeded");
        var retries = new List<string>();
        using var client = new AthenaClient(Settings(dir, server), polling: FastPolling, onRetry: ex => retries.Add(AwsErrors.Answer(ex).Code!));

        var request = Request(sql);
        var outcome = await client.RunAsync(request, CancellationToken.None);

        var starts = server.CallsOf("StartQueryExecution");
        Assert.Equal(3, starts.Count);
        Assert.All(starts, s => Assert.Equal(request.ClientRequestToken, s["ClientRequestToken"]!.GetValue<string>()));
        Assert.Equal(["ThrottlingException", "TooManyRequestsException", "InternalServerException", "ThrottlingException"], retries);
        Assert.Equal(42L, Assert.Single(outcome.Rows)[0]);
        Assert.All(server.CallsOf("GetQueryExecution").Concat(server.CallsOf("GetQueryResults")),
            c => Assert.Equal(outcome.QueryExecutionId, c["QueryExecutionId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_failed_query_names_the_athena_error_category_type_and_message()
    {
        using var dir = new TempDir();
        using var server = new FakeAthena();
        const string sql = "SELECT * FROM missing_table";
        // The FAILED status as measured against Athena (athena-local's tests).
        server.Add(sql, new FakeAthena.Script
        {
            States = ["QUEUED", "FAILED"], StateChangeReason = "Cannot find or access the specified table",
            AthenaError = new JsonObject { ["ErrorCategory"] = 2, ["ErrorType"] = 1100, ["Retryable"] = false, ["ErrorMessage"] = "Cannot find or access the specified table" },
        });
        using var client = new AthenaClient(Settings(dir, server), polling: FastPolling);
        var ex = await Assert.ThrowsAsync<AthenaQueryException>(() => client.RunAsync(Request(sql), CancellationToken.None));
        Assert.Equal("FAILED", ex.State);
        Assert.Contains("FAILED: Cannot find or access the specified table", ex.Message);
        Assert.Contains("category 2 USER", ex.Message);
        Assert.Contains("type 1100", ex.Message);
        Assert.Contains(ex.QueryExecutionId, ex.Message);
        Assert.Empty(server.CallsOf("GetQueryResults"));
        Assert.Empty(server.CallsOf("StopQueryExecution"));
    }

    [Fact]
    public async Task A_query_cancelled_by_the_workgroup_scan_cutoff_says_so_with_the_cutoff_and_the_bytes_scanned()
    {
        using var dir = new TempDir();
        using var server = new FakeAthena();
        const string sql = "SELECT * FROM vpc_flow_logs";
        server.AddWorkGroup(WorkGroup, new JsonObject
        {
            ["ResultConfiguration"] = new JsonObject { ["OutputLocation"] = "s3://results-bucket/" },
            ["EnforceWorkGroupConfiguration"] = true, ["BytesScannedCutoffPerQuery"] = 10_000_000,
        });
        server.Add(sql, new FakeAthena.Script { States = ["RUNNING", "CANCELLED"], DataScannedInBytes = 10_485_760 });
        using var client = new AthenaClient(Settings(dir, server), polling: FastPolling);
        var ex = await Assert.ThrowsAsync<AthenaQueryException>(() => client.RunAsync(Request(sql), CancellationToken.None));
        Assert.Equal("CANCELLED", ex.State);
        Assert.Contains("CANCELLED, not by flownb", ex.Message);
        Assert.Contains($"Workgroup {WorkGroup} cancels any query that scans more than 10 MB (BytesScannedCutoffPerQuery)", ex.Message);
        Assert.Contains("had scanned 10.49 MB", ex.Message);
        Assert.Empty(server.CallsOf("StopQueryExecution"));
    }

    [Fact]
    public async Task Cancelling_a_run_stops_the_query_on_athena()
    {
        using var dir = new TempDir();
        using var server = new FakeAthena();
        const string sql = "SELECT * FROM vpc_flow_logs WHERE day_partition >= '2026/03/01'";
        server.Add(sql, new FakeAthena.Script { States = ["RUNNING"] });
        using var client = new AthenaClient(Settings(dir, server), polling: FastPolling);
        using var cts = new CancellationTokenSource();
        var polled = server.PolledAsync(2);
        var run = client.RunAsync(Request(sql), cts.Token);
        await polled;
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var stop = Assert.Single(server.CallsOf("StopQueryExecution"));
        var id = server.CallsOf("GetQueryExecution")[0]["QueryExecutionId"]!.GetValue<string>();
        Assert.Equal(id, stop["QueryExecutionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_secret_token_or_signature_appears_in_any_error()
    {
        using var dir = new TempDir();
        using var server = new FakeAthena();
        server.Add("SELECT 1", new FakeAthena.Script
        {
            States = ["FAILED"], AthenaError = new JsonObject { ["ErrorCategory"] = 1, ["ErrorType"] = 9999, ["ErrorMessage"] = "Internal error" },
        });
        for (var i = 1; i <= 4; i++) server.FailCall("GetWorkGroup", i, 503, "ServiceUnavailable", "Slow down");
        using var client = new AthenaClient(Settings(dir, server), polling: FastPolling);
        var messages = new List<string>();
        foreach (var sql in new[] { "SELECT 1", "SELEC 1" })
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.RunAsync(Request(sql), CancellationToken.None));
            messages.Add(ex.ToString());
        }
        var wg = await Assert.ThrowsAnyAsync<Exception>(() => client.GetWorkGroupAsync(WorkGroup, CancellationToken.None));
        messages.Add(wg.ToString());
        Assert.Contains(messages, m => m.Contains("MALFORMED_QUERY", StringComparison.Ordinal) || m.Contains("InvalidRequestException", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("ServiceUnavailable", StringComparison.Ordinal));
        foreach (var m in messages)
        {
            Assert.DoesNotContain(FakeCloudWatchLogs.Secret, m);
            Assert.DoesNotContain(FakeCloudWatchLogs.SessionToken, m);
            Assert.DoesNotContain("Signature=", m);
            Assert.DoesNotContain("AWS4-HMAC-SHA256", m);
        }
    }
}
