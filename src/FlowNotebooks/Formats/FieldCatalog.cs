using System.Collections.Frozen;

namespace FlowNotebooks.Formats;

/// <summary>
/// Every VPC and transit gateway flow-log field AWS documents (v2 to v8, and the newer resource-id,
/// encryption-status, tag and next-hop fields), from shared/reference/flow-log-format.md.
/// </summary>
public static class FieldCatalog
{
    static readonly string[] None = [];

    /// <summary>All catalogued fields in documentation order.</summary>
    public static IReadOnlyList<FlowField> All { get; } = Build();

    static readonly FrozenDictionary<string, FlowField> ByName = All.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The catalogued field of that AWS name, or null.</summary>
    public static FlowField? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The catalogued field, or an unknown field kept as text under its own name.</summary>
    public static FlowField Resolve(string name) =>
        Find(name) ?? new FlowField(name, FlowField.ColumnFor(name), FieldKind.Text, 0,
            "Not in the catalogue: kept as text under its own name.", None);

    /// <summary>True if the name is a catalogued field.</summary>
    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    static FlowField F(string name, FieldKind kind, int version, string meaning, params string[] values) =>
        new(name, FlowField.ColumnFor(name), kind, version, meaning, values);

    static FlowField Tgw(string name, FieldKind kind, string meaning, params string[] values) =>
        new(name, FlowField.ColumnFor(name), kind, 6, meaning, values, TransitGatewayOnly: true);

