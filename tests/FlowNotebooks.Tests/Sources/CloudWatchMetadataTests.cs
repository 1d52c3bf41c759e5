using System.Text;
using System.Text.Json;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Sources;

/// <summary>
/// A CloudWatch Logs subscription payload (AWS's documented shape: messageType, owner, logGroup, logStream,
/// subscriptionFilters, logEvents[id, timestamp, message]) keeps its owner as the account, its log group as the capture and
/// its log stream as the interface, or as the transit gateway attachment for a <c>tgw-attach-</c> stream.
/// </summary>
public sealed class CloudWatchMetadataTests : IDisposable
{
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    // Formats without account-id and interface-id (or tgw-attachment-id): only the payload can tell them.
    const string Config = """
        {"FlowLogs": [
          {"FlowLogId": "fl-0cw", "LogGroupName": "vpc-flows", "LogDestinationType": "cloud-watch-logs", "TrafficType": "ALL", "ResourceId": "vpc-1",
           "LogFormat": "${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"},
          {"FlowLogId": "fl-0tgw", "LogGroupName": "tgw-flows", "LogDestinationType": "cloud-watch-logs", "ResourceId": "tgw-0abc",
           "LogFormat": "${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${log-status}"}
        ]}
        """;

    static byte[] Payload(string owner, string group, string stream, params string[] messages) => TempCase.Gzip(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        messageType = "DATA_MESSAGE", owner, logGroup = group, logStream = stream, subscriptionFilters = new[] { "to-firehose" },
        logEvents = messages.Select((m, i) => new { id = $"3719{i}", timestamp = 1700000000000L, message = m }).ToArray(),
    })));

    [Fact]
    public void Owner_log_group_and_eni_stream_are_kept()
    {
        tc.Write("describe-flow-logs.json", Config);
        tc.Write("firehose/2023/11/14/22/vpc-1", Payload("123456789010", "vpc-flows", "eni-0ccc3333dddd44445-all",
            "2 10.0.2.7 198.51.100.9 50000 22 6 3 180 1700000000 1700000060 REJECT OK"));
        tc.Load();
        Assert.Equal<object?>(["123456789010", "eni-0ccc3333dddd44445", null, "fl-0cw"],
            tc.Query("SELECT account_id, interface_id, tgw_attachment_id, flow_log_id FROM flows").Rows.Single());
        Assert.Equal<object?>(["123456789010", "vpc-flows", "fl-0cw"],
            tc.Query("SELECT account_id, log_group, flow_log_id FROM evidence WHERE kind = 'cloudwatch-json'").Rows.Single());
    }

    [Fact]
    public void A_transit_gateway_stream_is_the_attachment_not_an_interface()
    {
        tc.Write("describe-flow-logs.json", Config);
        tc.Write("firehose/2023/11/14/22/tgw-1", Payload("123456789010", "tgw-flows", "tgw-attach-0a1b2c3d4e5f6a7b8",
            "6 10.0.1.5 10.1.0.9 49152 443 6 12 3400 1700000000 1700000060 OK"));
        tc.Load();
        Assert.Equal<object?>([null, "tgw-attach-0a1b2c3d4e5f6a7b8", "123456789010", "fl-0tgw"],
            tc.Query("SELECT interface_id, tgw_attachment_id, account_id, flow_log_id FROM flows").Rows.Single());
        Assert.Equal("tgw-flows", tc.Scalar<string>("SELECT log_group FROM evidence WHERE kind = 'cloudwatch-json'"));
    }

    [Fact]
    public void A_record_that_names_its_own_account_and_interface_keeps_them()
    {
        // The default format carries account-id and interface-id: the record's own values win over the payload's.
        tc.Write("firehose/2023/11/14/22/vpc-2", Payload("999999999999", "other-group", "eni-0stream",
            "2 123456789010 eni-0record 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK"));
        tc.Load();
        Assert.Equal<object?>(["123456789010", "eni-0record"], tc.Query("SELECT account_id, interface_id FROM flows").Rows.Single());
        Assert.Equal<object?>(["999999999999", "other-group"], tc.Query("SELECT account_id, log_group FROM evidence WHERE kind = 'cloudwatch-json'").Rows.Single());
    }
}
