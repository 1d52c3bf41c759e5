namespace FlowNotebooks.Scenarios.Network;

/// <summary>
/// Something with an address in the VPC and (usually) one network interface: an instance, the NAT gateway, a load balancer
/// node, a Lambda or ECS task interface, or a host nobody inventoried (<see cref="Managed"/> false, no interface id).
/// </summary>
public sealed class Workload
{
    public required string Name { get; init; }
    /// <summary>What it is in the story: web, app, database, bastion, dns_resolver, nat_gateway, load_balancer, lambda, ecs_task, ci_runner, unmanaged.</summary>
    public required string Role { get; init; }
    public required Subnet Subnet { get; init; }
    public required uint PrivateIp { get; init; }
    public uint PublicIp { get; init; }
    public string? InterfaceId { get; init; }
    public string? InstanceId { get; init; }
    public bool Managed { get; init; } = true;
    /// <summary>describe-network-interfaces InterfaceType.</summary>
    public string InterfaceType { get; init; } = "interface";
    public string Description { get; init; } = "Primary network interface";
    public bool RequesterManaged { get; init; }
    public string? RequesterId { get; init; }
    /// <summary>Owner of the attachment for AWS-managed interfaces (amazon-aws, amazon-elb).</summary>
    public string? AttachmentOwner { get; init; }
    public string? SecurityGroup { get; init; }
    /// <summary>Position in the topology's list (index into per-interface tables).</summary>
    public int Index { get; internal set; }

    public string PrivateAddress => Ipv4.Format(PrivateIp);
    public string? PublicAddress => PublicIp == 0 ? null : Ipv4.Format(PublicIp);

    public override string ToString() => $"{Name} ({PrivateAddress})";
}