    static List<FlowField> Build()
    {
        const FieldKind T = FieldKind.Text, I = FieldKind.Int32, L = FieldKind.Int64, A = FieldKind.Address, E = FieldKind.EpochTime;
        return
        [
            // Version 2: the default format, in this order.
            F("version", I, 2, "Flow-log version: the highest version among the fields of the format; it does not tell which fields are present."),
            F("account-id", T, 2, "AWS account that owns the source network interface; may be 'unknown' for ENIs that AWS services create."),
            F("interface-id", T, 2, "Network interface (ENI) on which the traffic was recorded."),
            F("srcaddr", A, 2, "Source address: for egress the interface's primary private IPv4 (or IPv6); for ingress the remote source."),
            F("dstaddr", A, 2, "Destination address: for egress the remote destination; for ingress the interface's primary private IPv4 (or IPv6)."),
            F("srcport", I, 2, "Source port (0 for ICMP)."),
            F("dstport", I, 2, "Destination port (0 for ICMP)."),
            F("protocol", I, 2, "IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6)."),
            F("packets", L, 2, "Packets transferred in the flow during the aggregation interval."),
            F("bytes", L, 2, "Bytes transferred in the flow during the aggregation interval."),
            F("start", E, 2, "Time the first packet of the flow was seen in the interval (Unix seconds; may lag the wire by up to 60 s)."),
            F("end", E, 2, "Time the last packet of the flow was seen in the interval (Unix seconds)."),
            F("action", T, 2, "Whether security groups and network ACLs allowed the traffic (REJECT also covers packets after the connection closed).", "ACCEPT", "REJECT"),
            F("log-status", T, 2, "OK: data logged; NODATA: no traffic in the interval; SKIPDATA: records skipped in the interval (capacity or internal error).", "OK", "NODATA", "SKIPDATA"),
            // Version 3.
            F("vpc-id", T, 3, "VPC of the network interface."),
            F("subnet-id", T, 3, "Subnet of the network interface."),
            F("instance-id", T, 3, "Instance attached to the interface, if you own it ('-' for requester-managed ENIs such as NAT gateways)."),
            F("tcp-flags", I, 3, "Bitmask of TCP flags OR-ed over the interval: FIN 1, SYN 2, RST 4, SYN-ACK 18 (ACK alone reports 0)."),
            F("type", T, 3, "Traffic type.", "IPv4", "IPv6", "EFA"),
            F("pkt-srcaddr", A, 3, "Packet-level (original) source address; differs from srcaddr when an intermediate such as a NAT gateway is involved."),
            F("pkt-dstaddr", A, 3, "Packet-level (original) destination address; differs from dstaddr when an intermediate such as a NAT gateway is involved."),
            // Version 4.
            F("region", T, 4, "Region of the network interface."),
            F("az-id", T, 4, "Availability Zone ID of the interface ('-' for sublocations)."),
            F("sublocation-type", T, 4, "Sublocation type ('-' if not a sublocation).", "wavelength", "outpost", "localzone"),
            F("sublocation-id", T, 4, "Sublocation id ('-' if not a sublocation)."),
            // Version 5.
            F("pkt-src-aws-service", T, 5, "ip-ranges.json service of pkt-srcaddr ('-' if not an AWS range).",
                "AMAZON", "AMAZON_APPFLOW", "AMAZON_CONNECT", "API_GATEWAY", "CHIME_MEETINGS", "CHIME_VOICECONNECTOR", "CLOUD9", "CLOUDFRONT",
                "CODEBUILD", "DYNAMODB", "EBS", "EC2", "EC2_INSTANCE_CONNECT", "GLOBALACCELERATOR", "KINESIS_VIDEO_STREAMS", "ROUTE53",
                "ROUTE53_HEALTHCHECKS", "ROUTE53_HEALTHCHECKS_PUBLISHING", "ROUTE53_RESOLVER", "S3", "WORKSPACES_GATEWAYS"),
            F("pkt-dst-aws-service", T, 5, "ip-ranges.json service of pkt-dstaddr ('-' if not an AWS range); same values as pkt-src-aws-service."),
            F("flow-direction", T, 5, "Direction relative to the capturing interface.", "ingress", "egress"),
            F("traffic-path", I, 5, "Path taken by egress traffic: 1 same VPC, 2 internet or gateway endpoint, 3 virtual private gateway, 4 intra-region peering, 5 inter-region peering, 6 local gateway, 7 gateway endpoint (Nitro), 8 internet gateway (Nitro).",
                "1", "2", "3", "4", "5", "6", "7", "8"),
            // Version 6: transit gateway flow logs only.
            Tgw("resource-type", T, "Resource on which the flow was recorded.", "TransitGateway", "TransitGatewayAttachment"),
            Tgw("tgw-id", T, "Transit gateway id."),
            Tgw("tgw-attachment-id", T, "Transit gateway attachment id."),
            Tgw("tgw-src-vpc-account-id", T, "Account of the source VPC."),
            Tgw("tgw-dst-vpc-account-id", T, "Account of the destination VPC."),
            Tgw("tgw-src-vpc-id", T, "Source VPC."),
            Tgw("tgw-dst-vpc-id", T, "Destination VPC."),
            Tgw("tgw-src-subnet-id", T, "Source subnet."),
            Tgw("tgw-dst-subnet-id", T, "Destination subnet."),
            Tgw("tgw-src-eni", T, "Source transit gateway attachment ENI."),
            Tgw("tgw-dst-eni", T, "Destination transit gateway attachment ENI."),
            Tgw("tgw-src-az-id", T, "Source Availability Zone ID."),
            Tgw("tgw-dst-az-id", T, "Destination Availability Zone ID."),
            Tgw("tgw-pair-attachment-id", T, "The attachment on the other side of the flow."),
            Tgw("packets-lost-no-route", L, "Packets lost because no route was found."),
            Tgw("packets-lost-blackhole", L, "Packets lost to a blackhole route."),
            Tgw("packets-lost-mtu-exceeded", L, "Packets lost because they exceeded the MTU."),
            Tgw("packets-lost-ttl-expired", L, "Packets lost because their TTL expired."),
            // Version 7: ECS.
            F("ecs-cluster-arn", T, 7, "ARN of the ECS cluster, when the traffic is from a running ECS task."),
            F("ecs-cluster-name", T, 7, "Name of the ECS cluster."),
            F("ecs-container-instance-arn", T, 7, "ARN of the ECS container instance ('-' on Fargate)."),
            F("ecs-container-instance-id", T, 7, "Id of the ECS container instance ('-' on Fargate)."),
            F("ecs-container-id", T, 7, "Docker runtime id of the first container of the task."),
            F("ecs-second-container-id", T, 7, "Docker runtime id of the second container, if any."),
            F("ecs-service-name", T, 7, "ECS service that started the task ('-' if none)."),
            F("ecs-task-definition-arn", T, 7, "ARN of the ECS task definition."),
            F("ecs-task-arn", T, 7, "ARN of the ECS task."),
            F("ecs-task-id", T, 7, "Id of the ECS task."),
            // Version 8.
            F("reject-reason", T, 8, "Why traffic was rejected: BPA (VPC Block Public Access); EC (encryption controls, unverified); '-' otherwise.", "BPA", "EC"),
            // Newer fields (versions from secondary sources).
            F("resource-id", T, 9, "Id of the regional NAT gateway the traffic went through."),
            F("encryption-status", I, 10, "0 cleartext, 1 Nitro-encrypted, 2 application-encrypted (TLS), 3 both; '-' unknown or encryption controls off.", "0", "1", "2", "3"),
            F("instance-tag", T, 11, "Value of the first chosen tag key of the EC2 instance (percent-encoded)."),
            F("instance-tag-2", T, 11, "Value of the second chosen tag key of the EC2 instance."),
            F("interface-tag", T, 11, "Value of the first chosen tag key of the network interface."),
            F("interface-tag-2", T, 11, "Value of the second chosen tag key of the network interface."),
            F("asg-tag", T, 11, "Value of the first chosen tag key of the Auto Scaling group."),
            F("asg-tag-2", T, 11, "Value of the second chosen tag key of the Auto Scaling group."),
            F("interface-type", T, 11, "Type of the capturing interface.", "nat_gateway", "network_load_balancer", "regional_nat_gateway", "transit_gateway", "vpc_endpoint"),
            F("next-hop-interface-id", T, 11, "Next-hop ENI (egress: the receiving ENI; ingress: the sending ENI)."),
            F("next-hop-subnet-id", T, 11, "Subnet of the next-hop ENI."),
            F("next-hop-az-id", T, 11, "Availability Zone ID of the next-hop ENI."),
            F("next-hop-vpc-id", T, 11, "VPC of the next-hop ENI."),
            F("next-hop-interface-type", T, 11, "Type of the next-hop ENI."),
        ];
    }
}
