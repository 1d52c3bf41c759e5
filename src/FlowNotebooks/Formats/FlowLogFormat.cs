using System.Text;
using System.Text.RegularExpressions;

namespace FlowNotebooks.Formats;

/// <summary>
/// The ordered field layout of a flow log and where that layout came from. The <c>version</c> value in records never
/// decides the layout: it only names the newest field in it.
/// </summary>
public sealed partial class FlowLogFormat : IEquatable<FlowLogFormat>
{
    /// <summary>The default (v2) format string.</summary>
    public const string DefaultLogFormat =
        "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

    /// <summary>The transit gateway default format (all v2 to v6 TGW fields in documentation order).</summary>
    public const string TransitGatewayDefaultLogFormat =
        "${version} ${resource-type} ${account-id} ${tgw-id} ${tgw-attachment-id} ${tgw-src-vpc-account-id} ${tgw-dst-vpc-account-id} ${tgw-src-vpc-id} ${tgw-dst-vpc-id} ${tgw-src-subnet-id} ${tgw-dst-subnet-id} ${tgw-src-eni} ${tgw-dst-eni} ${tgw-src-az-id} ${tgw-dst-az-id} ${tgw-pair-attachment-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${log-status} ${type} ${packets-lost-no-route} ${packets-lost-blackhole} ${packets-lost-mtu-exceeded} ${packets-lost-ttl-expired} ${tcp-flags} ${region} ${flow-direction} ${pkt-src-aws-service} ${pkt-dst-aws-service}";

    /// <summary>The default v2 layout.</summary>
    public static FlowLogFormat Default { get; } = Parse(DefaultLogFormat, "default v2 format");

    FlowLogFormat(IReadOnlyList<FlowField> fields, string origin)
    {
        Fields = fields;
        Origin = origin;
        Signature = string.Join(' ', fields.Select(f => f.Name));
    }

    /// <summary>Fields in record order.</summary>
    public IReadOnlyList<FlowField> Fields { get; }

    /// <summary>True when the layout has the field of that AWS name.</summary>
    public bool Has(string name) => Fields.Any(f => f.Name == name);

    /// <summary>Where the layout came from: "header line", "LogFormat of fl-…", "--format", "default v2 format".</summary>
    public string Origin { get; }

    /// <summary>The field names joined by single spaces, as an S3 header line writes them.</summary>
    public string Signature { get; }

    /// <summary>The layout as a LogFormat string (<c>${a} ${b} …</c>).</summary>
    public string LogFormat => string.Join(' ', Fields.Select(f => "${" + f.Name + "}"));

    /// <summary>The highest catalogue version among the fields (what AWS writes into <c>version</c>).</summary>
    public int HighestVersion => Fields.Count == 0 ? 0 : Fields.Max(f => f.Version);

    /// <summary>Unknown field names this layout carries (kept as text).</summary>
    public IEnumerable<string> UnknownFields => Fields.Where(f => f.IsUnknown).Select(f => f.Name);

    /// <summary>
    /// Reads a LogFormat string (<c>${version} ${srcaddr} …</c>) or a plain header (<c>version srcaddr …</c>).
    /// </summary>
    /// <exception cref="FormatException">The string is empty, a token is malformed, or a field repeats.</exception>
    public static FlowLogFormat Parse(string format, string origin = "--format")
    {
        ArgumentNullException.ThrowIfNull(format);
        var tokens = format.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
            throw new FormatException($"The flow-log format from {origin} is empty.");
        var bad = new List<string>();
        var fields = new List<FlowField>(tokens.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in tokens)
        {
            var name = raw.StartsWith("${", StringComparison.Ordinal) && raw.EndsWith('}') ? raw[2..^1] : raw;
            if (!FieldName().IsMatch(name))
            {
                bad.Add(raw);
                continue;
            }
            if (!seen.Add(name))
            {
                bad.Add(raw + " (repeated)");
                continue;
            }
            fields.Add(FieldCatalog.Resolve(name));
        }
        if (bad.Count > 0)
            throw new FormatException($"The flow-log format from {origin} has invalid field tokens: {string.Join(", ", bad)}.");
        return new FlowLogFormat(fields, origin);
    }

    /// <summary>
    /// True when a line is an S3 header line: every token is a field name (lower case, digits, hyphens) and the first
    /// is a catalogued field. A record can never pass this (its values hold digits-only tokens, dashes, capitals or dots).
    /// </summary>
    public static bool IsHeaderLine(ReadOnlySpan<byte> line)
    {
        line = line.Trim((byte)' ').TrimEnd((byte)'\r');
        if (line.IsEmpty || line[0] < (byte)'a' || line[0] > (byte)'z')
            return false;
        var firstEnd = line.IndexOfAny((byte)' ', (byte)'\t');
        var first = firstEnd < 0 ? line : line[..firstEnd];
        if (!FieldCatalog.IsKnown(Encoding.ASCII.GetString(first)))
            return false;
        foreach (var b in line)
        {
            var ok = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)' ' or (byte)'\t';
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Reads a header line into a format.</summary>
    public static FlowLogFormat FromHeader(ReadOnlySpan<byte> line, string origin = "header line") =>
        Parse(Encoding.ASCII.GetString(line.TrimEnd((byte)'\r')), origin);

    /// <inheritdoc />
    public bool Equals(FlowLogFormat? other) => other is not null && other.Signature == Signature;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FlowLogFormat);

    /// <inheritdoc />
    public override int GetHashCode() => Signature.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Signature} ({Origin})";

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex FieldName();
}
