using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Acquisition;

/// <summary>EC2 describe-* collection against a loopback endpoint speaking the EC2 Query protocol (XML answers).</summary>
public sealed class Ec2Tests
{
    const string Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    static string FlowLogItem(string id, string format, string destination) => $"""
        <item>
          <creationTime>2026-03-01T10:00:00.000Z</creationTime>
          <deliverLogsStatus>SUCCESS</deliverLogsStatus>
          <flowLogId>{id}</flowLogId>
          <flowLogStatus>ACTIVE</flowLogStatus>
          <logDestinationType>{destination}</logDestinationType>
          <logDestination>arn:aws:s3:::flowlogs-central</logDestination>
          <resourceId>vpc-0abc1234</resourceId>
          <trafficType>ALL</trafficType>
          <logFormat>{format}</logFormat>
          <maxAggregationInterval>60</maxAggregationInterval>
          <destinationOptions><fileFormat>plain-text</fileFormat><hiveCompatiblePartitions>true</hiveCompatiblePartitions><perHourPartition>true</perHourPartition></destinationOptions>
          <tagSet><item><key>Name</key><value>prod-vpc</value></item></tagSet>
        </item>
        """;

    const string Eni = """
        <item>
          <networkInterfaceId>eni-0aaa1111aaaa11110</networkInterfaceId>
          <subnetId>subnet-01</subnetId>
          <vpcId>vpc-0abc1234</vpcId>
          <availabilityZone>us-east-1a</availabilityZone>
          <description>Primary network interface</description>
          <ownerId>123456789012</ownerId>
          <requesterManaged>false</requesterManaged>
          <status>in-use</status>
          <macAddress>0a:1b:2c:3d:4e:5f</macAddress>
          <privateIpAddress>10.0.1.5</privateIpAddress>
          <sourceDestCheck>true</sourceDestCheck>
          <interfaceType>interface</interfaceType>
          <groupSet><item><groupId>sg-0web</groupId><groupName>web</groupName></item></groupSet>
          <attachment><attachmentId>eni-attach-01</attachmentId><instanceId>i-0123456789abcdef0</instanceId><instanceOwnerId>123456789012</instanceOwnerId><deviceIndex>0</deviceIndex><status>attached</status><attachTime>2026-02-01T08:00:00.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></attachment>
          <association><publicIp>198.51.100.10</publicIp><ipOwnerId>amazon</ipOwnerId></association>
          <privateIpAddressesSet><item><privateIpAddress>10.0.1.5</privateIpAddress><primary>true</primary></item><item><privateIpAddress>10.0.1.6</privateIpAddress><primary>false</primary></item></privateIpAddressesSet>
          <tagSet><item><key>Name</key><value>web-1</value></item></tagSet>
        </item>
        """;

    [Fact]
    public async Task Describe_calls_are_paged_retried_and_saved_in_the_cli_shape_the_loader_reads()
    {
        var listener = new HttpListener();
        var port = TestSupport.Loopback.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var calls = new List<string>();
        var serve = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await listener.GetContextAsync(); } catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                var body = await new StreamReader(ctx.Request.InputStream).ReadToEndAsync();
                var form = System.Web.HttpUtility.ParseQueryString(body);
                var action = form["Action"]!;
                calls.Add(action + (form["NextToken"] is { } t ? $"+{t}" : ""));
                string xml;
                var status = 200;
                if (calls.Count == 1)
                {
                    status = 503;
                    xml = "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r0</RequestID></Response>";
                }
                else if (action == "DescribeFlowLogs" && form["NextToken"] is null)
                    xml = $"<DescribeFlowLogsResponse xmlns=\"{Ns}\"><requestId>r1</requestId><flowLogSet>{FlowLogItem("fl-1111abcd", "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}", "s3")}</flowLogSet><nextToken>p2</nextToken></DescribeFlowLogsResponse>";
                else if (action == "DescribeFlowLogs")
                    xml = $"<DescribeFlowLogsResponse xmlns=\"{Ns}\"><requestId>r2</requestId><flowLogSet>{FlowLogItem("fl-2222abcd", "${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${flow-direction} ${start} ${end} ${action}", "cloud-watch-logs")}</flowLogSet></DescribeFlowLogsResponse>";
                else
                    xml = $"<DescribeNetworkInterfacesResponse xmlns=\"{Ns}\"><requestId>r3</requestId><networkInterfaceSet>{Eni}</networkInterfaceSet></DescribeNetworkInterfacesResponse>";
                var bytes = Encoding.UTF8.GetBytes(xml);
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "text/xml";
                ctx.Response.OutputStream.Write(bytes);
                ctx.Response.Close();
            }
        });
        try
        {
            using var dir = new TempDir();
            File.WriteAllText(dir.File("credentials"), "[ir]\naws_access_key_id = AKIDEC2TEST\naws_secret_access_key = ec2-secret-never-printed\n");
            File.WriteAllText(dir.File("config"), "[profile ir]\nregion = us-east-1\n");
            var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_EC2"] = $"http://127.0.0.1:{port}" };
            var settings = new AwsSettings
            {
                Profile = "ir", ConfigFile = dir.File("config"), CredentialsFile = dir.File("credentials"), Environment = env.GetValueOrDefault,
                Retry = new AwsRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
            };
            var folder = dir.File("evidence");
            var progress = new List<AcquisitionProgress>();
            var result = await Ec2Collector.CollectAsync(settings, folder, new SyncProgress<AcquisitionProgress>(progress.Add));

            Assert.Equal(["DescribeFlowLogs", "DescribeFlowLogs", "DescribeFlowLogs+p2", "DescribeNetworkInterfaces"], calls);
            Assert.Equal((2, 1), (result.FlowLogs, result.Interfaces));
            Assert.Equal(1, progress[^1].Throttles);
            var flows = JsonNode.Parse(File.ReadAllText(result.FlowLogsFile))!.AsObject();
            Assert.Equal(["FlowLogs"], flows.Select(p => p.Key));
            var fl = flows["FlowLogs"]![0]!.AsObject();
            Assert.Equal("fl-1111abcd", fl["FlowLogId"]!.GetValue<string>());
            Assert.Equal("2026-03-01T10:00:00.000000+00:00", fl["CreationTime"]!.GetValue<string>());
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
        finally
        {
            listener.Stop();
            listener.Close();
            await serve;
        }
    }

}
