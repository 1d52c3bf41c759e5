using System.Text.Json;
using FlowNotebooks.Parsing;

namespace FlowNotebooks.Sources;

/// <summary>One network interface from <c>aws ec2 describe-network-interfaces</c>, with what it belongs to.</summary>
public sealed record NetworkInterface(
    string InterfaceId,
    string? InterfaceType,
    string? Description,
    string? VpcId,
    string? SubnetId,
    string? AvailabilityZone,
    string? OwnerId,
    string? RequesterId,
    bool RequesterManaged,
    string? Status,
    string? InstanceId,
    string? InstanceOwnerId,
    string? PrivateIp,
    string? PublicIp,
    string? Name,
    string Role,
    IReadOnlyList<(string PrivateIp, bool Primary, string? PublicIp)> Addresses);

/// <summary>Reads describe-network-interfaces output and says what each interface is (instance, NAT gateway, load balancer, Lambda, ECS task…).</summary>
public static class InterfaceInventory
{
    /// <summary>Reads the <c>NetworkInterfaces</c> array.</summary>
    /// <exception cref="JsonException">Not describe-network-interfaces output.</exception>
    public static IReadOnlyList<NetworkInterface> FromElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("NetworkInterfaces", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new JsonException("Not describe-network-interfaces output: no \"NetworkInterfaces\" array.");
        var result = new List<NetworkInterface>();
        foreach (var e in list.EnumerateArray())
        {
            var attachment = e.TryGetProperty("Attachment", out var a) ? a : default;
            var association = e.TryGetProperty("Association", out var s) ? s : default;
            var addresses = new List<(string, bool, string?)>();
            if (e.TryGetProperty("PrivateIpAddresses", out var pips) && pips.ValueKind == JsonValueKind.Array)
                foreach (var p in pips.EnumerateArray())
                    if (Str(p, "PrivateIpAddress") is { } ip)
                        addresses.Add((ip, p.TryGetProperty("Primary", out var pr) && pr.ValueKind == JsonValueKind.True,
                            p.TryGetProperty("Association", out var pa) ? Str(pa, "PublicIp") : null));
            string? name = null;
            if (e.TryGetProperty("TagSet", out var tags) && tags.ValueKind == JsonValueKind.Array)
                foreach (var t in tags.EnumerateArray())
                    if (Str(t, "Key") == "Name") name = Str(t, "Value");
            var type = Str(e, "InterfaceType");
            var description = Str(e, "Description");
            result.Add(new NetworkInterface(
                Str(e, "NetworkInterfaceId") ?? throw new JsonException("A NetworkInterfaces entry has no NetworkInterfaceId."),
                type, description, Str(e, "VpcId"), Str(e, "SubnetId"), Str(e, "AvailabilityZone"), Str(e, "OwnerId"),
                Str(e, "RequesterId"), e.TryGetProperty("RequesterManaged", out var rm) && rm.ValueKind == JsonValueKind.True,
                Str(e, "Status"), Str(attachment, "InstanceId"), Str(attachment, "InstanceOwnerId"), Str(e, "PrivateIpAddress"),
                Str(association, "PublicIp"), name, Role(type, description, Str(attachment, "InstanceId")), addresses));
        }
        return result;
    }

    /// <summary>
    /// What the interface belongs to, from InterfaceType (case- and separator-insensitive: the SDK says natGateway, the
    /// service says nat_gateway) and the Description patterns AWS services use.
    /// </summary>
    public static string Role(string? interfaceType, string? description, string? instanceId)
    {
        var t = (interfaceType ?? "").Replace("_", "").Replace("-", "").ToLowerInvariant();
        var d = description ?? "";
        if (t == "natgateway" || d.StartsWith("Interface for NAT Gateway", StringComparison.Ordinal)) return "nat_gateway";
        if (t == "lambda" || d.StartsWith("AWS Lambda VPC ENI", StringComparison.Ordinal)) return "lambda";
        if (d.StartsWith("ELB app/", StringComparison.Ordinal)) return "application_load_balancer";
        if (d.StartsWith("ELB net/", StringComparison.Ordinal) || t == "networkloadbalancer") return "network_load_balancer";
        if (d.StartsWith("ELB gwy/", StringComparison.Ordinal) || t.StartsWith("gatewayloadbalancer", StringComparison.Ordinal)) return "gateway_load_balancer";
        if (d.StartsWith("ELB ", StringComparison.Ordinal) || t == "loadbalancer") return "load_balancer";
        if (d.StartsWith("arn:aws:ecs:", StringComparison.Ordinal)) return "ecs_task";
        if (t == "vpcendpoint" || d.StartsWith("VPC Endpoint Interface", StringComparison.Ordinal)) return "vpc_endpoint";
        if (t == "transitgateway" || d.StartsWith("Network Interface for Transit Gateway", StringComparison.Ordinal)) return "transit_gateway";
        if (d.StartsWith("RDSNetworkInterface", StringComparison.Ordinal)) return "rds";
        if (d.StartsWith("EFS mount target", StringComparison.Ordinal) || t == "efs") return "efs";
        if (instanceId is not null) return "instance";
        return string.IsNullOrEmpty(interfaceType) ? "unknown" : interfaceType!;
    }

    internal static uint? V4(string? ip) =>
        ip is not null && IpAddressCodec.TryParseIPv4(System.Text.Encoding.ASCII.GetBytes(ip), out var v) ? v : null;

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
