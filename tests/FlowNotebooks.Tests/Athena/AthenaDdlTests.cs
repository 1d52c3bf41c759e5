using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.TestShared.Athena;

namespace FlowNotebooks.Tests.Athena;

public sealed partial class AthenaDdlTests
{
    const string A = "111111111111", B = "222222222222";
    const string CustomFormat = EveryLayoutFlowLogs.CustomFormat;
    const string V5Format = EveryLayoutFlowLogs.V5Format;
    static string Config => EveryLayoutFlowLogs.Config;

    static IReadOnlyList<FlowLogConfig> FlowLogs => FlowLogConfig.ParseDescribeFlowLogs(Encoding.UTF8.GetBytes(Config));
    static readonly AthenaTableOptions Names = new() { Database = "forensics", Table = "vpc_flow_logs", Accounts = [A, B], Regions = ["us-east-1", "eu-west-1"] };
    static AthenaTablePlan Plan() => AthenaTablePlanner.Plan(FlowLogs, Names);
    static AthenaFlowTableDefinition TableOf(AthenaTablePlan plan, string flowLogId) => plan.Tables.Single(t => t.FlowLogIds.Contains(flowLogId));

    /// <summary>The AWS DDL column name of each field of a LogFormat string, read straight from the string.</summary>
    static List<string> ColumnsOf(params string[] logFormats)
    {
        var names = new List<string>();
        foreach (var f in logFormats)
            foreach (Match m in Regex.Matches(f, @"\$\{([a-z0-9-]+)\}"))
                if (!names.Contains(m.Groups[1].Value.Replace('-', '_'))) names.Add(m.Groups[1].Value.Replace('-', '_'));
        return names;
    }

    /// <summary>Column names of a CREATE TABLE as written (between the first "(" line and ")").</summary>
    static List<string> DdlColumns(string ddl) =>
        ddl.Split('\n').SkipWhile(l => !l.EndsWith('(')).Skip(1).TakeWhile(l => l != ")").Select(l => ColumnLine().Match(l).Groups[1].Value).ToList();

    static Dictionary<string, string> DdlProperties(string ddl) =>
        PropertyLine().Matches(ddl[ddl.IndexOf("TBLPROPERTIES", StringComparison.Ordinal)..]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex(@"^\s+`([a-z0-9_]+)` (int|bigint|string),?$")]
    private static partial Regex ColumnLine();

    [GeneratedRegex(@"""([^""]+)""=""([^""]*)""")]
    private static partial Regex PropertyLine();

    [Fact]
    public void Every_statement_for_every_layout_and_format_parses_in_the_hive_grammar_and_has_no_duckdb_syntax()
    {
        var plan = Plan();
        var statements = AthenaDdl.Statements(plan);
        Assert.Equal(1 + 5, statements.Count);
        Assert.Equal("CREATE DATABASE IF NOT EXISTS `forensics`", statements[0]);
        // One table per layout and format, and one per text format at a location: custom and default text share
        // my-flow-log-bucket/custom (default layout), Parquet shares by name.
        Assert.Equal(
            [(KeyLayout.Default, AthenaFileFormat.Text), (KeyLayout.Default, AthenaFileFormat.Text), (KeyLayout.DefaultPerHour, AthenaFileFormat.Text),
             (KeyLayout.HivePerHour, AthenaFileFormat.Parquet), (KeyLayout.Hive, AthenaFileFormat.Text)],
            plan.Tables.Select(t => (t.Layout, t.FileFormat)));
        var problems = TrinoGrammar.ValidateDdlAll(statements);
        Assert.All(problems, Assert.Empty);

        // The check is live: a typo and DuckDB syntax are caught.
        Assert.NotEmpty(TrinoGrammar.ValidateDdl(statements[1].Replace("LOCATION", "LOCATON", StringComparison.Ordinal)));
        Assert.Contains("DuckDB-only syntax: SEMI JOIN", TrinoGrammar.Validate("SELECT a.x FROM a SEMI JOIN b ON a.x = b.x"));
        Assert.Contains("DuckDB-only syntax: :: cast", TrinoGrammar.Validate("SELECT x::BIGINT FROM t"));
        Assert.Empty(TrinoGrammar.Validate("SELECT \"$path\", 'a::b' FROM t WHERE day_partition >= '2026/03/09'"));
        Assert.Single(plan.Notes, n => n.Contains("fl-aabbccdd112233445 delivers to cloud-watch-logs", StringComparison.Ordinal));
    }

