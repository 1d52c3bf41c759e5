using System.Text.Json.Nodes;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Acquisition;

/// <summary>EC2 describe-* collection against a loopback endpoint speaking the EC2 Query protocol (XML answers).</summary>
public sealed class Ec2Tests
{
    [Fact]
    public async Task Describe_calls_are_paged_retried_and_saved_in_the_cli_shape_the_loader_reads()
    {
        using var server = new FakeEc2();
        using var dir = new TempDir();
        File.WriteAllText(dir.File("credentials"), "[ir]\naws_access_key_id = AKIDEC2TEST\naws_secret_access_key = ec2-secret-never-printed\n");
        File.WriteAllText(dir.File("config"), "[profile ir]\nregion = us-east-1\n");
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_EC2"] = server.Endpoint.ToString() };
        var settings = new AwsSettings
        {
            Profile = "ir", ConfigFile = dir.File("config"), CredentialsFile = dir.File("credentials"), Environment = env.GetValueOrDefault,
            Retry = new AwsRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        };
        var folder = dir.File("evidence");
        var progress = new List<AcquisitionProgress>();
        var result = await Ec2Collector.CollectAsync(settings, folder, new SyncProgress<AcquisitionProgress>(progress.Add));

        Assert.Equal(["DescribeFlowLogs", "DescribeFlowLogs", "DescribeFlowLogs+p2", "DescribeNetworkInterfaces"], server.Calls);
        Assert.Equal((2, 1), (result.FlowLogs, result.Interfaces));
        Assert.Equal(1, progress[^1].Throttles);
        var flows = JsonNode.Parse(File.ReadAllText(result.FlowLogsFile))!.AsObject();
        Assert.Equal(["FlowLogs"], flows.Select(p => p.Key));
        var fl = flows["FlowLogs"]![0]!.AsObject();
        Assert.Equal("fl-1111abcd", fl["FlowLogId"]!.GetValue<string>());
        // As the AWS CLI prints it in its own describe-flow-logs example ("CreationTime": "2018-02-21T13:22:12.644Z").
        Assert.Equal("2026-03-01T10:00:00.000Z", fl["CreationTime"]!.GetValue<string>());
        Assert.Equal(60, fl["MaxAggregationInterval"]!.GetValue<int>());
        Assert.True(fl["DestinationOptions"]!["HiveCompatiblePartitions"]!.GetValue<bool>());
        Assert.Equal("prod-vpc", fl["Tags"]![0]!["Value"]!.GetValue<string>());
        Assert.False(fl.ContainsKey("ResponseMetadata"));
        var enis = JsonNode.Parse(File.ReadAllText(result.InterfacesFile))!["NetworkInterfaces"]!.AsArray();
        Assert.Equal("i-0123456789abcdef0", enis[0]!["Attachment"]!["InstanceId"]!.GetValue<string>());
        Assert.Equal("interface", enis[0]!["InterfaceType"]!.GetValue<string>());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, AcquisitionManifest.FileName)).Length);

        using var store = CaseStore.Open();
        new EvidenceLoader(store).Load([folder]);
        Assert.Equal(2L, store.Scalar<long>("SELECT count(*) FROM flow_logs"));
        Assert.Equal("${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${flow-direction} ${start} ${end} ${action}",
            store.Scalar<string>("SELECT log_format FROM flow_logs WHERE flow_log_id = 'fl-2222abcd'"));
        Assert.Equal("10.0.1.5", store.Scalar<string>("SELECT private_ip FROM interfaces WHERE interface_id = 'eni-0aaa1111aaaa11110'"));
        Assert.Equal(2L, store.Scalar<long>("SELECT count(*) FROM interface_addresses"));
    }
}
