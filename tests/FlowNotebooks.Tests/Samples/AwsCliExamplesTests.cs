using System.Text.Json;
using FlowNotebooks.Formats;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Samples;

/// <summary>Every JSON the AWS CLI documentation shows for the collection commands, read by the loader.</summary>
public sealed class AwsCliExamplesTests : IDisposable
{
    readonly TempCase tc = new();
    readonly JsonElement examples = JsonDocument.Parse(File.ReadAllBytes(TestData.Path("aws", "aws-cli__examples.json"))).RootElement;

    public AwsCliExamplesTests()
    {
        foreach (var (key, file) in new[]
        {
            ("ec2_describe_flow_logs", "describe-flow-logs.json"), ("ec2_describe_network_interfaces", "describe-network-interfaces.json"),
            ("logs_filter_log_events", "filter-log-events.json"), ("logs_get_log_events", "get-log-events.json"), ("ec2_create_flow_logs", "create-flow-logs.json"),
        })
            tc.Write(file, examples.GetProperty(key).GetRawText());
    }

    public void Dispose() => tc.Dispose();

    [Fact]
    public void Describe_flow_logs_gives_the_captures_and_their_formats()
    {
        tc.Load();
        var rows = tc.Query("SELECT flow_log_id, resource_id, traffic_type, log_destination_type, log_group_name, log_destination, log_format FROM flow_logs ORDER BY flow_log_id").Rows;
        Assert.Equal(2, rows.Count);
        Assert.Equal<object?>(["fl-01234567890123456", "vpc-00112233445566778", "ACCEPT", "s3", null, "arn:aws:s3:::my-flow-log-bucket/custom"], rows[0][..6]);
        Assert.Equal<object?>(["fl-aabbccdd112233445", "subnet-12345678901234567", "ALL", "cloud-watch-logs", "FlowLogGroup", null], rows[1][..6]);
        var custom = FlowLogFormat.Parse((string)rows[0][6]!);
        Assert.Equal(21, custom.Fields.Count);
        Assert.Equal(3, custom.HighestVersion);
        Assert.Equal("bytes", custom.Fields[14].Name);
        Assert.Equal("flow-log-config", tc.Scalar<string>("SELECT kind FROM evidence WHERE object = 'describe-flow-logs.json'"));
    }

    [Fact]
    public void An_s3_object_without_header_takes_the_layout_of_its_flow_log_from_describe_flow_logs()
    {
        // The doc's TCP-flag record uses exactly the custom LogFormat of fl-01234567890123456.
        tc.Write("AWSLogs/123456789010/vpcflowlogs/us-east-1/2019/08/26/123456789010_vpcflowlogs_us-east-1_fl-01234567890123456_20190826T1945Z_fe123456.log",
            "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK\n");
        tc.Load();
        Assert.Equal(0L, tc.Scalar<long>("SELECT rejected FROM evidence WHERE kind = 'flow-text'"));
        var r = tc.Query("SELECT flow_log_id, bytes, packets, tcp_flags, instance_id FROM flows").Rows.Single();
        Assert.Equal<object?>(["fl-01234567890123456", 568L, 8L, 2, "i-01234567890123456"], r);
        Assert.Equal("2019-08-26T19:45:00", tc.Scalar<DateTime>("SELECT delivery_time FROM evidence WHERE kind = 'flow-text'").ToString("s"));
        Assert.Equal("Default", tc.Scalar<string>("SELECT key_layout FROM evidence WHERE kind = 'flow-text'"));
    }

    [Fact]
    public void Describe_network_interfaces_gives_the_inventory()
    {
        tc.Load();
        var rows = tc.Query("SELECT interface_id, private_ip, private_ip_v4, public_ip, instance_id, role, vpc_id FROM interfaces ORDER BY interface_id").Rows;
        Assert.Equal<object?>(["eni-e5aa89a3", "10.0.1.17", 167772433u, "203.0.113.12", "i-1234567890abcdef0", "instance", "vpc-a01106c2"], rows[0]);
        Assert.Equal<object?>(["eni-f9ba99bf", "10.0.1.149", 167772565u, "198.51.100.0", "i-0598c7d356eba48d7", "instance", "vpc-a01106c2"], rows[1]);
        Assert.Equal(2L, tc.Scalar<long>("SELECT count(*) FROM interface_addresses WHERE is_primary"));
    }

    [Fact]
    public void Log_event_exports_are_read_and_their_non_flow_messages_rejected_with_the_event_number()
    {
        // The CLI doc's events carry "Test MESSAGE1" etc.: CloudWatch output, but not flow records.
        tc.Load();
        var filter = tc.Query("SELECT line, reason, raw FROM rejects WHERE object = 'filter-log-events.json' ORDER BY line").Rows;
        Assert.Equal(2, filter.Count);
        Assert.Equal<object?>([1L, "expected 14 fields (default v2 format) but found 2", "Test MESSAGE1"], filter[0]);
        Assert.Equal<object?>([2L, "expected 14 fields (default v2 format) but found 2", "Test MESSAGE2"], filter[1]);
        var get = tc.Query("SELECT line, raw FROM rejects WHERE object = 'get-log-events.json' ORDER BY line").Rows;
        Assert.Equal(["Example Event 1", "Example Event 1", "Example Event 2"], get.Select(r => (string)r[1]!));
        Assert.Equal("cloudwatch-json", tc.Scalar<string>("SELECT kind FROM evidence WHERE object = 'get-log-events.json'"));
        var create = tc.Query("SELECT reason FROM rejects WHERE object = 'create-flow-logs.json'").Rows.Single();
        Assert.Equal("JSON object is not CloudWatch Logs output (no events, logEvents, records or message)", create[0]);
    }
}
