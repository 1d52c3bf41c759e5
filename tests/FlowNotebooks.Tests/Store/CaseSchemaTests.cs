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
        Execute(CaseSchema.FlowsViewSql(["flow_records_b", "flow_records_a"], ["flow_records_a"]));
        var rows = Rows("SELECT srcaddr, bytes, vpc_id, time_source, traffic_path FROM flows ORDER BY evidence_id");
        Assert.Equal(2, rows.Count);
        // Fields an object lacked are NULL; a record with its own start says 'record', one bounded by its delivery says so.
        Assert.Equal(new object?[] { "10.0.0.1", 500L, null, "record", null }, rows[0]);
        Assert.Equal(new object?[] { "10.0.0.2", 70L, "vpc-1", "delivery", null }, rows[1]);
        Assert.Equal(570L, Rows("SELECT sum(bytes)::BIGINT FROM flows")[0][0]);
    }

    [Fact]
    public void An_IPv4_address_number_is_read_from_its_text_as_the_parser_reads_it()
    {
        // Addresses as AWS logs them and as the parser admits them (leading zeros too), IPv6 (an IPv4-mapped one has dots),
        // and 2,000 random ones; each number from the SQL against the parser's own reading of the text.
        var random = new Random(20261207);
        var texts = new List<string> { "0.0.0.0", "255.255.255.255", "10.0.0.1", "010.000.000.001", "172.31.16.139", "2001:db8::1", "::ffff:10.0.0.1" };
        texts.AddRange(Enumerable.Range(0, 2_000).Select(_ => FlowNotebooks.Parsing.IpAddressCodec.FormatIPv4((uint)random.NextInt64(0, 1L << 32))));
        Execute("CREATE TABLE addresses (ip VARCHAR)");
        using (var appender = db.CreateAppender("addresses"))
            foreach (var t in texts) appender.CreateRow().AppendValue(t).EndRow();
        Execute("INSERT INTO addresses VALUES (NULL)");
        var read = Rows($"SELECT ip, {CaseSchema.IPv4Number("ip")} FROM addresses").ToDictionary(r => (string?)r[0] ?? "(null)", r => r[1]);
        Assert.Equal(texts.Distinct().Count() + 1, read.Count);
        foreach (var t in texts)
        {
            uint? expected = FlowNotebooks.Parsing.IpAddressCodec.TryParseIPv4(System.Text.Encoding.ASCII.GetBytes(t), out var v) ? v : null;
            Assert.Equal((t, expected), (t, (uint?)read[t]));
        }
        Assert.Equal(167772161u, read["010.000.000.001"]);
        Assert.Null(read["::ffff:10.0.0.1"]);
        Assert.Null(read["(null)"]);
    }

    [Fact]
    public void Records_tables_with_a_stored_IPv4_number_and_without_one_read_alike_through_the_flows_view()
    {
        // A records table from before the number was read from the text keeps its own; a new one has none stored.
        Execute("""
            CREATE TABLE flow_records_old (srcaddr VARCHAR, srcaddr_v4 UINTEGER, srcaddr_v6 UHUGEINT, dstaddr VARCHAR, dstaddr_v4 UINTEGER, dstaddr_v6 UHUGEINT, flow_log_id VARCHAR, evidence_id INTEGER, line BIGINT);
            INSERT INTO flow_records_old VALUES ('10.0.0.1', 167772161, NULL, '2001:db8::1', NULL, 42540766411282592856903984951653826561, 'fl-a', 1, 2);
            CREATE TABLE flow_records_new (srcaddr VARCHAR, srcaddr_v6 UHUGEINT, dstaddr VARCHAR, dstaddr_v6 UHUGEINT, flow_log_id VARCHAR, evidence_id INTEGER, line BIGINT);
            INSERT INTO flow_records_new VALUES ('10.0.0.1', NULL, '2001:db8::1', 42540766411282592856903984951653826561, 'fl-a', 2, 2);
            """);
        Execute(CaseSchema.FlowsViewSql(["flow_records_old", "flow_records_new"], []));
        var rows = Rows("SELECT srcaddr_v4, srcaddr_v6, dstaddr_v4, dstaddr_v6::VARCHAR FROM flows ORDER BY evidence_id");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { 167772161u, null, null, "42540766411282592856903984951653826561" }, rows[0]);
        Assert.Equal(rows[0], rows[1]);
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
        Execute(CaseSchema.FlowsViewSql(["flow_records_a"], ["flow_records_a"]));
        var dup = Assert.Single(Rows("SELECT srcport, copies, captures, flow_log_ids FROM duplicate_records"));
        Assert.Equal(49152, dup[0]);
        Assert.Equal((2L, 2L), (Convert.ToInt64(dup[1]), Convert.ToInt64(dup[2])));
        Assert.Equal(["fl-eni", "fl-subnet"], ((System.Collections.IEnumerable)dup[3]!).Cast<string>());
    }

    [Fact]
    public void Flows_starting_in_a_window_are_exactly_those_flows_shows_for_it_whatever_the_tables_time_type()
    {
        // Seconds (most batches), microseconds (a batch with a fraction) and a table with no start at all, in random order.
        var random = new Random(20261207);
        var t0 = new DateTime(2026, 3, 1, 0, 0, 0);
        Execute("""
            CREATE TABLE flow_records_s (start_time TIMESTAMP_S, end_time TIMESTAMP_S, bytes BIGINT, evidence_id INTEGER, line BIGINT);
            CREATE TABLE flow_records_us (start_time TIMESTAMP, end_time TIMESTAMP, bytes BIGINT, evidence_id INTEGER, line BIGINT);
            CREATE TABLE flow_records_none (bytes BIGINT, time_source VARCHAR, evidence_id INTEGER, line BIGINT);
            """);
        var values = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            var start = t0.AddSeconds(random.Next(0, 6 * 3600));
            values.Add(FormattableString.Invariant($"('{start:yyyy-MM-dd HH:mm:ss}', '{start.AddSeconds(60):yyyy-MM-dd HH:mm:ss}', {i}, 1, {i})"));
        }
        Execute("INSERT INTO flow_records_s VALUES " + string.Join(", ", values));
        values.Clear();
        for (var i = 0; i < 3000; i++)
        {
            var start = t0.AddTicks(random.NextInt64(0, 6 * TimeSpan.TicksPerHour) / 10 * 10);
            values.Add(FormattableString.Invariant($"('{start:yyyy-MM-dd HH:mm:ss.ffffff}', '{start.AddSeconds(60):yyyy-MM-dd HH:mm:ss.ffffff}', {i}, 2, {i})"));
        }
        Execute("INSERT INTO flow_records_us VALUES " + string.Join(", ", values));
        Execute("INSERT INTO flow_records_none VALUES (5, 'delivery', 3, 1)");
        Execute(CaseSchema.FlowsViewSql(["flow_records_s", "flow_records_us", "flow_records_none"], ["flow_records_s", "flow_records_us"]));
        for (var i = 0; i < 40; i++)
        {
            // Whole hours as counting asks, and bounds with fractions of a second (a superset read, then cut exactly).
            var from = i < 10 ? t0.AddHours(i % 6) : t0.AddTicks(random.NextInt64(0, 6 * TimeSpan.TicksPerHour) / 10 * 10);
            var to = i < 10 ? from.AddHours(1 + i % 3) : from.AddTicks(random.NextInt64(0, 2 * TimeSpan.TicksPerHour) / 10 * 10);
            var exact = Count("SELECT * FROM flows WHERE start_time >= $1 AND start_time < $2", from, to);
            Assert.True(exact > 0, $"no record from {from:O} to {to:O}: the window tests nothing");
            Assert.Equal(exact, Count("SELECT * FROM flows_starting($1, $2)", from, to));
            Assert.Equal(0L, Count("SELECT * FROM flows_starting($1, $2) EXCEPT ALL SELECT * FROM flows WHERE start_time >= $1 AND start_time < $2", from, to));
            Assert.Equal(0L, Count("SELECT * FROM flows WHERE start_time >= $1 AND start_time < $2 EXCEPT ALL SELECT * FROM flows_starting($1, $2)", from, to));
        }
    }

    [Fact]
    public void Flows_starting_in_an_hour_read_only_that_hours_row_groups_of_a_table_kept_in_seconds()
    {
        // 1,000,000 records a second apart (11.6 days, 9 row groups): an hour is 3,600 of them, in one or two row groups.
        Execute("""
            CREATE TABLE flow_records_s (start_time TIMESTAMP_S, bytes BIGINT, evidence_id INTEGER, line BIGINT);
            INSERT INTO flow_records_s SELECT make_timestamp((1772323200 + i) * 1000000)::TIMESTAMP_S, i, 1, i FROM range(1000000) t(i);
            """);
        Execute(CaseSchema.FlowsViewSql(["flow_records_s"], ["flow_records_s"]));
        var from = new DateTime(2026, 3, 5, 10, 0, 0);
        Assert.Equal(3600L, Count("SELECT * FROM flows_starting($1, $2)", from, from.AddHours(1)));
        using var cmd = db.CreateCommand();
        cmd.CommandText = "EXPLAIN (ANALYZE, FORMAT JSON) SELECT sum(bytes) FROM flows_starting($1, $2)";
        cmd.Parameters.Add(new DuckDBParameter(from));
        cmd.Parameters.Add(new DuckDBParameter(from.AddHours(1)));
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        var scanned = System.Text.Json.JsonDocument.Parse(r.GetString(1)).RootElement.GetProperty("cumulative_rows_scanned").GetInt64();
        Assert.InRange(scanned, 3600, 2 * 122_880);
    }

    long Count(string sql, DateTime from, DateTime to)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM ({sql})";
        cmd.Parameters.Add(new DuckDBParameter(from));
        cmd.Parameters.Add(new DuckDBParameter(to));
        return Convert.ToInt64(cmd.ExecuteScalar());
    }
}
