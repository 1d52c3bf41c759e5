using System.Globalization;
using FlowNotebooks.Input;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Tests.Input;

/// <summary>
/// The one rule set for what analysts type, read under cultures whose own rules differ (de-DE: day.month.year and a
/// decimal comma; en-US: month/day/year): the results must be identical and equal to the invariant meaning.
/// </summary>
public sealed class AnalystInputTests
{
    static readonly string[] Cultures = ["de-DE", "en-US"];

    static T Under<T>(string culture, Func<T> read)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try { return read(); }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0) => new(y, mo, d, h, mi, s, ms, DateTimeKind.Utc);

    [Fact]
    public void The_cultures_used_here_really_differ_from_the_invariant_rules()
    {
        // Without ICU (globalization-invariant mode) every culture reads like the invariant one and the tests below
        // would prove nothing: make sure de-DE and en-US are the real ones.
        Assert.Equal(",", CultureInfo.GetCultureInfo("de-DE").NumberFormat.NumberDecimalSeparator);
        Assert.Equal(new DateTime(2025, 6, 1), DateTime.Parse("01.06.2025", CultureInfo.GetCultureInfo("de-DE")));
        Assert.Equal(new DateTime(2025, 1, 6), DateTime.Parse("01/06/2025", CultureInfo.GetCultureInfo("en-US")));
    }

    public static TheoryData<string, DateTime, bool> Times => new()
    {
        { "2025-11-18T03:00:00Z", Utc(2025, 11, 18, 3), true },
        { "2025-11-18t03:00:00z", Utc(2025, 11, 18, 3), true },
        { "2025-11-18T05:00:00+02:00", Utc(2025, 11, 18, 3), true },
        { "2025-11-17T22:00:00-05:00", Utc(2025, 11, 18, 3), true },
        { "2025-11-18T04:30+0130", Utc(2025, 11, 18, 3), true },
        { "2025-11-18 08:30:00+05:30", Utc(2025, 11, 18, 3), true },
        { "2025-11-18T03:00:00.250Z", Utc(2025, 11, 18, 3, 0, 0, 250), true },
        { "2025-11-18 03:00", Utc(2025, 11, 18, 3), false },
        { "2025-11-18T03:00", Utc(2025, 11, 18, 3), false },
        { "2025-11-18 03:00:07", Utc(2025, 11, 18, 3, 0, 7), false },
        { "2025-11-18", Utc(2025, 11, 18), false },
        { " 2025-11-18T03:00:00Z ", Utc(2025, 11, 18, 3), true },
        { "1763434800", Utc(2025, 11, 18, 3), true },
        { "1763434800000", Utc(2025, 11, 18, 3), true },
        { "1763434800250", Utc(2025, 11, 18, 3, 0, 0, 250), true },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void Times_analysts_type_read_the_same_under_every_culture(string text, DateTime expected, bool zoneGiven)
    {
        foreach (var culture in Cultures)
        {
            var t = Under(culture, () => AnalystInput.Time(text, "from"));
            Assert.Equal(expected, t.Utc);
            Assert.Equal(DateTimeKind.Utc, t.Utc.Kind);
            Assert.Equal(zoneGiven, t.ZoneGiven);
            // Only a time without a zone carries the sentence that says what was assumed.
            Assert.Equal(zoneGiven ? null : $"from '{text.Trim()}' names no zone: read as UTC, {expected:yyyy-MM-dd'T'HH:mm:ss'Z'}.", t.Note("from"));
        }
    }

    [Theory]
    [InlineData("yesterday", "a time")]
    [InlineData("18.11.2025 03:00", "a time")]          // de-DE's own form: day and month order would be a guess
    [InlineData("11/18/2025 03:00", "a time")]          // en-US's own form
    [InlineData("01/06/2025", "a time")]                // 1 June or 6 January: refused, not guessed
    [InlineData("2025-11-18T03:00:00 UTC", "a time")]
    [InlineData("2025-02-30", "a time (no such date, hour or offset)")]
    [InlineData("2025-11-18T25:00Z", "a time (no such date, hour or offset)")]
    [InlineData("2025-11-18T03:00+15:00", "a time (no such date, hour or offset)")]
    [InlineData("20251118", "a time")]                  // eight digits: neither a date form nor epoch seconds
    [InlineData("١٧٦٣٤٣٤٨٠٠", "a time")]               // Arabic-Indic digits are not read as numbers
    public void Garbage_is_refused_naming_the_parameter_and_the_accepted_forms(string text, string what)
    {
        foreach (var culture in Cultures)
        {
            var e = Assert.Throws<FormatException>(() => Under(culture, () => AnalystInput.Time(text, "from")));
            Assert.Equal($"Parameter from: '{text}' is not {what}. Accepted: {AnalystInput.TimeForms}.", e.Message);
        }
        var option = Assert.Throws<FormatException>(() => AnalystInput.Time(text, "--from"));
        Assert.StartsWith($"--from: '{text}' is not", option.Message);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1.5h", 5400)]
    [InlineData("2H", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("00:10:00", 600)]
    [InlineData("1.00:00:00", 86400)]
    public void Durations_read_the_same_under_every_culture(string text, double seconds)
    {
        foreach (var culture in Cultures)
            Assert.Equal(TimeSpan.FromSeconds(seconds), Under(culture, () => AnalystInput.Duration(text, "bucket")));
    }

    [Theory]
    [InlineData("1,5h")]       // the German decimal comma is not read as 1.5 hours
    [InlineData("-5m")]
    [InlineData("often")]
    [InlineData("10 minutes")]
    [InlineData("10:00")]
    public void Bad_durations_are_refused_under_de_DE(string text)
    {
        var e = Assert.Throws<FormatException>(() => Under("de-DE", () => AnalystInput.Duration(text, "bucket")));
        Assert.Equal($"Parameter bucket: '{text}' is not a duration. Accepted: {AnalystInput.DurationForms}.", e.Message);
    }

    [Fact]
    public void Ports_and_ranges_read_the_same_under_de_DE()
    {
        Assert.Equal([22, 3389, 8000, 8001, 8002], Under("de-DE", () => AnalystInput.Ports("3389, 22,8000-8002;22", "admin_ports")));
        Assert.Equal([], Under("de-DE", () => AnalystInput.Ports("", "admin_ports")));
        foreach (var bad in new[] { "1.000", "70000", "10-5", "ssh", "-22" })
        {
            var e = Assert.Throws<FormatException>(() => Under("de-DE", () => AnalystInput.Ports(bad, "admin_ports")));
            Assert.Equal($"Parameter admin_ports: '{bad}' is not a port or port range. Accepted: {AnalystInput.PortForms}.", e.Message);
        }
    }

    [Fact]
    public void Cidr_lists_read_the_same_under_de_DE()
    {
        var list = Under("de-DE", () => AnalystInput.Cidrs("10.20.0.0/16, 203.0.113.7;2001:db8::/32 10.20.1.0/24", "internal_cidrs"));
        Assert.Equal(["10.20.0.0/16", "10.20.1.0/24", "203.0.113.7", "2001:db8::/32"], list.Ranges.Select(r => r.Text));
        Assert.True(list.Contains("10.20.30.40"));
        Assert.False(list.Contains("10.21.0.1"));
        var e = Assert.Throws<FormatException>(() => Under("de-DE", () => AnalystInput.Cidrs("10.20.0.0/33", "internal_cidrs")));
        Assert.Equal($"Parameter internal_cidrs: '10.20.0.0/33' is not an IP address or CIDR block. Accepted: {AnalystInput.CidrForms}.", e.Message);
    }

    [Theory]
    [InlineData("10000000", 10_000_000L)]
    [InlineData("10_000_000", 10_000_000L)]
    [InlineData("500MB", 500_000_000L)]
    [InlineData("500 mb", 500_000_000L)]
    [InlineData("1.5GB", 1_500_000_000L)]
    [InlineData("1.5GiB", 1_610_612_736L)]
    [InlineData("64KiB", 65_536L)]
    [InlineData("2TB", 2_000_000_000_000L)]
    [InlineData("7B", 7L)]
    public void Byte_sizes_read_the_same_under_every_culture(string text, long bytes)
    {
        foreach (var culture in Cultures)
            Assert.Equal(bytes, Under(culture, () => AnalystInput.ByteSize(text, "min_bytes")));
    }

    [Theory]
    [InlineData("1,5GB", "a byte size")]           // decimal comma
    [InlineData("10.000.000", "a byte size")]      // German digit grouping
    [InlineData("5XB", "a byte size")]
    [InlineData("1.5B", "a whole number of bytes")]
    [InlineData("-5MB", "a byte size")]
    public void Bad_byte_sizes_are_refused_under_de_DE(string text, string what)
    {
        var e = Assert.Throws<FormatException>(() => Under("de-DE", () => AnalystInput.ByteSize(text, "min_bytes")));
        Assert.Equal($"Parameter min_bytes: '{text}' is not {what}. Accepted: {AnalystInput.ByteSizeForms}.", e.Message);
    }

    [Fact]
    public void Whole_numbers_do_not_take_the_cultures_grouping()
    {
        Assert.Equal(-1_000L, Under("de-DE", () => AnalystInput.Integer("-1_000", "limit")));
        Assert.Throws<FormatException>(() => Under("de-DE", () => AnalystInput.Integer("1.000", "limit")));
        Assert.Throws<FormatException>(() => Under("en-US", () => AnalystInput.Integer("1,000", "limit")));
    }

    [Fact]
    public void A_procedure_parameter_reads_through_the_same_rules_and_notes_a_missing_zone()
    {
        var notes = new List<string>();
        var from = Under("de-DE", () => CommonParameters.From.Convert("2025-11-18 03:00", notes));
        Assert.Equal(Utc(2025, 11, 18, 3), from);
        Assert.Equal(["from '2025-11-18 03:00' names no zone: read as UTC, 2025-11-18T03:00:00Z."], notes);

        notes.Clear();
        Assert.Equal(Utc(2025, 11, 18, 3), Under("en-US", () => CommonParameters.To.Convert("2025-11-18T04:00:00+01:00", notes)));
        Assert.Empty(notes);

        var minBytes = new ProcedureParameter("min_bytes", ParameterKind.Bytes, "10000000", "");
        Assert.Equal(500_000_000L, Under("de-DE", () => minBytes.Convert("500MB")));
        var e = Assert.Throws<FormatException>(() => Under("de-DE", () => CommonParameters.From.Convert("18.11.2025")));
        Assert.StartsWith("Parameter from: '18.11.2025' is not a time. Accepted: ISO 8601", e.Message);
    }

    [Fact]
    public void A_window_that_holds_no_record_is_refused_naming_the_cases_span()
    {
        DateTime first = Utc(2024, 6, 1), last = Utc(2024, 6, 1, 4, 1);
        const string span = "The case's records span 2024-06-01 00:00:00Z to 2024-06-01 04:01:00Z.";
        Assert.Equal($"The window from 2024-06-01 03:00:00Z to 2024-06-01 01:00:00Z is reversed (from is after to). {span}",
            Assert.Throws<WindowException>(() => TimeWindow.CheckAnalysis(Utc(2024, 6, 1, 3), Utc(2024, 6, 1, 1), first, last)).Message);
        Assert.Equal($"The window from 2024-06-01 02:00:00Z to 2024-06-01 02:00:00Z is empty (to is exclusive: give a later to). {span}",
            Assert.Throws<WindowException>(() => TimeWindow.CheckAnalysis(Utc(2024, 6, 1, 2), Utc(2024, 6, 1, 2), first, last)).Message);
        Assert.Equal("The window from 2024-06-02 00:00:00Z to 2024-06-03 00:00:00Z lies entirely outside the case's records, which span 2024-06-01 00:00:00Z to 2024-06-01 04:01:00Z.",
            Assert.Throws<WindowException>(() => TimeWindow.CheckAnalysis(Utc(2024, 6, 2), Utc(2024, 6, 3), first, last)).Message);
        // A window touching the span at either end holds records: the last record ends at 04:01, the first starts at 00:00.
        TimeWindow.CheckAnalysis(last, last.AddHours(1), first, last);
        TimeWindow.CheckAnalysis(first.AddHours(-1), first.AddSeconds(1), first, last);
        Assert.Throws<WindowException>(() => TimeWindow.CheckAnalysis(last.AddSeconds(1), last.AddHours(1), first, last));
        Assert.Throws<WindowException>(() => TimeWindow.CheckAnalysis(first.AddHours(-1), first, first, last));
        // A case without records: only the order can be wrong.
        TimeWindow.CheckAnalysis(Utc(2030, 1, 1), Utc(2030, 1, 2), null, null);
        Assert.EndsWith("The case holds no flow records.",
            Assert.Throws<WindowException>(() => TimeWindow.CheckAnalysis(Utc(2030, 1, 2), Utc(2030, 1, 1), null, null)).Message);
    }
}
