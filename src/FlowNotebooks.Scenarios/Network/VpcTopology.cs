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

    /// <summary>
    /// Other AWS service ranges the case's traffic reaches (ip-ranges.json prefixes, such as S3 in another region): routed
    /// like any internet address, but named in pkt-src-aws-service / pkt-dst-aws-service on every path.
    /// </summary>
    public IReadOnlyList<(string Cidr, Traffic.AwsService Service)> ServiceRanges
    {
        get => serviceRanges;
        init
        {
            serviceRanges = value;
            services = value.Select(p => (Ipv4.Range(p.Cidr), p.Service)).ToArray();
        }
    }

    IReadOnlyList<Workload> workloads = [];
    IReadOnlyList<string> s3Prefixes = [];
    (uint Net, uint Mask)[] s3Ranges = [];
    IReadOnlyList<(string Cidr, Traffic.AwsService Service)> serviceRanges = [];
    ((uint Net, uint Mask) Range, Traffic.AwsService Service)[] services = [];

    public Workload this[string name] => Workloads.FirstOrDefault(w => w.Name == name) ?? throw new KeyNotFoundException($"No workload '{name}'.");

    public Subnet SubnetNamed(string name) => Subnets.First(s => s.Name == name);

    public bool IsInVpc(uint ip) => Ipv4.InCidr(ip, Cidr);

    /// <summary>The service of an address outside the VPC in <see cref="ServiceRanges"/>, or none.</summary>
    public Traffic.AwsService ServiceOf(uint ip)
    {
        foreach (var ((net, mask), service) in services)
            if ((ip & mask) == net) return service;
        return Traffic.AwsService.None;
    }

    public bool IsS3(uint ip)
    {
        foreach (var (net, mask) in s3Ranges)
            if ((ip & mask) == net) return true;
        return false;
    }
}
