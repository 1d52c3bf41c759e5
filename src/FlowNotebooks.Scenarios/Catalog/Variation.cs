using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>
/// What a seed changes in a shop case besides its random streams, so that two trainees' cases tell the same story with
/// different facts: the VPC's second octet and the hosts' last octets, the attacker's addresses (still documentation
/// ranges), when the story happens (whole hours for the coverage gaps, which follow hourly objects, plus minutes for
/// the attack) and how many bytes its transfers carry. The default seed changes nothing: its write-ups, notebooks and
/// tests name its addresses and times.
/// </summary>
public sealed class Variation
{
    readonly ScenarioRandom outside;
    readonly HashSet<uint> picked = [];

    Variation(int seed)
    {
        IsDefault = seed == ScenarioOptions.DefaultSeed;
        var r = ScenarioRandom.For(seed, "variation");
        VpcOctet = IsDefault ? 20 : 21 + r.Next(230);
        HostShift = IsDefault ? 0 : 1 + r.Next(40);
        // Never 0, so every non-default case moves its gaps (a coverage answer must not be copyable).
        ReadOnlySpan<int> hours = [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6];
        Hours = IsDefault ? 0 : hours[r.Next(hours.Length)];
        ShiftSeconds = IsDefault ? 0 : Hours * 3600L + r.Next(-1_800, 1_800);
        VolumeFactor = IsDefault ? 1 : 0.6 + 0.9 * r.NextDouble();
        outside = ScenarioRandom.For(seed, "variation/outside");
    }

    public static Variation For(int seed) => new(seed);

    public bool IsDefault { get; }
    /// <summary>The VPC is 10.<see cref="VpcOctet"/>.0.0/16.</summary>
    public int VpcOctet { get; }
    /// <summary>Added to every host's last octet (the shop's hosts sit below .170, so they stay inside .4–.254).</summary>
    public int HostShift { get; }
    /// <summary>Whole hours the coverage gaps (SKIPDATA, missing deliveries, a deleted hourly object) move.</summary>
    public int Hours { get; }
    /// <summary>Seconds the attack's anchor times move (the hours above plus up to half an hour either way): the stories'
    /// anchors sit at least seven hours from the window's ends and keep their order (a night stays that night or the next small hours).</summary>
    public long ShiftSeconds { get; }
    /// <summary>Multiplies the attack's transfer volumes.</summary>
    public double VolumeFactor { get; }

    /// <summary>A shop address written as in the default case (10.20.x.y): the same subnet and host in this case's VPC.</summary>
    public uint Internal(string defaultAddress)
    {
        var ip = Ipv4.Parse(defaultAddress);
        if (IsDefault) return ip;
        var last = ip & 255;
        return (10u << 24) | ((uint)VpcOctet << 16) | (ip & 0xFF00) | (last == 0 ? 0 : last + (uint)HostShift);
    }

    /// <summary>A shop CIDR written as in the default case, in this case's VPC.</summary>
    public string Cidr(string defaultCidr)
    {
        var slash = defaultCidr.IndexOf('/');
        var net = Ipv4.Parse(defaultCidr[..slash]);
        var moved = IsDefault ? net : (10u << 24) | ((uint)VpcOctet << 16) | (net & 0xFFFF);
        return Ipv4.Format(moved) + defaultCidr[slash..];
    }

    /// <summary>An attacker address: the default case's, or another in the documentation ranges (RFC 5737), distinct within the case.</summary>
    public uint Outside(string defaultAddress)
    {
        if (IsDefault) return Ipv4.Parse(defaultAddress);
        ReadOnlySpan<uint> nets = [Ipv4.Parse("192.0.2.0"), Ipv4.Parse("198.51.100.0"), Ipv4.Parse("203.0.113.0")];
        while (true)
        {
            var ip = nets[outside.Next(nets.Length)] + (uint)(2 + outside.Next(252));
            if (picked.Add(ip)) return ip;
        }
    }

    /// <summary>An address of a published range (an AWS service's prefix): the default case's, or another host in the prefix.</summary>
    public uint InPrefix(string cidr, string defaultAddress)
    {
        if (IsDefault) return Ipv4.Parse(defaultAddress);
        var (net, mask) = Ipv4.Range(cidr);
        while (true)
        {
            var ip = net | ((uint)outside.NextU64() & ~mask);
            if ((ip & 255) is not (0 or 255) && picked.Add(ip)) return ip;
        }
    }

    /// <summary>An attack time (Unix seconds) of the default case, moved.</summary>
    public long Time(DateTime defaultTime) => AttackSteps.Unix(defaultTime) + ShiftSeconds;

    /// <summary>A coverage-gap time of the default case, moved by whole hours.</summary>
    public DateTime Gap(DateTime defaultTime) => defaultTime.AddHours(Hours);

    /// <summary>A transfer volume of the default case, scaled.</summary>
    public long Bytes(long defaultBytes) => IsDefault ? defaultBytes : (long)(defaultBytes * VolumeFactor);

    /// <inheritdoc cref="Bytes(long)"/>
    public double Bytes(double defaultBytes) => IsDefault ? defaultBytes : defaultBytes * VolumeFactor;
}