    [Fact]
    public void Columns_follow_the_log_format_field_order_for_text_and_the_union_by_name_for_parquet()
    {
        var plan = Plan();
        Assert.Equal(ColumnsOf(CustomFormat), DdlColumns(AthenaDdl.CreateTable(TableOf(plan, "fl-01234567890123456"))));
        Assert.Equal(ColumnsOf(FlowLogFormat.DefaultLogFormat), DdlColumns(AthenaDdl.CreateTable(TableOf(plan, "fl-0ddd"))));
        Assert.Equal(ColumnsOf(V5Format), DdlColumns(AthenaDdl.CreateTable(TableOf(plan, "fl-0eee"))));
        var parquet = TableOf(plan, "fl-0bbb");
        Assert.Equal(["fl-0bbb", "fl-0ccc"], parquet.FlowLogIds);
        Assert.Equal(ColumnsOf(V5Format, CustomFormat), DdlColumns(AthenaDdl.CreateTable(parquet)));
        // Types as AWS's DDL declares them, and the reserved word `end` quoted.
        var ddl = AthenaDdl.CreateTable(parquet);
        Assert.Contains("  `srcport` int,", ddl);
        Assert.Contains("  `bytes` bigint,", ddl);
        Assert.Contains("  `end` bigint,", ddl);
        Assert.Contains("  `srcaddr` string,", ddl);
    }

    [Fact]
    public void Partition_projection_has_the_properties_aws_documents_and_its_template_spells_the_delivery_folders()
    {
        var plan = Plan();
        foreach (var t in plan.Tables)
        {
            var ddl = AthenaDdl.CreateTable(t);
            var p = DdlProperties(ddl);
            Assert.Equal("true", p["projection.enabled"]);
            Assert.Equal("enum", p["projection.account_partition.type"]);
            Assert.Equal($"{A},{B}", p["projection.account_partition.values"]);
            Assert.Equal("enum", p["projection.region_partition.type"]);
            Assert.Equal("us-east-1,eu-west-1", p["projection.region_partition.values"]);
            Assert.Equal("date", p["projection.day_partition.type"]);
            Assert.Equal("DAYS", p["projection.day_partition.interval.unit"]);
            if (t.FileFormat == AthenaFileFormat.Text)
            {
                Assert.Equal("1", p["skip.header.line.count"]);
                Assert.Contains("ROW FORMAT DELIMITED\nFIELDS TERMINATED BY ' '\n", ddl);
            }
            else
            {
                Assert.False(p.ContainsKey("skip.header.line.count"));
                Assert.Contains("ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'", ddl);
            }
            var perHour = t.Layout is KeyLayout.DefaultPerHour or KeyLayout.HivePerHour;
            Assert.Equal(perHour, p.ContainsKey("projection.hour_partition.type"));
            if (perHour)
            {
                Assert.Equal("integer", p["projection.hour_partition.type"]);
                Assert.Equal("0,23", p["projection.hour_partition.range"]);
                Assert.Equal("2", p["projection.hour_partition.digits"]);
            }

            // The template filled with one partition's values is the folder AWS delivers that hour's objects to.
            var at = new DateTime(2026, 3, 9, 7, 0, 0, DateTimeKind.Utc);
            var hive = t.Layout is KeyLayout.Hive or KeyLayout.HivePerHour;
            var day = hive ? "year=2026/month=03/day=09" : "2026/03/09";
            var filled = p["storage.location.template"].Replace("${account_partition}", B).Replace("${region_partition}", "eu-west-1")
                .Replace("${day_partition}", day).Replace("${hour_partition}", "07");
            var prefix = t.Location.Prefix.Length == 0 ? null : t.Location.Prefix;
            Assert.Equal($"s3://{t.Location.Bucket}/" + S3KeyLayout.Folder(prefix, B, "eu-west-1", at, t.Layout).TrimEnd('/'), filled);
            Assert.Equal($"LOCATION 's3://{t.Location.Bucket}/{(prefix is null ? "" : prefix + "/")}AWSLogs/'", ddl.Split('\n').Single(l => l.StartsWith("LOCATION", StringComparison.Ordinal)));
        }
        // The projected days start at the earliest creation time of the table's flow logs, in the table's day format.
        Assert.Equal("2019/07/19,NOW", DdlProperties(AthenaDdl.CreateTable(TableOf(plan, "fl-01234567890123456")))["projection.day_partition.range"]);
        Assert.Equal("year=2023/month=02/day=02,NOW", DdlProperties(AthenaDdl.CreateTable(TableOf(plan, "fl-0bbb")))["projection.day_partition.range"]);
        Assert.Equal("yyyy/MM/dd", DdlProperties(AthenaDdl.CreateTable(TableOf(plan, "fl-0aaa")))["projection.day_partition.format"]);
        Assert.Equal("'year='yyyy'/month='MM'/day='dd", DdlProperties(AthenaDdl.CreateTable(TableOf(plan, "fl-0eee")))["projection.day_partition.format"]);
        Assert.Equal("s3://central-flow-logs/org/AWSLogs/aws-account-id=${account_partition}/aws-service=vpcflowlogs/aws-region=${region_partition}/${day_partition}/hour=${hour_partition}",
            DdlProperties(AthenaDdl.CreateTable(TableOf(plan, "fl-0bbb")))["storage.location.template"]);
    }

