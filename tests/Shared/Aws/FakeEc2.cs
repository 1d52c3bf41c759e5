using System.Net;
using System.Text;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// An EC2 Query-protocol endpoint on 127.0.0.1 (HttpListener, XML answers): DescribeFlowLogs in two pages (an S3 flow
/// log with the default format, then a CloudWatch one with a custom format) and DescribeNetworkInterfaces (one ENI with
/// two private addresses). With <see cref="ThrottleFirstCall"/> the very first call is answered 503 RequestLimitExceeded.
/// </summary>
public sealed class FakeEc2 : LoopbackHttpServer
{
    const string Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    readonly List<string> calls = [];

    public FakeEc2(bool throttleFirstCall = true)
    {
        ThrottleFirstCall = throttleFirstCall;
        Start();
    }

    public bool ThrottleFirstCall { get; }

    /// <summary>Each call's action (+NextToken), in order.</summary>
    public IReadOnlyList<string> Calls { get { lock (calls) return calls.ToList(); } }

    public static string FlowLogItem(string id, string format, string destination) => $"""
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

    public const string Eni = """
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

    protected override async Task HandleAsync(HttpListenerContext ctx)
    {
        var body = await new StreamReader(ctx.Request.InputStream).ReadToEndAsync();
        var form = System.Web.HttpUtility.ParseQueryString(body);
        var action = form["Action"]!;
        int n;
        lock (calls)
        {
            calls.Add(action + (form["NextToken"] is { } t ? $"+{t}" : ""));
            n = calls.Count;
        }
        string xml;
        var status = 200;
        if (n == 1 && ThrottleFirstCall)
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
}
