using FlowNotebooks.Formats;
using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// The two configuration files an analyst collects with the AWS CLI, in its output shape (4-space indent, PascalCase):
/// <c>aws ec2 describe-flow-logs</c> and <c>aws ec2 describe-network-interfaces</c>. Unmanaged hosts are absent by design.
/// </summary>
internal static class AwsCliJson
{
    static readonly JsonWriterOptions Indented = new() { Indented = true, IndentSize = 4 };

    public static void WriteFlowLogs(string path, VpcTopology vpc, IReadOnlyList<Capture> captures)
    {
        using var file = File.Create(path);
        using (var j = new Utf8JsonWriter(file, Indented))
        {
            j.WriteStartObject();
            j.WriteStartArray("FlowLogs");
            foreach (var c in captures)
            {
                j.WriteStartObject();
                j.WriteString("CreationTime", c.CreationTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                if (c.DeliveryError is { } error) j.WriteString("DeliverLogsErrorMessage", error);
                j.WriteString("DeliverLogsStatus", c.DeliveryError is null ? "SUCCESS" : "FAILED");
                j.WriteString("FlowLogId", c.FlowLogId);
                j.WriteString("FlowLogStatus", "ACTIVE");
                j.WriteString("ResourceId", c.ResourceId);
                j.WriteString("TrafficType", c.TrafficType);
                if (c.Destination == CaptureDestination.CloudWatch)
                {
                    j.WriteString("DeliverLogsPermissionArn", $"arn:aws:iam::{vpc.AccountId}:role/vpc-flow-logs-to-cloudwatch");
                    j.WriteString("LogGroupName", c.LogGroup);
                    j.WriteString("LogDestinationType", "cloud-watch-logs");
                    j.WriteString("LogDestination", $"arn:aws:logs:{vpc.Region}:{vpc.AccountId}:log-group:{c.LogGroup}");
                }
                else
                {
                    j.WriteString("LogDestinationType", "s3");
                    j.WriteString("LogDestination", $"arn:aws:s3:::{c.Bucket}" + (c.Prefix is null ? "" : "/" + c.Prefix));
                }
                j.WriteString("LogFormat", c.Format.LogFormat);
                if (c.Destination != CaptureDestination.CloudWatch)
                {
                    j.WriteStartObject("DestinationOptions");
                    j.WriteString("FileFormat", c.Destination == CaptureDestination.S3Parquet ? "parquet" : "plain-text");
                    j.WriteBoolean("HiveCompatiblePartitions", c.Layout is Formats.KeyLayout.Hive or Formats.KeyLayout.HivePerHour);
                    j.WriteBoolean("PerHourPartition", c.Layout is Formats.KeyLayout.DefaultPerHour or Formats.KeyLayout.HivePerHour);
                    j.WriteEndObject();
                }
                j.WriteNumber("MaxAggregationInterval", c.MaxAggregationInterval);
                j.WriteStartArray("Tags");
                Tag(j, "Name", c.FlowLogId.Length > 0 ? Describe(c, vpc) : "");
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        file.Write("\n"u8);
    }

    static string Describe(Capture c, VpcTopology vpc)
    {
        if (vpc.Subnets.FirstOrDefault(s => s.Id == c.ResourceId) is { } subnet) return $"{subnet.Name}-subnet-flow-log";
        if (vpc.Workloads.FirstOrDefault(w => w.InterfaceId == c.ResourceId) is { } w) return $"{w.Name}-eni-flow-log";
        return "vpc-flow-log";
    }

    public static void WriteNetworkInterfaces(string path, VpcTopology vpc, DateTime attachTime)
    {
        using var file = File.Create(path);
        using (var j = new Utf8JsonWriter(file, Indented))
        {
            j.WriteStartObject();
            j.WriteStartArray("NetworkInterfaces");
            foreach (var w in vpc.Workloads.Where(w => w.Managed && w.InterfaceId is not null))
            {
                j.WriteStartObject();
                if (w.PublicIp != 0)
                {
                    j.WriteStartObject("Association");
                    Association(j, w, vpc);
                    j.WriteEndObject();
                }
                j.WriteStartObject("Attachment");
                j.WriteString("AttachTime", attachTime.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture));
                j.WriteString("AttachmentId", "eni-attach-" + w.InterfaceId![4..]);
                j.WriteBoolean("DeleteOnTermination", w.InstanceId is not null);
                j.WriteNumber("DeviceIndex", w.InstanceId is not null ? 0 : 1);
                if (w.InstanceId is not null) j.WriteString("InstanceId", w.InstanceId);
                j.WriteString("InstanceOwnerId", w.AttachmentOwner ?? vpc.AccountId);
                j.WriteString("Status", "attached");
                j.WriteEndObject();
                j.WriteString("AvailabilityZone", w.Subnet.AvailabilityZone);
                j.WriteString("Description", w.Description);
                j.WriteStartArray("Groups");
                if (w.SecurityGroup is not null)
                {
                    j.WriteStartObject();
                    j.WriteString("GroupName", w.Role + "-sg");
                    j.WriteString("GroupId", w.SecurityGroup);
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteString("InterfaceType", w.InterfaceType);
                j.WriteStartArray("Ipv6Addresses");
                j.WriteEndArray();
                j.WriteString("MacAddress", Mac(w));
                j.WriteString("NetworkInterfaceId", w.InterfaceId);
                j.WriteString("OwnerId", vpc.AccountId);
                j.WriteString("PrivateDnsName", Dns(w.PrivateIp, vpc.Region));
                j.WriteString("PrivateIpAddress", w.PrivateAddress);
                j.WriteStartArray("PrivateIpAddresses");
                j.WriteStartObject();
                if (w.PublicIp != 0)
                {
                    j.WriteStartObject("Association");
                    Association(j, w, vpc);
                    j.WriteEndObject();
                }
                j.WriteBoolean("Primary", true);
                j.WriteString("PrivateDnsName", Dns(w.PrivateIp, vpc.Region));
                j.WriteString("PrivateIpAddress", w.PrivateAddress);
                j.WriteEndObject();
                j.WriteEndArray();
                if (w.RequesterId is not null) j.WriteString("RequesterId", w.RequesterId);
                j.WriteBoolean("RequesterManaged", w.RequesterManaged);
                j.WriteBoolean("SourceDestCheck", w.Role != "nat_gateway");
                j.WriteString("Status", "in-use");
                j.WriteString("SubnetId", w.Subnet.Id);
                j.WriteStartArray("TagSet");
                if (w.InstanceId is not null) Tag(j, "Name", w.Name);
                j.WriteEndArray();
                j.WriteString("VpcId", vpc.VpcId);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        file.Write("\n"u8);
    }

    static void Association(Utf8JsonWriter j, Workload w, VpcTopology vpc)
    {
        var elastic = w.Role is "nat_gateway" or "bastion";
        if (elastic)
        {
            j.WriteString("AllocationId", "eipalloc-" + w.InterfaceId![4..]);
            j.WriteString("AssociationId", "eipassoc-" + w.InterfaceId[4..]);
        }
        j.WriteString("IpOwnerId", elastic ? vpc.AccountId : "amazon");
        j.WriteString("PublicDnsName", $"ec2-{w.PublicAddress!.Replace('.', '-')}.{vpc.Region}.compute.amazonaws.com");
        j.WriteString("PublicIp", w.PublicAddress);
    }

    static void Tag(Utf8JsonWriter j, string key, string value)
    {
        j.WriteStartObject();
        j.WriteString("Key", key);
        j.WriteString("Value", value);
        j.WriteEndObject();
    }

    static string Dns(uint ip, string region) => $"ip-{Ipv4.Format(ip).Replace('.', '-')}.{region}.compute.internal";

    static string Mac(Workload w)
    {
        var h = ScenarioRandom.Key(0, w.InterfaceId!);
        return string.Create(CultureInfo.InvariantCulture, $"0a:{h & 255:x2}:{(h >> 8) & 255:x2}:{(h >> 16) & 255:x2}:{(h >> 24) & 255:x2}:{(h >> 32) & 255:x2}");
    }
}
