using System.Globalization;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Sources;

/// <summary>
/// OCSF Network Activity (class 4001) attributes back to flow-log fields, as Security Lake maps VPC flow logs.
/// Sources: AWS Security Lake user guide, "Open Cybersecurity Schema Framework (OCSF) in Security Lake" (VPC flow logs:
/// metadata.product.name "Amazon VPC", vendor "AWS", feature "Flowlogs", class Network Activity; metadata.version
/// 1.0.0-rc.2 for source version 1, 1.1.0 for version 2); the OCSF project's AWS mapping
/// (github.com/ocsf/examples, mappings/markdown/AWS/v1.1.0/VPC Flowlogs/README.md, and its 1.0.0-rc.2 sample
/// mappings/markdown/AWS/VPC Flowlogs/samples/vpcflowlog.ocsf); the OCSF schema 1.0.0-rc.2 and 1.1.0 network_activity
/// class and its network_endpoint, network_connection_info and network_traffic objects (schema.ocsf.io).
/// <list type="bullet">
/// <item>src_endpoint.ip / dst_endpoint.ip hold pkt-srcaddr / pkt-dstaddr when they differ from srcaddr / dstaddr, which
/// then go to src_endpoint.intermediate_ips / dst_endpoint.intermediate_ips; when equal, ip is srcaddr / dstaddr.</item>
/// <item>interface_id, vpc_id, subnet_id, instance_id sit on dst_endpoint for ingress and src_endpoint for egress
/// (interface_uid, vpc_uid, subnet_uid, instance_uid).</item>
/// <item>start_time / end_time are OCSF timestamps (milliseconds since the epoch); the datetime profile adds
/// start_time_dt / end_time_dt; time is the start.</item>
/// <item>action: 1.1.0 action_id 1 Allowed / 2 Denied; rc.2 disposition_id 1 Allowed / 2 Blocked (activity 5 Refuse).</item>
/// <item>connection_info.direction_id 1 Inbound = ingress, 2 Outbound = egress; connection_info.boundary_id =
/// traffic-path + 3 (4 Same VPC … 11 Internet Gateway); connection_info.protocol_ver = type (IPv4/IPv6).</item>
/// <item>cloud.account_uid (rc.2) became cloud.account.uid (1.1.0); cloud.zone = az-id; status_code = log-status;
/// src_endpoint.svc_name / dst_endpoint.svc_name = pkt-src-aws-service / pkt-dst-aws-service; metadata.product.version =
/// the flow-log version.</item>
/// </list>
/// </summary>
internal static class SecurityLakeMapping
{
    /// <summary>The flow-log layout every Security Lake row is read into.</summary>
    public static FlowLogFormat Layout { get; } = FlowLogFormat.Parse(
        "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} "
        + "${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${region} ${az-id} "
        + "${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}",
        "Security Lake OCSF mapping");

    /// <summary>What a case read only from Security Lake cannot show (OCSF keeps no place for it).</summary>
    public const string Dropped =
        "OCSF keeps addresses, ports, protocol, packets, bytes, start/end, action, log-status, interface, account, region, az, VPC, subnet, "
        + "instance, TCP flags, type, direction, traffic path and AWS service names; it drops the capture (flow-log id), so gaps cannot be "
        + "told per capture, pkt-srcaddr/pkt-dstaddr when equal to srcaddr/dstaddr (kept only where they differ), sublocation, ECS (v7), "
        + "reject-reason (v8), transit gateway (v6) and tag/next-hop fields";

