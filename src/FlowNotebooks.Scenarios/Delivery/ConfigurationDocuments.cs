using System.Globalization;
using FlowNotebooks.Formats;
using FlowNotebooks.Scenarios.Network;
using Member = System.Collections.Generic.Dictionary<string, object?>;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// The two configuration files an analyst collects with the AWS CLI: <c>aws ec2 describe-flow-logs</c> and
/// <c>aws ec2 describe-network-interfaces</c>, written by the engine's one AWS-CLI-JSON writer (<see cref="AwsCliJson"/>)
/// with members in the order the CLI's examples print them. Unmanaged hosts are absent by design.
/// </summary>
internal static class ConfigurationDocuments
{
    public static void WriteFlowLogs(string path, VpcTopology vpc, IReadOnlyList<Capture> captures) =>
        AwsCliJson.WriteList(path, "FlowLogs", captures.Select(c => FlowLog(c, vpc)));

    static Member FlowLog(Capture c, VpcTopology vpc)
    {
        var cloudWatch = c.Destination == CaptureDestination.CloudWatch;
        var flowLog = new Member
        {
            ["CreationTime"] = c.CreationTime,
            ["DeliverLogsErrorMessage"] = c.DeliveryError,
            ["DeliverLogsStatus"] = c.DeliveryError is null ? "SUCCESS" : "FAILED",
            ["FlowLogId"] = c.FlowLogId,
            ["FlowLogStatus"] = "ACTIVE",
            ["ResourceId"] = c.ResourceId,
            ["TrafficType"] = c.TrafficType,
        };
        if (cloudWatch)
        {
            flowLog["DeliverLogsPermissionArn"] = $"arn:aws:iam::{vpc.AccountId}:role/vpc-flow-logs-to-cloudwatch";
            flowLog["LogGroupName"] = c.LogGroup;
            flowLog["LogDestinationType"] = "cloud-watch-logs";
            flowLog["LogDestination"] = $"arn:aws:logs:{vpc.Region}:{vpc.AccountId}:log-group:{c.LogGroup}";
        }
        else
        {
            flowLog["LogDestinationType"] = "s3";
            flowLog["LogDestination"] = $"arn:aws:s3:::{c.Bucket}" + (c.Prefix is null ? "" : "/" + c.Prefix);
        }
        flowLog["LogFormat"] = c.Format.LogFormat;
        if (!cloudWatch)
            flowLog["DestinationOptions"] = new Member
            {
                ["FileFormat"] = c.Destination == CaptureDestination.S3Parquet ? "parquet" : "plain-text",
                ["HiveCompatiblePartitions"] = c.Layout is KeyLayout.Hive or KeyLayout.HivePerHour,
                ["PerHourPartition"] = c.Layout is KeyLayout.DefaultPerHour or KeyLayout.HivePerHour,
            };
        flowLog["MaxAggregationInterval"] = c.MaxAggregationInterval;
        flowLog["Tags"] = new[] { Tag("Name", c.FlowLogId.Length > 0 ? Describe(c, vpc) : "") };
        return flowLog;
    }

    static string Describe(Capture c, VpcTopology vpc)
    {
        if (vpc.Subnets.FirstOrDefault(s => s.Id == c.ResourceId) is { } subnet) return $"{subnet.Name}-subnet-flow-log";
        if (vpc.Workloads.FirstOrDefault(w => w.InterfaceId == c.ResourceId) is { } w) return $"{w.Name}-eni-flow-log";
        return "vpc-flow-log";
    }

    public static void WriteNetworkInterfaces(string path, VpcTopology vpc, DateTime attachTime) =>
        AwsCliJson.WriteList(path, "NetworkInterfaces", vpc.Workloads.Where(w => w.Managed && w.InterfaceId is not null).Select(w => Interface(w, vpc, attachTime)));

    static Member Interface(Workload w, VpcTopology vpc, DateTime attachTime) => new()
    {
        ["Association"] = w.PublicIp != 0 ? Association(w, vpc) : null,
        ["Attachment"] = new Member
        {
            ["AttachTime"] = attachTime,
            ["AttachmentId"] = "eni-attach-" + w.InterfaceId![4..],
            ["DeleteOnTermination"] = w.InstanceId is not null,
            ["DeviceIndex"] = w.InstanceId is not null ? 0 : 1,
            ["InstanceId"] = w.InstanceId,
            ["InstanceOwnerId"] = w.AttachmentOwner ?? vpc.AccountId,
            ["Status"] = "attached",
        },
        ["AvailabilityZone"] = w.Subnet.AvailabilityZone,
        ["Description"] = w.Description,
        ["Groups"] = w.SecurityGroup is null ? Array.Empty<Member>() : [new Member { ["GroupName"] = w.Role + "-sg", ["GroupId"] = w.SecurityGroup }],
        ["InterfaceType"] = w.InterfaceType,
        ["Ipv6Addresses"] = Array.Empty<object>(),
        ["MacAddress"] = Mac(w),
        ["NetworkInterfaceId"] = w.InterfaceId,
        ["OwnerId"] = vpc.AccountId,
        ["PrivateDnsName"] = Dns(w.PrivateIp, vpc.Region),
        ["PrivateIpAddress"] = w.PrivateAddress,
        ["PrivateIpAddresses"] = new[]
        {
            new Member
            {
                ["Association"] = w.PublicIp != 0 ? Association(w, vpc) : null,
                ["Primary"] = true,
                ["PrivateDnsName"] = Dns(w.PrivateIp, vpc.Region),
                ["PrivateIpAddress"] = w.PrivateAddress,
            },
        },
        ["RequesterId"] = w.RequesterId,
        ["RequesterManaged"] = w.RequesterManaged,
        ["SourceDestCheck"] = w.Role != "nat_gateway",
        ["Status"] = "in-use",
        ["SubnetId"] = w.Subnet.Id,
        ["TagSet"] = w.InstanceId is not null ? [Tag("Name", w.Name)] : Array.Empty<Member>(),
        ["VpcId"] = vpc.VpcId,
    };

    static Member Association(Workload w, VpcTopology vpc)
    {
        var elastic = w.Role is "nat_gateway" or "bastion";
        return new Member
        {
            ["AllocationId"] = elastic ? "eipalloc-" + w.InterfaceId![4..] : null,
            ["AssociationId"] = elastic ? "eipassoc-" + w.InterfaceId![4..] : null,
            ["IpOwnerId"] = elastic ? vpc.AccountId : "amazon",
            ["PublicDnsName"] = $"ec2-{w.PublicAddress!.Replace('.', '-')}.{vpc.Region}.compute.amazonaws.com",
            ["PublicIp"] = w.PublicAddress,
        };
    }

    static Member Tag(string key, string value) => new() { ["Key"] = key, ["Value"] = value };

    static string Dns(uint ip, string region) => $"ip-{Ipv4.Format(ip).Replace('.', '-')}.{region}.compute.internal";

    static string Mac(Workload w)
    {
        var h = ScenarioRandom.Key(0, w.InterfaceId!);
        return string.Create(CultureInfo.InvariantCulture, $"0a:{h & 255:x2}:{(h >> 8) & 255:x2}:{(h >> 16) & 255:x2}:{(h >> 24) & 255:x2}:{(h >> 32) & 255:x2}");
    }
}
