using System.Text.Json;

namespace FlowNotebooks.Enrichment;

/// <summary>
/// AWS's published <c>ip-ranges.json</c>, for flow logs without <c>pkt-dst-aws-service</c> (format versions below 5):
/// traffic to S3, DynamoDB and other services is not exfiltration to an attacker and is reported apart.
/// </summary>
public sealed class AwsIpRanges
{
    AwsIpRanges(IReadOnlyList<(CidrRange Range, string Service)> prefixes) => Prefixes = prefixes;

    /// <summary>Each prefix with its most specific service (a prefix listed as AMAZON and as S3 is S3).</summary>
    public IReadOnlyList<(CidrRange Range, string Service)> Prefixes { get; }

    /// <summary>Reads the JSON AWS publishes (<c>prefixes[].ip_prefix</c>, <c>ipv6_prefixes[].ipv6_prefix</c>, <c>service</c>).</summary>
    /// <exception cref="JsonException">Not an ip-ranges.json document.</exception>
    public static AwsIpRanges Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("prefixes", out _))
            throw new JsonException("Not an AWS ip-ranges.json document: no \"prefixes\" array.");
        var byRange = new Dictionary<(bool, UInt128, UInt128), (CidrRange, string)>();
        foreach (var (list, field) in new[] { ("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix") })
        {
            if (!root.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array) continue;
            foreach (var p in items.EnumerateArray())
            {
                if (!p.TryGetProperty(field, out var pf) || !CidrRange.TryParse(pf.GetString(), out var range)) continue;
                var service = p.TryGetProperty("service", out var sv) ? sv.GetString() ?? "AMAZON" : "AMAZON";
                var key = (range.IsV6, range.Low, range.High);
                if (!byRange.TryGetValue(key, out var known) || known.Item2 == "AMAZON")
                    byRange[key] = (range, service);
            }
        }
        return new AwsIpRanges(byRange.Values.OrderBy(v => v.Item1.IsV6).ThenBy(v => v.Item1.Low).ThenBy(v => v.Item2, StringComparer.Ordinal).ToList());
    }

    /// <summary>Reads an ip-ranges.json file.</summary>
    public static AwsIpRanges Load(string path) => Parse(File.ReadAllText(path));
}
