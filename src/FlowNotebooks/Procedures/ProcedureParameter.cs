using System.Globalization;
using FlowNotebooks.Enrichment;
using FlowNotebooks.Input;

namespace FlowNotebooks.Procedures;

/// <summary>What a parameter's text means.</summary>
public enum ParameterKind
{
    /// <summary>Free text.</summary>
    Text,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>A time (<see cref="AnalystInput.TimeForms"/>; without a zone read as UTC, and the result says so).</summary>
    Time,
    /// <summary>A duration: seconds, or 90s, 10m, 2h, 1d, or hh:mm:ss.</summary>
    Duration,
    /// <summary>Addresses and CIDR blocks separated by commas.</summary>
    Cidrs,
    /// <summary>Ports separated by commas (ranges like 8000-8010 allowed).</summary>
    Ports,
    /// <summary>A file the analyst supplies.</summary>
    File,
    /// <summary>true or false.</summary>
    Flag,
    /// <summary>A byte count: a whole number or a size such as 500MB or 1.5GiB (<see cref="AnalystInput.ByteSizeForms"/>).</summary>
    Bytes,
}

/// <summary>A parameter of a procedure: name (snake_case, as in magic commands and <c>--param name=value</c>), kind, default and meaning.</summary>
public sealed record ProcedureParameter(string Name, ParameterKind Kind, string? Default, string Description)
{
    /// <summary>Turns text (or an already typed value) into the value procedures use: string, long, DateTime (UTC), TimeSpan,
    /// CidrList, int[], bool. Text is read by <see cref="AnalystInput"/>, the one rule set of every face; a time without a
    /// zone is read as UTC and the sentence saying so is added to <paramref name="notes"/>.</summary>
    /// <exception cref="FormatException">The text does not fit the kind: the message names the parameter and the accepted forms.</exception>
    public object? Convert(object? value, ICollection<string>? notes = null)
    {
        if (value is null) return null;
        // A C# DateTime of unspecified kind names no zone either: read as UTC, and said so like typed text.
        if (Kind == ParameterKind.Time && value is DateTime { Kind: DateTimeKind.Unspecified } unzoned)
            notes?.Add($"{Name} {unzoned.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)} (a DateTime of unspecified kind) names no zone: read as UTC.");
        if (value is not string text)
            return Kind switch
            {
                ParameterKind.Integer or ParameterKind.Bytes when value is int or long => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                ParameterKind.Time when value is DateTime t => Utc(t),
                ParameterKind.Time when value is DateTimeOffset o => o.UtcDateTime,
                ParameterKind.Duration when value is TimeSpan => value,
                ParameterKind.Duration when value is int or long => TimeSpan.FromSeconds(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                ParameterKind.Cidrs when value is CidrList => value,
                ParameterKind.Cidrs when value is IEnumerable<string> items => AnalystInput.Cidrs(string.Join(',', items), Name),
                ParameterKind.Ports when value is IEnumerable<int> ports => ports.Distinct().Order().ToArray(),
                ParameterKind.Flag when value is bool => value,
                _ => Convert(System.Convert.ToString(value, CultureInfo.InvariantCulture), notes),
            };
        text = text.Trim();
        if (text.Length == 0 && Kind is not (ParameterKind.Text or ParameterKind.Cidrs or ParameterKind.Ports)) return null;
        switch (Kind)
        {
            case ParameterKind.Time:
                var time = AnalystInput.Time(text, Name);
                if (time.Note(Name) is { } note) notes?.Add(note);
                return time.Utc;
            case ParameterKind.Integer: return AnalystInput.Integer(text, Name);
            case ParameterKind.Bytes: return AnalystInput.ByteSize(text, Name);
            case ParameterKind.Duration: return AnalystInput.Duration(text, Name);
            case ParameterKind.Cidrs: return AnalystInput.Cidrs(text, Name);
            case ParameterKind.Ports: return AnalystInput.Ports(text, Name);
            case ParameterKind.Flag: return AnalystInput.Flag(text, Name);
            default: return text;
        }
    }

    /// <summary>
    /// Binds given values (text as typed, or typed values; names case and '-'/'_' insensitive) to <paramref name="parameters"/>,
    /// defaults for the rest, by name. <paramref name="owner"/> names what takes them in the refusal of an unknown name.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not one of the parameters.</exception>
    /// <exception cref="FormatException">A value does not fit its kind.</exception>
    public static Dictionary<string, object?> Bind(IReadOnlyList<ProcedureParameter> parameters, IReadOnlyDictionary<string, object?> given,
        string owner, ICollection<string>? notes = null)
    {
        var known = parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var name in given.Keys.Where(k => !known.ContainsKey(k.Replace('-', '_'))))
            throw new ArgumentException($"{owner} has no parameter '{name}'. Parameters: {string.Join(", ", parameters.Select(p => p.Name))}.");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            var supplied = given.FirstOrDefault(kv => string.Equals(kv.Key.Replace('-', '_'), p.Name, StringComparison.OrdinalIgnoreCase));
            values[p.Name] = p.Convert(supplied.Key is null ? p.Default : supplied.Value, notes);
        }
        return values;
    }

    /// <summary>Parameters typed as <c>name=value</c> (the CLI's <c>--param</c>, a magic's <c>--param "a=1;b=2"</c>), by name.</summary>
    /// <exception cref="FormatException">An item without a name and '='.</exception>
    public static Dictionary<string, object?> Pairs(IEnumerable<string> items, string option = "--param")
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in items)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new FormatException($"{option} '{pair}': expected name=value.");
            values[pair[..eq].Trim()] = pair[(eq + 1)..];
        }
        return values;
    }

    static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

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
        "Start of the window (a time without a zone is read as UTC). Default: the first record in the case. A record counts when its capture window overlaps the window.");
    public static readonly ProcedureParameter To = new("to", ParameterKind.Time, null,
        "End of the window (exclusive; a time without a zone is read as UTC). Default: the last record in the case. A window that is empty, reversed or outside the case's records is refused.");
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
