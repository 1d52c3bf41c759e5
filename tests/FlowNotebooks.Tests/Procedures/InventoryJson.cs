using System.Text;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>describe-network-interfaces JSON for hand-built incidents, in the shape the AWS CLI prints it.</summary>
public static class InventoryJson
{
    /// <summary>One interface: a NAT gateway's (role <c>nat_gateway</c>) carries the gateway's public address.</summary>
    public sealed record Interface(string Id, string Ip, string Subnet, string? Instance, string Name, string Role);

    public static void Write(string path, IEnumerable<Interface> interfaces, string natPublicIp)
    {
        var sb = new StringBuilder("{\"NetworkInterfaces\": [");
        sb.AppendJoin(",", interfaces.Select(e => $$"""
            {"NetworkInterfaceId": "{{e.Id}}", "InterfaceType": "{{(e.Role == "nat_gateway" ? "nat_gateway" : "interface")}}",
             "Description": "{{(e.Role == "nat_gateway" ? "Interface for NAT Gateway nat-1" : "")}}", "VpcId": "vpc-1", "SubnetId": "{{e.Subnet}}",
             "PrivateIpAddress": "{{e.Ip}}", {{(e.Instance is null ? "" : $"\"Attachment\": {{\"InstanceId\": \"{e.Instance}\"}},")}}
             {{(e.Role == "nat_gateway" ? $"\"Association\": {{\"PublicIp\": \"{natPublicIp}\"}}," : "")}}
             "PrivateIpAddresses": [{"PrivateIpAddress": "{{e.Ip}}", "Primary": true}],
             "TagSet": [{"Key": "Name", "Value": "{{e.Name}}"}]}
            """));
        sb.Append("]}");
        File.WriteAllText(path, sb.ToString());
    }
}
