namespace FlowNotebooks.Scenarios.Network;

/// <summary>The VPC a scenario plays in: subnets, workloads, the NAT gateway and the S3 gateway endpoint's prefix list.</summary>
public sealed class VpcTopology
{
    public required string AccountId { get; init; }
    public required string Region { get; init; }
    public required string VpcId { get; init; }
    public required string Cidr { get; init; }
    public required IReadOnlyList<Subnet> Subnets { get; init; }
    public required IReadOnlyList<Workload> Workloads
    {
        get => workloads;
        init
        {
            workloads = value;
            for (var i = 0; i < value.Count; i++) value[i].Index = i;
        }
    }
    /// <summary>Private subnets reach the internet through it.</summary>
    public Workload? Nat { get; init; }
    /// <summary>Prefixes the S3 gateway endpoint routes (traffic to them bypasses the NAT gateway).</summary>
    public IReadOnlyList<string> S3Prefixes
    {
        get => s3Prefixes;
        init
        {
            s3Prefixes = value;
            s3Ranges = value.Select(Ipv4.Range).ToArray();
        }
    }

    IReadOnlyList<Workload> workloads = [];
    IReadOnlyList<string> s3Prefixes = [];
    (uint Net, uint Mask)[] s3Ranges = [];

    public Workload this[string name] => Workloads.FirstOrDefault(w => w.Name == name) ?? throw new KeyNotFoundException($"No workload '{name}'.");

    public Subnet SubnetNamed(string name) => Subnets.First(s => s.Name == name);

    public bool IsInVpc(uint ip) => Ipv4.InCidr(ip, Cidr);

    public bool IsS3(uint ip)
    {
        foreach (var (net, mask) in s3Ranges)
            if ((ip & mask) == net) return true;
        return false;
    }
}