    /// <summary>
    /// Fills <paramref name="tokens"/> (in <see cref="Layout"/> order; null = no value) from one OCSF row, or gives the
    /// reason the row cannot be a flow record.
    /// </summary>
    public static bool TryMap(IReadOnlyDictionary<string, object> row, string?[] tokens, out string? ocsfVersion, out string? reason)
    {
        Array.Clear(tokens);
        ocsfVersion = Get(row, "metadata", "version") as string;
        var classUid = Get(row, "class_uid");
        if (!IsWhole(classUid, 4001))
        {
            reason = $"class_uid {Show(classUid)} is not OCSF Network Activity (4001): not a VPC flow record";
            return false;
        }
        var src = Get(row, "src_endpoint") as IReadOnlyDictionary<string, object>;
        var dst = Get(row, "dst_endpoint") as IReadOnlyDictionary<string, object>;
        // The capturing interface's side: dst for ingress, src for egress; whichever carries interface_uid.
        var local = src is not null && src.ContainsKey("interface_uid") ? src : dst;
        var values = new (string Field, string Path, object? Value)[]
        {
            ("version", "metadata.product.version", Get(row, "metadata", "product", "version")),
            ("account-id", "cloud.account.uid", Get(row, "cloud", "account", "uid") ?? Get(row, "cloud", "account_uid")),
            ("interface-id", "*_endpoint.interface_uid", Get(local, "interface_uid")),
            ("srcaddr", "src_endpoint.intermediate_ips / ip", First(Get(src, "intermediate_ips")) ?? Get(src, "ip")),
            ("dstaddr", "dst_endpoint.intermediate_ips / ip", First(Get(dst, "intermediate_ips")) ?? Get(dst, "ip")),
            ("srcport", "src_endpoint.port", Get(src, "port")),
            ("dstport", "dst_endpoint.port", Get(dst, "port")),
            ("protocol", "connection_info.protocol_num", Get(row, "connection_info", "protocol_num")),
            ("packets", "traffic.packets", Get(row, "traffic", "packets")),
            ("bytes", "traffic.bytes", Get(row, "traffic", "bytes")),
            ("start", "start_time", Get(row, "start_time") ?? Get(row, "start_time_dt") ?? Get(row, "time") ?? Get(row, "time_dt")),
            ("end", "end_time", Get(row, "end_time") ?? Get(row, "end_time_dt")),
            ("action", "action_id / disposition_id", Action(row)),
            ("log-status", "status_code", Get(row, "status_code")),
            ("vpc-id", "*_endpoint.vpc_uid", Get(local, "vpc_uid")),
            ("subnet-id", "*_endpoint.subnet_uid", Get(local, "subnet_uid")),
            ("instance-id", "*_endpoint.instance_uid", Get(local, "instance_uid")),
            ("tcp-flags", "connection_info.tcp_flags", Get(row, "connection_info", "tcp_flags")),
            ("type", "connection_info.protocol_ver", Get(row, "connection_info", "protocol_ver")),
            ("pkt-srcaddr", "src_endpoint.ip", First(Get(src, "intermediate_ips")) is null ? null : Get(src, "ip")),
            ("pkt-dstaddr", "dst_endpoint.ip", First(Get(dst, "intermediate_ips")) is null ? null : Get(dst, "ip")),
            ("region", "cloud.region", Get(row, "cloud", "region")),
            ("az-id", "cloud.zone", Get(row, "cloud", "zone")),
            ("pkt-src-aws-service", "src_endpoint.svc_name", Get(src, "svc_name")),
            ("pkt-dst-aws-service", "dst_endpoint.svc_name", Get(dst, "svc_name")),
            ("flow-direction", "connection_info.direction_id", Direction(row)),
            ("traffic-path", "connection_info.boundary_id", TrafficPath(Get(row, "connection_info", "boundary_id"))),
        };
        for (var i = 0; i < values.Length; i++)
        {
            var (name, path, value) = values[i];
            var field = Layout.Fields[i];
            System.Diagnostics.Debug.Assert(name == field.Name, "mapping out of layout order");
            if (!ParquetValue.TryToken(value, field, ParquetValue.TypeName(value?.GetType() ?? typeof(string)), out tokens[i], out reason))
            {
                reason = $"OCSF {path}: {reason}";
                return false;
            }
        }
        reason = null;
        return true;
    }

    /// <summary>1.1.0 action_id (1 Allowed, 2 Denied), else rc.2 disposition_id (1 Allowed, 2 Blocked).</summary>
    static string? Action(IReadOnlyDictionary<string, object> row)
    {
        var id = Get(row, "action_id") ?? Get(row, "disposition_id");
        if (IsWhole(id, 1)) return "ACCEPT";
        if (IsWhole(id, 2)) return "REJECT";
        return (Get(row, "action") ?? Get(row, "disposition")) switch
        {
            "Allowed" => "ACCEPT",
            "Denied" or "Blocked" => "REJECT",
            _ => null,
        };
    }

    static string? Direction(IReadOnlyDictionary<string, object> row)
    {
        var id = Get(row, "connection_info", "direction_id");
        if (IsWhole(id, 1)) return "ingress";
        if (IsWhole(id, 2)) return "egress";
        return (Get(row, "connection_info", "direction") as string)?.ToLowerInvariant() switch
        {
            "inbound" or "ingress" => "ingress",
            "outbound" or "egress" => "egress",
            _ => null,
        };
    }

    /// <summary>boundary_id 4…11 = traffic-path 1…8; 0 Unknown and 99 Other have no flow-log code.</summary>
    static object? TrafficPath(object? boundary)
    {
        if (!IsInteger(boundary)) return boundary; // null, or a value of the wrong type that the token check rejects
        var b = Convert.ToInt64(boundary, CultureInfo.InvariantCulture);
        return b is >= 4 and <= 11 ? (int)(b - 3) : null;
    }

    static bool IsInteger(object? v) => v is IConvertible c && c.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.UInt64;

    static bool IsWhole(object? v, long expected) => IsInteger(v) && Convert.ToInt64(v, CultureInfo.InvariantCulture) == expected;

    static string Show(object? v) => v switch
    {
        null => "(missing)",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => $"'{v}'",
    };

    /// <summary>The first element of an OCSF array (intermediate_ips), or null.</summary>
    static object? First(object? list) => list is System.Collections.IList { Count: > 0 } l ? l[0] is ReadOnlyMemory<char> m ? m.ToString() : l[0] : null;

    static object? Get(IReadOnlyDictionary<string, object>? node, params string[] path)
    {
        object? current = node;
        foreach (var key in path)
        {
            if (current is not IReadOnlyDictionary<string, object> d || !d.TryGetValue(key, out current)) return null;
        }
        return current is ReadOnlyMemory<char> m ? m.ToString() : current;
    }
}
