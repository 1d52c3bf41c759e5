namespace FlowNotebooks.Parsing;

/// <summary>Decodes <c>traffic-path</c>, the path egress traffic took.</summary>
public static class TrafficPath
{
    /// <summary>The documented meaning of a code, or null for an unknown one.</summary>
    public static string? Describe(int? code) => code switch
    {
        1 => "through another resource in the same VPC",
        2 => "through an internet gateway or a gateway VPC endpoint",
        3 => "through a virtual private gateway",
        4 => "through an intra-region VPC peering connection",
        5 => "through an inter-region VPC peering connection",
        6 => "through a local gateway",
        7 => "through a gateway VPC endpoint (Nitro-based instances only)",
        8 => "through an internet gateway (Nitro-based instances only)",
        _ => null,
    };
}
