using FlowNotebooks.Formats;
using System.Text;
using System.Text.Json;
using FlowNotebooks.Ingest;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Sources;

/// <summary>The shapes flow logs arrive in: S3 trees, CloudWatch exports and subscriptions, Firehose, Parquet.</summary>
public sealed class DeliveryShapesTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    const string R1 = "2 123456789010 eni-0aaa1111bbbb22223 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK";
    const string R2 = "2 123456789010 eni-0aaa1111bbbb22223 203.0.113.5 10.0.1.5 443 49152 6 10 98000 1700000000 1700000060 ACCEPT OK";
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    const string DescribeFlowLogs = """
        {"FlowLogs": [
          {"FlowLogId": "fl-0cw", "LogGroupName": "vpc-flows", "LogDestinationType": "cloud-watch-logs", "TrafficType": "ALL", "ResourceId": "vpc-1",
           "LogFormat": "${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"}
        ]}
        """;

    [Fact]
    public void An_s3_tree_in_all_layouts_loads_with_key_metadata()
    {
        var t = new DateTime(2023, 11, 14, 22, 10, 0, DateTimeKind.Utc);
        foreach (var layout in new[] { FlowNotebooks.Formats.KeyLayout.Default, FlowNotebooks.Formats.KeyLayout.HivePerHour })
            tc.WriteGzip(FlowNotebooks.Formats.S3KeyLayout.Folder(null, "123456789010", "us-east-1", t, layout)
                + FlowNotebooks.Formats.S3KeyLayout.FileName("123456789010", "us-east-1", layout == FlowNotebooks.Formats.KeyLayout.Default ? "fl-0aaa" : "fl-0bbb", t, "0123abcd"),
                Header + "\n" + R1 + "\n" + R2 + "\n" + (layout == FlowNotebooks.Formats.KeyLayout.Default ? "" : R1.Replace("49152", "49153") + "\n"));
        var s = tc.Load();
        Assert.Equal((2, 5L, 0L), (s.Objects, s.Records, s.Rejects));
        var rows = tc.Query("SELECT flow_log_id, key_layout, account_id, region, delivery_time, header_lines FROM evidence ORDER BY flow_log_id").Rows;
        Assert.Equal<object?>(["fl-0aaa", "Default", "123456789010", "us-east-1", t, 1L], rows[0]);
        Assert.Equal<object?>(["fl-0bbb", "HivePerHour", "123456789010", "us-east-1", t, 1L], rows[1]);
        Assert.Equal(3L, tc.Scalar<long>("SELECT count(*) FROM flows WHERE flow_log_id = 'fl-0bbb'"));
        // The same traffic logged by two captures is visible as duplicate records.
        Assert.Equal(2L, tc.Scalar<long>("SELECT count(*) FROM duplicate_records WHERE captures = 2"));
    }

    [Fact]
    public void Filter_log_events_pages_take_the_interface_from_the_stream_name_and_the_format_from_the_log_group()
    {
        tc.Write("describe-flow-logs.json", DescribeFlowLogs);
        // Two pages back to back, as a script that saves each page appends them; the format has no interface-id.
        string Page(string msg, string token) => JsonSerializer.Serialize(new
        {
            events = new[] { new { logStreamName = "eni-0aaa1111bbbb22223-all", timestamp = 1700000000000L, message = msg, ingestionTime = 1700000300000L, eventId = "3780" } },
            nextToken = token,
        });
        tc.Write("cw/filter-log-events.json", Page("2 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK", "t1") + "\n"
            + Page("2 203.0.113.5 10.0.1.5 443 49152 6 10 98000 1700000000 1700000060 ACCEPT OK", "t2"));
        tc.Load(new IngestOptions { LogGroup = "vpc-flows" });
        var rows = tc.Query("SELECT interface_id, srcaddr, bytes, line FROM flows ORDER BY line").Rows;
        Assert.Equal<object?>(["eni-0aaa1111bbbb22223", "10.0.1.5", 3400L, 1L], rows[0]);
        Assert.Equal<object?>(["eni-0aaa1111bbbb22223", "203.0.113.5", 98000L, 2L], rows[1]);
    }

    [Fact]
    public void Exports_filed_under_their_log_group_are_charged_to_the_flow_log_of_each_interface()
    {
        tc.Write("describe-flow-logs.json", """
            {"FlowLogs": [
              {"FlowLogId": "fl-0db", "LogGroupName": "critical-eni", "ResourceId": "eni-0db", "LogDestinationType": "cloud-watch-logs", "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"},
              {"FlowLogId": "fl-0web", "LogGroupName": "critical-eni", "ResourceId": "eni-0web", "LogDestinationType": "cloud-watch-logs", "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"}
            ]}
            """);
        var events = new[] { ("eni-0db", R1.Replace("eni-0aaa1111bbbb22223", "eni-0db")), ("eni-0web", R2.Replace("eni-0aaa1111bbbb22223", "eni-0web")) }
            .Select(e => new { logStreamName = e.Item1 + "-all", timestamp = 1700000000000L, message = e.Item2, ingestionTime = 1700000300000L, eventId = "1" });
        tc.Write("cloudwatch/critical-eni/filter-log-events.json", JsonSerializer.Serialize(new { events }));
        tc.Load();
        var rows = tc.Query("SELECT interface_id, flow_log_id FROM flows ORDER BY interface_id").Rows;
        Assert.Equal<object?>(["eni-0db", "fl-0db"], rows[0]);
        Assert.Equal<object?>(["eni-0web", "fl-0web"], rows[1]);
        var e = tc.Query("SELECT flow_log_id, notes FROM evidence WHERE kind = 'cloudwatch-json'").Rows.Single();
        Assert.Equal<object?>([null, "records of flow logs fl-0db, fl-0web"], e);
    }

    [Fact]
    public void Subscription_payloads_as_firehose_writes_them_to_s3_resolve_the_log_group()
    {
        tc.Write("describe-flow-logs.json", DescribeFlowLogs);
        string Payload(string type, params string[] messages) => JsonSerializer.Serialize(new
        {
            messageType = type, owner = "123456789010", logGroup = "vpc-flows", logStream = "eni-0ccc3333dddd44445-all", subscriptionFilters = new[] { "f" },
            logEvents = messages.Select((m, i) => new { id = $"{i}", timestamp = 1700000000000L, message = m }).ToArray(),
        });
        // Firehose concatenates the gzip'ed payloads it receives into one object without separators.
        var body = Encoding.UTF8.GetBytes(Payload("CONTROL_MESSAGE", "CWL CONTROL MESSAGE: Checking health of destination Firehose.")
            + Payload("DATA_MESSAGE", "2 10.0.2.7 198.51.100.9 50000 22 6 3 180 1700000000 1700000060 REJECT OK", "2 10.0.2.7 198.51.100.9 50001 22 6 3 180 1700000000 1700000060 REJECT OK"));
        tc.Write("firehose/2023/11/14/22/vpc-flows-stream-1-2023-11-14-22-10-00-abcd", TempCase.Gzip(body));
        tc.Load();
        var rows = tc.Query("SELECT interface_id, dstport, action, flow_log_id FROM flows ORDER BY srcport").Rows;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal<object?>(["eni-0ccc3333dddd44445", 22, "REJECT", "fl-0cw"], r));
        Assert.Contains("CONTROL_MESSAGE", tc.Scalar<string>("SELECT notes FROM evidence WHERE kind = 'cloudwatch-json'"));
    }

    [Fact]
    public void Firehose_http_envelopes_with_base64_gzip_records_are_read()
    {
        var inner = TempCase.Gzip(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            messageType = "DATA_MESSAGE", logGroup = "g", logStream = "eni-0ddd", logEvents = new[] { new { id = "1", timestamp = 1L, message = R1 } },
        })));
        tc.Write("envelope.json", JsonSerializer.Serialize(new { requestId = "r", timestamp = 1L, records = new[] { new { data = Convert.ToBase64String(inner) } } }));
        tc.Load();
        Assert.Equal(3400L, tc.Scalar<long>("SELECT bytes FROM flows"));
    }

    [Fact]
    public void Firehose_plain_text_and_cloudwatch_export_tasks_are_read()
    {
        tc.Write("firehose/2023/11/14/22/stream-1-2023-11-14-22-10-00-0f0f", R1 + "\n" + R2 + "\n");
        tc.WriteGzip("export/5d2a-task/eni-0aaa1111bbbb22223-all/000000.gz", $"2023-11-14T22:13:20.000Z {R1}\n2023-11-14T22:13:20.000Z {R2}\n");
        var s = tc.Load();
        Assert.Equal((2, 4L, 0L), (s.Objects, s.Records, s.Rejects));
        Assert.Equal(2L, tc.Scalar<long>("SELECT count(DISTINCT evidence_id) FROM flows WHERE bytes = 98000"));
    }

    [Fact]
    public void Text_quirks_crlf_blank_lines_repeated_headers_runs_of_spaces_ms_times_unknown_accounts()
    {
        var text = Header + "\r\n\r\n" + R1.Replace(" 10.0.1.5 ", "   10.0.1.5\t") + "\r\n" + Header + "\r\n"
                   + "2 unknown eni-0eee 10.0.3.3 10.0.3.4 1 2 17 1 76 1512564058000 1512564059000 ACCEPT OK\r\n";
        tc.Write("quirks.log", text);
        tc.Load();
        var e = tc.Query("SELECT records, rejected, header_lines, blank_lines FROM evidence").Rows.Single();
        Assert.Equal<object?>([2L, 0L, 2L, 1L], e);
        Assert.Equal("10.0.1.5", tc.Scalar<string>("SELECT srcaddr FROM flows WHERE line = 3"));
        var ms = tc.Query("SELECT account_id, start_time, end_time FROM flows WHERE line = 5").Rows.Single();
        Assert.Equal<object?>(["unknown", new DateTime(2017, 12, 6, 12, 40, 58, DateTimeKind.Utc), new DateTime(2017, 12, 6, 12, 40, 59, DateTimeKind.Utc)], ms);
    }

    [Fact]
    public void Unknown_fields_are_kept_as_text_under_their_own_name_and_newer_fields_are_typed()
    {
        tc.Write("new.log", "version interface-id srcaddr dstaddr encryption-status next-hop-interface-id future-field-x\n11 eni-1 10.0.0.1 10.0.0.2 2 eni-2 some-value\n");
        tc.Load();
        var r = tc.Query("SELECT version, encryption_status, next_hop_interface_id, future_field_x FROM flows").Rows.Single();
        Assert.Equal<object?>([11, 2, "eni-2", "some-value"], r);
    }

    [Fact]
    public void Transit_gateway_default_format_loads()
    {
        var values = "6 TransitGatewayAttachment 123456789010 tgw-0a tgw-attach-0b 123456789010 210987654321 vpc-1 vpc-2 subnet-1 subnet-2 eni-1 eni-2 use1-az1 use1-az2 tgw-attach-0c 10.1.0.5 10.2.0.7 44321 5432 6 40 9000 1700000000 1700000060 OK IPv4 0 0 0 0 3 us-east-1 egress - -";
        tc.Write("tgw.log", FlowNotebooks.Formats.FlowLogFormat.Parse(FlowNotebooks.Formats.FlowLogFormat.TransitGatewayDefaultLogFormat).Signature + "\n" + values + "\n");
        tc.Load();
        var r = tc.Query("SELECT resource_type, tgw_id, tgw_dst_vpc_account_id, dstport, bytes, packets_lost_no_route, action FROM flows").Rows.Single();
        Assert.Equal<object?>(["TransitGatewayAttachment", "tgw-0a", "210987654321", 5432, 9000L, 0L, null], r);
    }

    [Fact]
    public void Parquet_flow_logs_load_and_values_of_unexpected_types_reject_their_row()
    {
        var good = Path.Combine(tc.Dir, "AWSLogs/123456789010/vpcflowlogs/us-east-1/2023/11/14/123456789010_vpcflowlogs_us-east-1_fl-0pq_20231114T2210Z_0a0b0c0d.log.parquet");
        var bad = Path.Combine(tc.Dir, "odd-types.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(good)!);
        // AWS Parquet: version/ports/protocol int, packets/bytes/start/end bigint, strings elsewhere.
        tc.Store.Execute($"""
            COPY (SELECT * FROM (VALUES
              (5::INTEGER, '123456789010', 'eni-0p', '10.0.1.5', '203.0.113.5', 49152::INTEGER, 443::INTEGER, 6::INTEGER, 12::BIGINT, 3400::BIGINT, 1700000000::BIGINT, 1700000060::BIGINT, 'ACCEPT', 'OK', '-'),
              (5::INTEGER, '123456789010', 'eni-0p', '2001:db8::1', '2001:db8::2', 1::INTEGER, 2::INTEGER, 17::INTEGER, 1::BIGINT, 99::BIGINT, 1700000000::BIGINT, 1700000060::BIGINT, 'ACCEPT', 'OK', 'S3'))
              t(version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, "start", "end", action, log_status, pkt_dst_aws_service))
            TO '{good}' (FORMAT parquet, COMPRESSION gzip)
            """);
        tc.Store.Execute($"""
            COPY (SELECT * FROM (VALUES ('10.0.0.1', 'https', 1.5::DOUBLE), ('10.0.0.2', '443', 7.5::DOUBLE), ('10.0.0.3', '80', 8::DOUBLE)) t(srcaddr, dstport, bytes))
            TO '{bad}' (FORMAT parquet)
            """);
        tc.Load();
        var g = tc.Query("SELECT srcaddr, srcaddr_v4, bytes, start_time, pkt_dst_aws_service, flow_log_id, line FROM flows WHERE interface_id = 'eni-0p' ORDER BY line").Rows;
        Assert.Equal<object?>(["10.0.1.5", 167772421u, 3400L, new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc), null, "fl-0pq", 1L], g[0]);
        Assert.Equal("S3", g[1][4]);
        Assert.Equal("42540766411282592856903984951653826561", tc.Scalar<string>("SELECT CAST(srcaddr_v6 AS VARCHAR) FROM flows WHERE srcaddr = '2001:db8::1'"));
        var rejects = tc.Query("SELECT line, reason FROM rejects WHERE object = 'odd-types.parquet' ORDER BY line").Rows;
        Assert.Equal(2, rejects.Count);
        Assert.Equal<object?>([1L, "field 'dstport' (Parquet VARCHAR): 'https' is not a 32-bit integer"], rejects[0]);
        Assert.Equal<object?>([2L, "field 'bytes' (Parquet DOUBLE): '7.5' is not a 64-bit integer"], rejects[1]);
        Assert.Equal<object?>(["10.0.0.3", 80, 8L], tc.Query("SELECT srcaddr, dstport, bytes FROM flows WHERE srcaddr LIKE '10.0.0.%'").Rows.Single());
    }
}
