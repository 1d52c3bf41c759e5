using DuckDB.NET.Data;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// The case's tables as DuckDB builds them from <see cref="CaseSchema"/>: one column per documented field with the type
/// AWS documents for it (Parquet INT_32 / INT_64, Unix-second times), address columns with their numeric forms, added
/// columns that reach older cases, and the flows view that unites records tables of different column sets.
/// </summary>
public sealed class CaseSchemaTests : IDisposable
{
    readonly DuckDBConnection db = new("DataSource=:memory:");

    public CaseSchemaTests()
    {
        db.Open();
        Execute(CaseSchema.CreateSql());
    }

    public void Dispose() => db.Dispose();

    void Execute(string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    List<object?[]> Rows(string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    Dictionary<string, string> Columns(string table) =>
        Rows($"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}'").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

    [Fact]
    public void Every_documented_field_has_a_column_of_its_documented_type()
    {
        var flows = Columns("flows_schema");
        // Parquet types from the field table: INT_32 fields, INT_64 counters, Unix seconds as times, strings.
        foreach (var c in new[] { "version", "srcport", "dstport", "protocol", "tcp_flags", "traffic_path" }) Assert.Equal("INTEGER", flows[c]);
        foreach (var c in new[] { "packets", "bytes", "packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded", "packets_lost_ttl_expired" })
            Assert.Equal("BIGINT", flows[c]);
        Assert.Equal(("TIMESTAMP", "TIMESTAMP"), (flows["start_time"], flows["end_time"]));
        foreach (var c in new[] { "account_id", "interface_id", "action", "log_status", "vpc_id", "pkt_src_aws_service", "ecs_task_arn", "reject_reason" })
            Assert.Equal("VARCHAR", flows[c]);
        // The four address fields: the text as logged, and IPv4 / IPv6 as numbers for range and CIDR tests.
        foreach (var a in new[] { "srcaddr", "dstaddr", "pkt_srcaddr", "pkt_dstaddr" })
            Assert.Equal(("VARCHAR", "UINTEGER", "UHUGEINT"), (flows[a], flows[a + "_v4"], flows[a + "_v6"]));
        // Where each record came from: capture, object and line.
        Assert.Equal(("VARCHAR", "INTEGER", "BIGINT"), (flows["flow_log_id"], flows["evidence_id"], flows["line"]));
    }

    [Fact]
    public void Building_again_changes_nothing_and_reaches_a_case_made_before_the_added_columns()
    {
        var before = Columns("evidence");
        Execute(CaseSchema.CreateSql());
        Assert.Equal(before, Columns("evidence"));

        // A case from before log_group, implausible_times and name_contradicted: they are added, last and in that order
        // (the manifest appends rows by position).
        Execute("DROP TABLE evidence");
        Execute("CREATE TABLE evidence (evidence_id INTEGER PRIMARY KEY, object VARCHAR NOT NULL, kind VARCHAR NOT NULL, size BIGINT NOT NULL, sha256 VARCHAR NOT NULL, status VARCHAR NOT NULL, format VARCHAR, records BIGINT NOT NULL, rejected BIGINT NOT NULL, header_lines BIGINT NOT NULL, blank_lines BIGINT NOT NULL, first_time TIMESTAMP, last_time TIMESTAMP, flow_log_id VARCHAR, account_id VARCHAR, region VARCHAR, delivery_time TIMESTAMP, key_layout VARCHAR, notes VARCHAR, loaded_at TIMESTAMP NOT NULL)");
        Execute(CaseSchema.CreateSql());
        var order = Rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'evidence' ORDER BY ordinal_position").Select(r => (string)r[0]!).ToList();
        Assert.Equal(["loaded_at", "log_group", "implausible_times", "name_contradicted"], order[^4..]);
    }

    [Fact]
    public void The_flows_view_unites_records_tables_of_different_fields_and_says_where_times_came_from()
    {
        // A default-format object's records and a custom-format object's, each in its own narrow table.
        Execute("""
            CREATE TABLE flow_records_a (interface_id VARCHAR, srcaddr VARCHAR, bytes BIGINT, start_time TIMESTAMP, flow_log_id VARCHAR, evidence_id INTEGER, line BIGINT);
            INSERT INTO flow_records_a VALUES ('eni-1', '10.0.0.1', 500, TIMESTAMP '2026-03-01 10:00:00', 'fl-a', 1, 2);
            CREATE TABLE flow_records_b (interface_id VARCHAR, srcaddr VARCHAR, bytes BIGINT, vpc_id VARCHAR, time_source VARCHAR, flow_log_id VARCHAR, evidence_id INTEGER, line BIGINT);
            INSERT INTO flow_records_b VALUES ('eni-1', '10.0.0.2', 70, 'vpc-1', 'delivery', 'fl-b', 2, 5);
            """);
        Execute(CaseSchema.FlowsViewSql(["flow_records_b", "flow_records_a"]));
        var rows = Rows("SELECT srcaddr, bytes, vpc_id, time_source, traffic_path FROM flows ORDER BY evidence_id");
        Assert.Equal(2, rows.Count);
        // Fields an object lacked are NULL; a record with its own start says 'record', one bounded by its delivery says so.
        Assert.Equal(new object?[] { "10.0.0.1", 500L, null, "record", null }, rows[0]);
        Assert.Equal(new object?[] { "10.0.0.2", 70L, "vpc-1", "delivery", null }, rows[1]);
        Assert.Equal(570L, Rows("SELECT sum(bytes)::BIGINT FROM flows")[0][0]);
    }

    [Fact]
    public void One_record_logged_by_two_captures_shows_as_a_duplicate_with_both_flow_logs()
    {
        Execute("""
            CREATE TABLE flow_records_a (interface_id VARCHAR, srcaddr VARCHAR, dstaddr VARCHAR, srcport INTEGER, dstport INTEGER, protocol INTEGER, packets BIGINT, bytes BIGINT,
              start_time TIMESTAMP, end_time TIMESTAMP, action VARCHAR, log_status VARCHAR, flow_log_id VARCHAR, evidence_id INTEGER, line BIGINT);
            INSERT INTO flow_records_a VALUES
              ('eni-1', '10.0.0.1', '198.51.100.7', 49152, 443, 6, 10, 4000, TIMESTAMP '2026-03-01 10:00:00', TIMESTAMP '2026-03-01 10:00:30', 'ACCEPT', 'OK', 'fl-eni', 1, 2),
              ('eni-1', '10.0.0.1', '198.51.100.7', 49152, 443, 6, 10, 4000, TIMESTAMP '2026-03-01 10:00:00', TIMESTAMP '2026-03-01 10:00:30', 'ACCEPT', 'OK', 'fl-subnet', 2, 9),
              ('eni-1', '10.0.0.1', '198.51.100.7', 49153, 443, 6, 10, 4000, TIMESTAMP '2026-03-01 10:00:00', TIMESTAMP '2026-03-01 10:00:30', 'ACCEPT', 'OK', 'fl-eni', 1, 3);
            """);
        Execute(CaseSchema.FlowsViewSql(["flow_records_a"]));
        var dup = Assert.Single(Rows("SELECT srcport, copies, captures, flow_log_ids FROM duplicate_records"));
        Assert.Equal(49152, dup[0]);
        Assert.Equal((2L, 2L), (Convert.ToInt64(dup[1]), Convert.ToInt64(dup[2])));
        Assert.Equal(["fl-eni", "fl-subnet"], ((System.Collections.IEnumerable)dup[3]!).Cast<string>());
    }
}
