namespace FlowNotebooks.Scenarios.Network;

/// <summary>A subnet of the scenario VPC. Public subnets route to the internet gateway; private ones through the NAT gateway.</summary>
public sealed record Subnet(string Id, string Name, string Cidr, string AvailabilityZone, string AzId, bool IsPublic);
