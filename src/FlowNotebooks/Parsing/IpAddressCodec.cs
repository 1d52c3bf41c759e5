using System.Net;
using System.Net.Sockets;

namespace FlowNotebooks.Parsing;

/// <summary>Addresses to numbers for CIDR filters: IPv4 as a 32-bit integer, IPv6 as a 128-bit integer.</summary>
public static class IpAddressCodec
{
    /// <summary>Reads a dotted IPv4 address from ASCII bytes without allocating.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<byte> s, out uint value) => TryParseIPv4(s, out value, out _);

    /// <summary>Reads a dotted IPv4 address; <paramref name="canonical"/> is false when an octet has a leading zero.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<byte> s, out uint value, out bool canonical)
    {
        value = 0;
        canonical = true;
        uint part = 0;
        int digits = 0, dots = 0;
        foreach (var b in s)
        {
            if (b == (byte)'.')
            {
                if (digits == 0 || ++dots > 3) return false;
                value = (value << 8) | part;
                part = 0;
                digits = 0;
            }
            else
            {
                var d = (uint)(b - '0');
                if (d > 9 || ++digits > 3) return false;
                if (digits == 2 && part == 0) canonical = false;
                part = part * 10 + d;
                if (part > 255) return false;
            }
        }
        if (dots != 3 || digits == 0) return false;
        value = (value << 8) | part;
        return true;
    }

    /// <summary>Reads an IPv6 address (any textual form) to its 128-bit value.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<byte> s, out UInt128 value)
    {
        value = 0;
        if (s.Length is < 2 or > 45 || s.IndexOf((byte)':') < 0) return false;
        Span<char> chars = stackalloc char[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] > 127) return false;
            chars[i] = (char)s[i];
        }
        if (!IPAddress.TryParse(chars, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6) return false;
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    /// <summary>The dotted text of a numeric IPv4 address.</summary>
    public static string FormatIPv4(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";
}
