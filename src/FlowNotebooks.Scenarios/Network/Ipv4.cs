using System.Globalization;

namespace FlowNotebooks.Scenarios.Network;

/// <summary>IPv4 addresses as numbers: scenarios do address arithmetic (subnets, scan ranges) and write them fast.</summary>
public static class Ipv4
{
    public static uint Parse(string dotted)
    {
        var parts = dotted.Split('.');
        if (parts.Length != 4) throw new FormatException($"'{dotted}' is not an IPv4 address.");
        uint v = 0;
        foreach (var p in parts) v = (v << 8) | byte.Parse(p, CultureInfo.InvariantCulture);
        return v;
    }

    public static string Format(uint ip) => string.Create(CultureInfo.InvariantCulture, $"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}");

    /// <summary>Writes the dotted form as ASCII; returns the bytes written (at most 15).</summary>
    public static int Write(uint ip, Span<byte> to)
    {
        var n = 0;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            var b = (ip >> shift) & 255;
            if (b >= 100) { to[n++] = (byte)('0' + b / 100); to[n++] = (byte)('0' + b / 10 % 10); }
            else if (b >= 10) to[n++] = (byte)('0' + b / 10);
            to[n++] = (byte)('0' + b % 10);
            if (shift > 0) to[n++] = (byte)'.';
        }
        return n;
    }

    /// <summary>True when the address is in <c>a.b.c.d/len</c>.</summary>
    public static bool InCidr(uint ip, string cidr)
    {
        var (net, mask) = Range(cidr);
        return (ip & mask) == net;
    }

    /// <summary>Network and mask of <c>a.b.c.d/len</c>.</summary>
    public static (uint Net, uint Mask) Range(string cidr)
    {
        var slash = cidr.IndexOf('/');
        var len = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        var mask = len == 0 ? 0 : uint.MaxValue << (32 - len);
        return (Parse(cidr[..slash]) & mask, mask);
    }
}
