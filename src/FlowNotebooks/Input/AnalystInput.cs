using System.Globalization;
using System.Text.RegularExpressions;
using FlowNotebooks.Enrichment;

namespace FlowNotebooks.Input;

/// <summary>
/// What analysts type (times, durations, ports, CIDR lists, byte sizes, numbers), read by one rule set for every face:
/// <c>flownb</c> options, magic-command options, procedure parameters and notebook parameters. The rules never depend on
/// the machine's culture (an incident window read as 1 June on one laptop and 6 January on another is a wrong answer),
/// so there is no day/month order to guess: dates are year-month-day only.
/// Every refusal is a <see cref="FormatException"/> naming the parameter and the forms it accepts.
/// </summary>
public static partial class AnalystInput
{
    /// <summary>The time forms, as messages and help show them.</summary>
    public const string TimeForms =
        "ISO 8601 with Z or an offset (2025-11-18T03:00:00Z, 2025-11-18T05:00:00+02:00), 2025-11-18 03:00 or 2025-11-18T03:00 " +
        "(seconds and fractions optional), a date (2025-11-18, midnight), or epoch seconds or milliseconds (1763434800, 1763434800000); " +
        "a time without a zone is read as UTC";

    /// <summary>The duration forms.</summary>
    public const string DurationForms = "seconds (90), a number with a unit (90s, 10m, 1.5h, 2h, 1d) or hh:mm:ss (00:10:00, 1.00:00:00 for a day)";

    /// <summary>The port forms.</summary>
    public const string PortForms = "ports 0-65535 separated by commas, ranges allowed (22,3389,8000-8010)";

    /// <summary>The CIDR-list forms.</summary>
    public const string CidrForms = "IPv4/IPv6 addresses and CIDR blocks separated by commas (10.20.0.0/16,203.0.113.7,2001:db8::/32)";

    /// <summary>The byte-size forms.</summary>
    public const string ByteSizeForms = "a whole number of bytes (10000000, 10_000_000) or a size with a unit: KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 500MB, 1.5GiB";

