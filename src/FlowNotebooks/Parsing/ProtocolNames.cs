namespace FlowNotebooks.Parsing;

/// <summary>IANA protocol numbers seen in flow logs, by name.</summary>
public static class ProtocolNames
{
    /// <summary>"TCP", "UDP", "ICMP", … or the number itself for others.</summary>
    public static string Describe(int? protocol) => protocol switch
    {
        null => "-",
        1 => "ICMP",
        2 => "IGMP",
        4 => "IPv4",
        6 => "TCP",
        17 => "UDP",
        41 => "IPv6",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        58 => "ICMPv6",
        89 => "OSPF",
        132 => "SCTP",
        _ => protocol.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
