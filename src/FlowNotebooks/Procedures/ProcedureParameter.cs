using System.Globalization;
using FlowNotebooks.Enrichment;

namespace FlowNotebooks.Procedures;

/// <summary>What a parameter's text means.</summary>
public enum ParameterKind
{
    /// <summary>Free text.</summary>
    Text,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>A UTC time (ISO 8601, e.g. 2026-03-14T09:00:00Z).</summary>
    Time,
    /// <summary>A duration: seconds, or 90s, 10m, 2h, 1d.</summary>
    Duration,
    /// <summary>Addresses and CIDR blocks separated by commas.</summary>
    Cidrs,
    /// <summary>Ports separated by commas (ranges like 8000-8010 allowed).</summary>
    Ports,
    /// <summary>A file the analyst supplies.</summary>
    File,
    /// <summary>true or false.</summary>
    Flag,
}

/// <summary>A parameter of a procedure: name (snake_case, as in magic commands and <c>--param name=value</c>), kind, default and meaning.</summary>
public sealed record ProcedureParameter(string Name, ParameterKind Kind, string? Default, string Description)
{
    /// <summary>Turns text (or an already typed value) into the value procedures use: string, long, DateTime (UTC), TimeSpan, CidrList, int[], bool.</summary>
    /// <exception cref="FormatException">The text does not fit the kind.</exception>
    public object? Convert(object? value)
    {
        if (value is null) return null;
        if (value is not string text)
            return Kind switch
            {
                ParameterKind.Integer when value is int or long => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                ParameterKind.Time when value is DateTime t => Utc(t),
                ParameterKind.Time when value is DateTimeOffset o => o.UtcDateTime,
                ParameterKind.Duration when value is TimeSpan => value,
                ParameterKind.Duration when value is int or long => TimeSpan.FromSeconds(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                ParameterKind.Cidrs when value is CidrList => value,
                ParameterKind.Cidrs when value is IEnumerable<string> items => CidrList.Parse(string.Join(',', items)),
                ParameterKind.Ports when value is IEnumerable<int> ports => ports.Distinct().Order().ToArray(),
                ParameterKind.Flag when value is bool => value,
                _ => Convert(System.Convert.ToString(value, CultureInfo.InvariantCulture)),
            };
        text = text.Trim();
        if (text.Length == 0 && Kind is not (ParameterKind.Text or ParameterKind.Cidrs or ParameterKind.Ports)) return null;
        try
        {
            return Kind switch
            {
                ParameterKind.Text or ParameterKind.File => text,
                ParameterKind.Integer => long.Parse(text.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                ParameterKind.Time => Utc(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
                ParameterKind.Duration => ParseDuration(text),
                ParameterKind.Cidrs => CidrList.Parse(text),
                ParameterKind.Ports => ParsePorts(text),
                ParameterKind.Flag => bool.Parse(text),
                _ => text,
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new FormatException($"Parameter {Name} ({Kind}): '{text}' is not valid. {ex.Message}", ex);
        }
    }

    static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

    static TimeSpan ParseDuration(string s)
    {
        var unit = char.ToLowerInvariant(s[^1]);
        var (number, seconds) = unit switch
        {
            's' => (s[..^1], 1),
            'm' => (s[..^1], 60),
            'h' => (s[..^1], 3600),
            'd' => (s[..^1], 86400),
            _ => (s, 1),
        };
        return TimeSpan.FromSeconds(double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture) * seconds);
    }

    static int[] ParsePorts(string s)
    {
        var ports = new SortedSet<int>();
        foreach (var part in s.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            var lo = int.Parse(dash < 0 ? part : part[..dash], CultureInfo.InvariantCulture);
            var hi = dash < 0 ? lo : int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
            if (lo < 0 || hi > 65535 || hi < lo) throw new FormatException($"'{part}' is not a port or port range.");
            for (var p = lo; p <= hi; p++) ports.Add(p);
        }
        return [.. ports];
    }

    /// <summary>How a value is shown in results and appendices (stable text).</summary>
    public static string Show(object? value) => value switch
    {
        null => "",
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        TimeSpan d => ((long)d.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
        int[] ports => string.Join(",", ports),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Parameters several procedures share, so they mean the same everywhere.</summary>
public static class CommonParameters
{
    public static readonly ProcedureParameter From = new("from", ParameterKind.Time, null,
        "Start of the window (UTC). Default: the first record in the case. A record counts when its capture window overlaps the window.");
    public static readonly ProcedureParameter To = new("to", ParameterKind.Time, null,
        "End of the window (UTC, exclusive). Default: the last record in the case.");
    public static readonly ProcedureParameter InternalCidrs = new("internal_cidrs", ParameterKind.Cidrs, CidrList.Private.ToString(),
        "Address blocks that are ours (the VPC CIDRs). Everything else is external.");
    public static readonly ProcedureParameter BaselineFrom = new("baseline_from", ParameterKind.Time, null,
        "Start of a baseline window (UTC) of normal activity, to rank what is new. No baseline when omitted.");
    public static readonly ProcedureParameter BaselineTo = new("baseline_to", ParameterKind.Time, null,
        "End of the baseline window (UTC, exclusive).");
    public static readonly ProcedureParameter GeoIpDatabase = new("geoip_database", ParameterKind.File, null,
        "Optional MaxMind GeoIP2/GeoLite2 Country or City database (.mmdb): adds country and country_name for external addresses.");
    public static readonly ProcedureParameter AsnDatabase = new("asn_database", ParameterKind.File, null,
        "Optional MaxMind GeoLite2 ASN database (.mmdb): adds asn and as_org (the AS organisation) for external addresses.");
    /// <summary>The optional GeoIP/ASN enrichment of procedures that list external addresses (<see cref="ProcedureRun.WithGeoIp"/>).</summary>
    public static readonly IReadOnlyList<ProcedureParameter> GeoIp = [GeoIpDatabase, AsnDatabase];
}