    /// <summary>
    /// A time. Forms: <see cref="TimeForms"/>. A time without a zone is read as UTC and the result says so
    /// (<see cref="AnalystTime.ZoneGiven"/> false). Epoch numbers are UTC by definition.
    /// </summary>
    /// <exception cref="FormatException">Anything else, naming <paramref name="parameter"/> and the accepted forms.</exception>
    public static AnalystTime Time(string text, string parameter)
    {
        var t = text.Trim();
        var epoch = EpochPattern().Match(t);
        if (epoch.Success)
        {
            var n = long.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture);
            // 9-11 digits are seconds (1973-5138), 12-14 milliseconds: the two never overlap for incident times.
            var utc = t.Length <= 11 ? DateTime.UnixEpoch.AddSeconds(n) : DateTime.UnixEpoch.AddMilliseconds(n);
            return new AnalystTime(utc, ZoneGiven: true, t);
        }
        var m = TimePattern().Match(t);
        if (!m.Success) throw Refused(parameter, t, "a time", TimeForms);
        try
        {
            int Part(string name, int otherwise = 0) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, NumberStyles.None, CultureInfo.InvariantCulture) : otherwise;
            var local = new DateTime(Part("y"), Part("mo"), Part("d"), Part("h"), Part("mi"), Part("s"), DateTimeKind.Unspecified);
            if (m.Groups["f"].Success) local = local.AddTicks(long.Parse(m.Groups["f"].Value.PadRight(7, '0'), NumberStyles.None, CultureInfo.InvariantCulture));
            var zone = m.Groups["zone"];
            if (!zone.Success) return new AnalystTime(DateTime.SpecifyKind(local, DateTimeKind.Utc), ZoneGiven: false, t);
            var offset = zone.Value is "Z" or "z" ? TimeSpan.Zero : Offset(m);
            return new AnalystTime(DateTime.SpecifyKind(local - offset, DateTimeKind.Utc), ZoneGiven: true, t);
        }
        catch (ArgumentOutOfRangeException)
        {
            // 2025-02-30, 25:00, +15:00: the shape is right, the calendar or clock is not.
            throw Refused(parameter, t, "a time (no such date, hour or offset)", TimeForms);
        }
    }

    static TimeSpan Offset(Match m)
    {
        var hours = int.Parse(m.Groups["oh"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var minutes = m.Groups["om"].Success ? int.Parse(m.Groups["om"].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        if (hours > 14 || minutes > 59) throw new ArgumentOutOfRangeException(nameof(m), "UTC offsets run from -14:00 to +14:00.");
        var offset = new TimeSpan(hours, minutes, 0);
        return m.Groups["sign"].Value == "-" ? -offset : offset;
    }

    /// <summary>A duration, not negative. Forms: <see cref="DurationForms"/>.</summary>
    public static TimeSpan Duration(string text, string parameter)
    {
        var t = text.Trim();
        // hh:mm:ss only: "10:00" could be ten hours or ten minutes, so it is refused rather than read one way.
        if (t.Contains(':'))
            return t.Count(c => c == ':') == 2 && TimeSpan.TryParseExact(t, "c", CultureInfo.InvariantCulture, out var clock) && clock >= TimeSpan.Zero
                ? clock : throw Refused(parameter, t, "a duration", DurationForms);
        var m = DurationPattern().Match(t);
        if (!m.Success) throw Refused(parameter, t, "a duration", DurationForms);
        var seconds = m.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "m" => 60, "h" => 3600, "d" => 86400, _ => 1,
        };
        var number = double.Parse(m.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return number * seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(number * seconds) : throw Refused(parameter, t, "a duration (too long)", DurationForms);
    }

    /// <summary>Ports, sorted and distinct. Forms: <see cref="PortForms"/>. Empty text is no ports.</summary>
    public static int[] Ports(string text, string parameter)
    {
        var ports = new SortedSet<int>();
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var m = PortPattern().Match(part);
            if (!m.Success) throw Refused(parameter, part, "a port or port range", PortForms);
            var lo = int.Parse(m.Groups["lo"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            var hi = m.Groups["hi"].Success ? int.Parse(m.Groups["hi"].Value, NumberStyles.None, CultureInfo.InvariantCulture) : lo;
            if (hi > 65535 || hi < lo) throw Refused(parameter, part, "a port or port range", PortForms);
            for (var p = lo; p <= hi; p++) ports.Add(p);
        }
        return [.. ports];
    }

    /// <summary>Addresses and CIDR blocks. Forms: <see cref="CidrForms"/>. Empty text is an empty list.</summary>
    public static CidrList Cidrs(string text, string parameter)
    {
        try
        {
            return CidrList.Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{Name(parameter)}: {e.Message} Accepted: {CidrForms}.", e);
        }
    }

    /// <summary>A byte count. Forms: <see cref="ByteSizeForms"/>. Units are exact: 500MB is 500,000,000, 1GiB 1,073,741,824.</summary>
    public static long ByteSize(string text, string parameter)
    {
        var t = text.Trim();
        var m = ByteSizePattern().Match(t);
        if (!m.Success) throw Refused(parameter, t, "a byte size", ByteSizeForms);
        var unit = m.Groups["unit"].Value.ToUpperInvariant();
        decimal factor = unit switch
        {
            "" or "B" => 1m,
            "KB" => 1e3m, "MB" => 1e6m, "GB" => 1e9m, "TB" => 1e12m,
            "KIB" => 1024m, "MIB" => 1024m * 1024, "GIB" => 1024m * 1024 * 1024, "TIB" => 1024m * 1024 * 1024 * 1024,
            _ => throw Refused(parameter, t, "a byte size", ByteSizeForms),
        };
        var bytes = decimal.Parse(m.Groups["n"].Value.Replace("_", ""), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * factor;
        if (bytes != decimal.Truncate(bytes) || bytes > long.MaxValue) throw Refused(parameter, t, "a whole number of bytes", ByteSizeForms);
        return (long)bytes;
    }

    /// <summary>A whole number (underscores may group digits: 10_000_000).</summary>
    public static long Integer(string text, string parameter)
    {
        var t = text.Trim();
        return IntegerPattern().IsMatch(t) && long.TryParse(t.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n : throw Refused(parameter, t, "a whole number", "digits with an optional sign and _ between groups (10000000, 10_000_000)");
    }

    /// <summary>true or false.</summary>
    public static bool Flag(string text, string parameter) =>
        text.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw Refused(parameter, text.Trim(), "true or false", "true or false"),
        };

    /// <summary>The refusal every reader gives: the parameter, the text, what it should be and the accepted forms.</summary>
    static FormatException Refused(string parameter, string text, string what, string forms) =>
        new($"{Name(parameter)}: '{text}' is not {what}. Accepted: {forms}.");

    // Options keep their dashes (--from); procedure parameter names read as "Parameter from".
    static string Name(string parameter) => parameter.StartsWith('-') ? parameter : $"Parameter {parameter}";

    [GeneratedRegex(@"^[0-9]{9,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex EpochPattern();

    // yyyy-MM-dd, then optionally T or a space and HH:mm[:ss[.fffffff]], then optionally Z, ±hh, ±hhmm or ±hh:mm.
    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})(?:[Tt ](?<h>[0-9]{2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:\.(?<f>[0-9]{1,7}))?)?)?\s*(?<zone>[Zz]|(?<sign>[+-])(?<oh>[0-9]{2})(?::?(?<om>[0-9]{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(?<n>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>[smhdSMHD]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<lo>[0-9]{1,5})(?:-(?<hi>[0-9]{1,5}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PortPattern();

    [GeneratedRegex(@"^(?<n>[0-9][0-9_]*(?:\.[0-9]+)?)\s*(?<unit>[A-Za-z]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ByteSizePattern();

    [GeneratedRegex(@"^[+-]?[0-9][0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();
}
