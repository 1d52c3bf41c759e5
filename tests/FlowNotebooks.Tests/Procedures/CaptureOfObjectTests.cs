using System.Text;
using System.Text.Json;
using FlowNotebooks.Procedures;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// Which capture an object belongs to decides which records count: when two captures logged one interface in one hour,
/// only one of them is read. A capture is a flow log, or (objects that name none) the log group that delivered them;
/// never a folder that says when an object was written. Firehose files objects by hour (<c>YYYY/MM/DD/HH/</c>), and a
/// record that started at 22:58 can arrive in the 23:00 folder: taken as two captures of the interface, the hour's second
/// object was dropped with its records.
/// </summary>
public sealed class CaptureOfObjectTests : IDisposable
{
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    // A subscription payload as Firehose writes it to S3 (gzip'ed, no describe-flow-logs in the case: v2 default format).
    static byte[] Payload(string logGroup, params string[] messages) => TempCase.Gzip(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        messageType = "DATA_MESSAGE", owner = "123456789010", logGroup, logStream = "eni-0aaa1111bbbb22223-all", subscriptionFilters = new[] { "f" },
        logEvents = messages.Select((m, i) => new { id = $"{i}", timestamp = 1700000000000L, message = m }).ToArray(),
    })));

    static string Record(int srcport, long bytes, long start, long end) =>
        $"2 123456789010 eni-0aaa1111bbbb22223 10.0.1.5 203.0.113.5 {srcport} 443 6 10 {bytes} {start} {end} ACCEPT OK";

    [Fact]
    public void Firehose_objects_of_one_log_group_in_two_hour_folders_are_one_capture()
    {
        // 2023-11-14 22:10 and 22:58 UTC; the second record was delivered after 23:00, into the next hour's folder.
        long t1 = 1700000000 - 200, t2 = t1 + 48 * 60;
        tc.Write("firehose/2023/11/14/22/vpc-flows-stream-1-2023-11-14-22-10-00-aaaa", Payload("vpc-flows", Record(50000, 1000, t1, t1 + 60)));
        tc.Write("firehose/2023/11/14/23/vpc-flows-stream-1-2023-11-14-23-02-00-bbbb", Payload("vpc-flows", Record(50001, 7000, t2, t2 + 60)));
        var s = tc.Load();
        Assert.Equal((2, 2L, 0L), (s.Objects, s.Records, s.Rejects));
        CountedFlows.EnsureCurrent(tc.Store);

        // Both journeys count, each once: 1,000 + 7,000 bytes, as the two records say.
        Assert.Equal((2L, 8000L), (tc.Scalar<long>("SELECT count(*) FROM counted_journeys"), tc.Scalar<long>("SELECT sum(bytes)::BIGINT FROM counted_journeys")));
        Assert.Equal(["group:vpc-flows"], tc.Query("SELECT DISTINCT capture FROM evidence_captures").Rows.Select(r => (string)r[0]!).ToList());
    }

    [Fact]
    public void Two_log_groups_of_one_interface_stay_two_captures()
    {
        // Two subscriptions of one interface (two flow logs into two groups): two captures, one read per hour, so the
        // journey logged by both counts once.
        long t = 1700000000 - 200;
        tc.Write("firehose/2023/11/14/22/a-stream-1-2023-11-14-22-10-00-aaaa", Payload("group-a", Record(50000, 1000, t, t + 60)));
        tc.Write("firehose/2023/11/14/22/b-stream-1-2023-11-14-22-10-00-bbbb", Payload("group-b", Record(50000, 1000, t, t + 60)));
        tc.Load();
        CountedFlows.EnsureCurrent(tc.Store);

        Assert.Equal(["group:group-a", "group:group-b"], tc.Query("SELECT DISTINCT capture FROM evidence_captures ORDER BY 1").Rows.Select(r => (string)r[0]!).ToList());
        Assert.Equal((1L, 1000L), (tc.Scalar<long>("SELECT count(*) FROM counted_journeys"), tc.Scalar<long>("SELECT sum(bytes)::BIGINT FROM counted_journeys")));
    }

    // Two flow logs to two log groups with different formats: which group an export belongs to decides how it reads.
    const string TwoGroups = """
        {"FlowLogs": [
          {"FlowLogId": "fl-0short", "LogGroupName": "vpc-flows", "LogDestinationType": "cloud-watch-logs", "TrafficType": "ALL", "ResourceId": "vpc-1",
           "LogFormat": "${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"},
          {"FlowLogId": "fl-0other", "LogGroupName": "other-flows", "LogDestinationType": "cloud-watch-logs", "TrafficType": "ALL", "ResourceId": "vpc-2"}
        ]}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_export_task_filed_under_its_log_group_reads_in_the_groups_format_as_the_groups_capture(bool passedAsFiles)
    {
        // aws logs create-export-task writes {prefix}/{task}/{stream}/000000.gz, a timestamp before each message; the
        // analyst filed it under the group's name. The format has no interface-id: the stream folder names the interface.
        var config = tc.Write("describe-flow-logs.json", TwoGroups);
        var export = tc.WriteGzip("exports/vpc-flows/5d2a-task/eni-0ccc3333dddd44445-all/000000.gz",
            "2023-11-14T22:13:20.000Z 2 10.0.2.7 198.51.100.9 50000 22 6 3 180 1700000000 1700000060 REJECT OK\n"
            + "2023-11-14T22:13:21.000Z 2 10.0.2.7 198.51.100.9 50001 22 6 4 240 1700000001 1700000061 REJECT OK\n");
        var s = passedAsFiles ? tc.Load(null, config, export) : tc.Load();
        Assert.Equal((2L, 0L), (s.Records, s.Rejects));
        var rows = tc.Query("SELECT interface_id, flow_log_id, dstport, packets, bytes FROM flows ORDER BY srcport").Rows;
        Assert.Equal<object?>(["eni-0ccc3333dddd44445", "fl-0short", 22, 3L, 180L], rows[0]);
        Assert.Equal<object?>(["eni-0ccc3333dddd44445", "fl-0short", 22, 4L, 240L], rows[1]);
        Assert.Equal(("vpc-flows", "fl-0short"), (tc.Scalar<string>("SELECT log_group FROM evidence WHERE kind = 'flow-text'"), tc.Scalar<string>("SELECT flow_log_id FROM evidence WHERE kind = 'flow-text'")));
    }
}