    [Fact]
    public void A_bucket_given_replaces_every_destination_and_missing_accounts_or_bad_names_are_refused()
    {
        var plan = AthenaTablePlanner.Plan(FlowLogs, Names with { Bucket = S3Location.Parse("s3://replica-bucket/copy/") });
        Assert.All(plan.Tables, t => Assert.Equal(new S3Location("replica-bucket", "copy"), t.Location));
        Assert.Contains("--account", Assert.Throws<FormatException>(() => AthenaTablePlanner.Plan(FlowLogs, Names with { Accounts = [] })).Message);
        Assert.Contains("--region", Assert.Throws<FormatException>(() => AthenaTablePlanner.Plan(FlowLogs, Names with { Regions = [] })).Message);
        Assert.Contains("'12345'", Assert.Throws<FormatException>(() => AthenaTablePlanner.Plan(FlowLogs, Names with { Accounts = ["12345"] })).Message);
        Assert.Contains("--table", Assert.Throws<FormatException>(() => AthenaTablePlanner.Plan(FlowLogs, Names with { Table = "Flow-Logs" })).Message);
    }

    [Fact]
    public void The_partition_predicate_reads_the_window_days_padded_by_one_and_parses_in_trino_and_runs_in_duckdb()
    {
        var plan = Plan();
        var from = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero); // exclusive: the 12th itself holds nothing of it
        // Window days 10 and 11; padded by a day each side: 9 to 12.
        var expected = new[] { 9, 10, 11, 12 };
        foreach (var flowLog in new[] { "fl-0aaa", "fl-0eee", "fl-01234567890123456" })
        {
            var table = new AthenaFlowTable(TableOf(plan, flowLog), new AwsSettings());
            var trino = table.PartitionPredicate(from, to, AthenaEngine.Trino);
            Assert.Empty(TrinoGrammar.Validate($"SELECT count(*) FROM \"forensics\".\"{table.Table}\" WHERE {trino}"));
            var duck = table.PartitionPredicate(from, to, AthenaEngine.DuckDb);

            using var db = new DuckDBConnection("DataSource=:memory:");
            db.Open();
            using (var create = db.CreateCommand())
            {
                create.CommandText = "CREATE TABLE p (day_partition VARCHAR, d INTEGER)";
                create.ExecuteNonQuery();
            }
            for (var d = 1; d <= 31; d++)
            {
                var day = table.Definition.DayValue(new DateOnly(2026, 3, d));
                using var insert = db.CreateCommand();
                insert.CommandText = "INSERT INTO p VALUES ($1, $2)";
                insert.Parameters.Add(new DuckDBParameter(day));
                insert.Parameters.Add(new DuckDBParameter(d));
                insert.ExecuteNonQuery();
            }
            using var select = db.CreateCommand();
            select.CommandText = $"SELECT DISTINCT d FROM p WHERE {duck} ORDER BY d";
            var days = new List<int>();
            using (var r = select.ExecuteReader()) while (r.Read()) days.Add(r.GetInt32(0));
            Assert.Equal(expected, days);
            Assert.Equal(trino, duck); // the same text reads alike in both engines
        }
        // A table sharing its folders with another text format says so; its statements filter on "$path" with these ids.
        Assert.True(TableOf(plan, "fl-01234567890123456").SharesLocation);
        Assert.Equal(["fl-01234567890123456"], TableOf(plan, "fl-01234567890123456").FlowLogIds);
        Assert.False(TableOf(plan, "fl-0aaa").SharesLocation);
        Assert.Equal(CustomFormat, TableOf(plan, "fl-01234567890123456").Format.LogFormat);
        Assert.Throws<FlowNotebooks.Input.WindowException>(() => new AthenaFlowTable(TableOf(plan, "fl-0aaa"), new AwsSettings()).PartitionPredicate(to, from, AthenaEngine.Trino));
        // fl-0aaa was created on 2022-01-10: a window wholly before it would be an empty answer, so it is an error.
        var early = Assert.Throws<FlowNotebooks.Input.WindowException>(() => new AthenaFlowTable(TableOf(plan, "fl-0aaa"), new AwsSettings())
            .PartitionPredicate(new DateTimeOffset(2022, 1, 9, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 1, 10, 0, 0, 0, TimeSpan.Zero), AthenaEngine.Trino));
        Assert.Contains("2022-01-10", early.Message);
        Assert.Contains("\"day_partition\" >= '2022/01/09'", new AthenaFlowTable(TableOf(plan, "fl-0aaa"), new AwsSettings())
            .PartitionPredicate(new DateTimeOffset(2022, 1, 10, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 1, 10, 1, 0, 0, TimeSpan.Zero), AthenaEngine.Trino));
    }
}
