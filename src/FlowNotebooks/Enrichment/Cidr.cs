using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace FlowNotebooks.Enrichment;

/// <summary>One CIDR block as a numeric range, in the numbers <c>flows</c> and <c>counted_flows</c> show (<c>*_v4</c> UINTEGER, <c>*_v6</c> UHUGEINT).</summary>
public readonly record struct CidrRange(bool IsV6, UInt128 Low, UInt128 High, string Text)
{
    /// <summary>Reads "10.0.0.0/16", "203.0.113.7" (a /32), "2001:db8::/32" or "2001:db8::1" (a /128).</summary>
    public static bool TryParse(string? text, out CidrRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var slash = s.IndexOf('/');
        var addressText = slash < 0 ? s : s[..slash];
        if (!IPAddress.TryParse(addressText, out var ip)) return false;
        // IPAddress.TryParse accepts "1" or "1.2" as IPv4; an IOC list line like that is not an address.
        if (ip.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3) return false;
        var v6 = ip.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6 && ip.IsIPv4MappedToIPv6) { ip = ip.MapToIPv4(); v6 = false; }
        var bits = v6 ? 128 : 32;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(s[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits)) return false;
        var bytes = ip.GetAddressBytes();
        UInt128 value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        var hostBits = bits - prefix;
        var hostMask = hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        var low = value & ~hostMask;
        range = new CidrRange(v6, low, low | hostMask, slash < 0 ? addressText : $"{Format(v6, low)}/{prefix}");
        return true;
    }

    /// <summary>True when the address text falls in the block.</summary>
    public bool Contains(string address) =>
        TryParse(address, out var a) && a.IsV6 == IsV6 && a.Low >= Low && a.Low <= High;

    static string Format(bool v6, UInt128 v)
    {
        if (!v6) return Parsing.IpAddressCodec.FormatIPv4((uint)v);
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, v);
        return new IPAddress(bytes).ToString();
    }

    public override string ToString() => Text;
}

/// <summary>
/// A list of CIDR blocks (internal ranges, IOCs) that renders itself as a SQL predicate over an address column's
/// numeric twins, with the bounds as parameters: <c>(srcaddr_v4 BETWEEN $3 AND $4 OR …)</c>.
/// </summary>
public sealed class CidrList
{
    public CidrList(IEnumerable<CidrRange> ranges) =>
        Ranges = ranges.DistinctBy(r => (r.IsV6, r.Low, r.High)).OrderBy(r => r.IsV6).ThenBy(r => r.Low).ThenBy(r => r.High).ToList();

    /// <summary>The blocks, IPv4 first, in address order.</summary>
    public IReadOnlyList<CidrRange> Ranges { get; }

    public bool IsEmpty => Ranges.Count == 0;

    /// <summary>RFC 1918, shared address space (RFC 6598) and IPv6 unique-local: the default "internal".</summary>
    public static CidrList Private { get; } = Parse("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7");

    /// <summary>Reads blocks separated by commas, semicolons or white space.</summary>
    /// <exception cref="FormatException">An entry is not an address or CIDR block.</exception>
    public static CidrList Parse(string? text)
    {
        var list = new List<CidrRange>();
        foreach (var part in (text ?? "").Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            list.Add(CidrRange.TryParse(part, out var r) ? r : throw new FormatException($"'{part}' is not an IP address or CIDR block."));
        return new CidrList(list);
    }

    /// <summary>True when an address text is inside one of the blocks.</summary>
    public bool Contains(string? address) => address is not null && Ranges.Any(r => r.Contains(address));

    /// <summary>
    /// The predicate "<paramref name="column"/> is in the list" over <c>{column}_v4</c> and <c>{column}_v6</c>; the bounds are
    /// appended to <paramref name="parameters"/> and referenced positionally (<c>$n</c>). An empty list is FALSE; never NULL.
    /// </summary>
    public string Predicate(string column, List<object?> parameters)
    {
        if (IsEmpty) return "FALSE";
        var v4 = new List<string>();
        var v6 = new List<string>();
        foreach (var r in Ranges)
        {
            if (r.IsV6)
            {
                parameters.Add(r.Low.ToString(CultureInfo.InvariantCulture));
                parameters.Add(r.High.ToString(CultureInfo.InvariantCulture));
                v6.Add($"{column}_v6 BETWEEN CAST(${parameters.Count - 1} AS UHUGEINT) AND CAST(${parameters.Count} AS UHUGEINT)");
                continue;
            }
            // Bounds typed as the column (UINTEGER): comparing as BIGINT would widen every row's value first.
            parameters.Add((long)(uint)r.Low);
            if (r.Low == r.High)
            {
                v4.Add($"{column}_v4 = CAST(${parameters.Count} AS UINTEGER)");
                continue;
            }
            parameters.Add((long)(uint)r.High);
            v4.Add($"{column}_v4 BETWEEN CAST(${parameters.Count - 1} AS UINTEGER) AND CAST(${parameters.Count} AS UINTEGER)");
        }
        // An address is IPv4 or IPv6: test only its family's ranges. A NULL column (no address) is not in the list:
        // without coalesce, "NOT in list" would be NULL (dropped) instead of true.
        var four = "coalesce(" + string.Join(" OR ", v4) + ", false)";
        var six = "coalesce(" + string.Join(" OR ", v6) + ", false)";
        if (v6.Count == 0) return four;
        if (v4.Count == 0) return six;
        return $"(CASE WHEN {column}_v4 IS NOT NULL THEN {four} ELSE {six} END)";
    }

    public override string ToString() => string.Join(",", Ranges.Select(r => r.Text));

    /// <summary>Number of addresses covered, for statements ("a /16: 65,536 addresses").</summary>
    public BigInteger Size => Ranges.Aggregate(BigInteger.Zero, (s, r) => s + (BigInteger)(r.High - r.Low) + 1);
}
