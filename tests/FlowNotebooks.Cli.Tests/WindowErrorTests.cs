using static FlowNotebooks.Cli.Tests.CliRunner;

namespace FlowNotebooks.Cli.Tests;

/// <summary>A case of five records written by hand: 2024-06-01 00:00:00Z (the first start) to 04:01:00Z (the last end),
/// one of them a 4 GB upload that exfil-ledger reports when its window holds it.</summary>
public sealed class SmallCaseFile : IDisposable
{
    public const string Span = "2024-06-01 00:00:00Z to 2024-06-01 04:01:00Z";

    public SmallCaseFile()
    {
        Dir = Directory.CreateTempSubdirectory("flownb-window-").FullName;
        var evidence = Directory.CreateDirectory(Path.Combine(Dir, "evidence")).FullName;
        var lines = new List<string> { "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status" };
        (string Src, long Bytes)[] records = [("10.0.0.5", 5_000), ("10.0.0.5", 7_000), ("10.0.0.9", 1_200), ("10.0.0.7", 300), ("10.0.0.9", 4_000_000_000)];
        for (var i = 0; i < records.Length; i++)
        {
            var t = 1_717_200_000L + i * 3_600; // 2024-06-01T00:00:00Z + i hours
            lines.Add($"2 123456789012 eni-0a1b2c3d {records[i].Src} 203.0.113.{i + 1} {49152 + i} 443 6 10 {records[i].Bytes} {t} {t + 60} ACCEPT OK");
        }
        File.WriteAllLines(Path.Combine(evidence, "eni-0a1b2c3d.log"), lines);
        CaseFile = Path.Combine(Dir, "case.duckdb");
        var ingest = Run("ingest", evidence, "--case", CaseFile, "--quiet");
        Assert.True(ingest.Code == 0, ingest.Err);
        Evidence = evidence;
    }

    public string Dir { get; }
    public string Evidence { get; }
    public string CaseFile { get; }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A window that can hold no record is one error line naming the case's span, exit 1 — never a negative finding.</summary>
public sealed class WindowErrorTests(SmallCaseFile c) : IClassFixture<SmallCaseFile>
{
    (int Code, string Out, string Err) Exfil(string from, string to) =>
        Run("analyze", "exfil-ledger", "--case", c.CaseFile, "--param", $"from={from}", "--param", $"to={to}");

    [Theory]
    [InlineData("2024-06-01T03:00:00Z", "2024-06-01T01:00:00Z",
        "The window from 2024-06-01 03:00:00Z to 2024-06-01 01:00:00Z is reversed (from is after to). The case's records span " + SmallCaseFile.Span + ".")]
    [InlineData("2024-06-01T02:00:00Z", "2024-06-01T02:00:00Z",
        "The window from 2024-06-01 02:00:00Z to 2024-06-01 02:00:00Z is empty (to is exclusive: give a later to). The case's records span " + SmallCaseFile.Span + ".")]
    [InlineData("2024-06-02T00:00:00Z", "2024-06-03T00:00:00Z",
        "The window from 2024-06-02 00:00:00Z to 2024-06-03 00:00:00Z lies entirely outside the case's records, which span " + SmallCaseFile.Span + ".")]
    [InlineData("2024-05-01T00:00:00+02:00", "2024-05-31T23:59:59Z",
        "The window from 2024-04-30 22:00:00Z to 2024-05-31 23:59:59Z lies entirely outside the case's records, which span " + SmallCaseFile.Span + ".")]
    public void Reversed_empty_and_out_of_case_windows_are_one_error_line_naming_the_span(string from, string to, string message)
    {
        var (code, output, error) = Exfil(from, to);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"flownb: {message}", error.TrimEnd('\n', '\r'));
        Assert.DoesNotContain('\n', error.TrimEnd('\n', '\r'));
        Assert.DoesNotContain("No upload", output + error);
        // --json (what reports are built from) fails the same way instead of writing a finding.
        var json = Run("analyze", "exfil-ledger", "--case", c.CaseFile, "--param", $"from={from}", "--param", $"to={to}", "--json");
        Assert.Equal((1, "", $"flownb: {message}"), (json.Code, json.Out, json.Err.TrimEnd('\n', '\r')));
    }

    [Fact]
    public void A_from_after_the_last_record_with_the_default_end_is_outside_the_case()
    {
        var (code, output, error) = Run("analyze", "coverage", "--case", c.CaseFile, "--param", "from=2024-06-01T04:01:01Z");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"flownb: The window from 2024-06-01 04:01:01Z to 2024-06-01 04:01:01Z lies entirely outside the case's records, which span {SmallCaseFile.Span}.", error.Trim());
    }

    [Fact]
    public void A_window_inside_the_span_still_reports_the_upload_and_a_missing_zone_is_noted()
    {
        // Control for the refusals above: the same case and procedure with a window that holds the 4 GB record.
        var (code, output, error) = Exfil("2024-06-01 03:30", "2024-06-01T05:00:00Z");
        Assert.True(code == 0, error);
        Assert.Contains("Window (UTC): 2024-06-01 03:30:00 to 2024-06-01 05:00:00", output);
        Assert.Contains("Note: from '2024-06-01 03:30' names no zone: read as UTC, 2024-06-01T03:30:00Z.", output);
        Assert.Contains("203.0.113.5", output);
        Assert.DoesNotContain("No upload", output);
        var json = Run("analyze", "exfil-ledger", "--case", c.CaseFile, "--param", "from=2024-06-01 03:30", "--param", "min_bytes=1GB", "--json");
        Assert.True(json.Code == 0, json.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.Equal("1000000000", doc.RootElement.GetProperty("parameters").GetProperty("min_bytes").GetString());
        Assert.Equal("from '2024-06-01 03:30' names no zone: read as UTC, 2024-06-01T03:30:00Z.", doc.RootElement.GetProperty("notes")[0].GetString());
    }

    [Fact]
    public void The_span_named_is_the_cases_first_record_start_and_last_record_end()
    {
        // Independent of the procedures' derived tables: the raw records as flownb query shows them.
        var (code, output, error) = Run("query", "--case", c.CaseFile, "--csv",
            "SELECT strftime(min(start_time), '%Y-%m-%d %H:%M:%SZ') || ' to ' || strftime(max(end_time), '%Y-%m-%d %H:%M:%SZ') AS span FROM flows");
        Assert.True(code == 0, error);
        Assert.Equal(SmallCaseFile.Span, output.ReplaceLineEndings("\n").Split('\n')[1]);
    }

    [Fact]
    public void A_reversed_baseline_is_refused_not_read_as_every_destination_new()
    {
        var (code, output, error) = Run("analyze", "exfil-ledger", "--case", c.CaseFile,
            "--param", "baseline_from=2024-06-01T02:00:00Z", "--param", "baseline_to=2024-06-01T01:00:00Z");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("flownb: baseline_from 2024-06-01 02:00:00Z is not before baseline_to 2024-06-01 01:00:00Z: the window is reversed.", error.Trim());
    }

    [Fact]
    public void A_bad_time_names_the_parameter_and_the_accepted_forms()
    {
        var (code, output, error) = Exfil("18.11.2025", "2024-06-02");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("flownb: Parameter from: '18.11.2025' is not a time. Accepted: ISO 8601 with Z or an offset", error);
    }

    [Fact]
    public void A_reversed_ingest_or_collect_window_is_refused_before_anything_is_read()
    {
        var ingest = Run("ingest", c.Evidence, "--case", Path.Combine(c.Dir, "other.duckdb"), "--quiet", "--from", "2024-06-02", "--to", "2024-06-01T00:00:00Z");
        Assert.Equal(1, ingest.Code);
        Assert.Equal("flownb: --from 2024-06-02 00:00:00Z is not before --to 2024-06-01 00:00:00Z: the window is reversed.", ingest.Err.Trim());
        Assert.False(File.Exists(Path.Combine(c.Dir, "other.duckdb")));

        var collect = Run("collect", "s3://bucket/AWSLogs", "--out", Path.Combine(c.Dir, "collected"), "--from", "2024-06-01T00:00:00Z", "--to", "not-a-time");
        Assert.Equal(1, collect.Code);
        Assert.StartsWith("flownb: --to: 'not-a-time' is not a time. Accepted: ISO 8601", collect.Err);
        Assert.False(Directory.Exists(Path.Combine(c.Dir, "collected")));
    }

    [Fact]
    public void An_ingest_window_without_a_zone_is_read_as_utc_and_said_so_on_stderr()
    {
        var ingest = Run("ingest", c.Evidence, "--quiet", "--from", "2024-05-31", "--to", "2024-06-02T00:00:00+02:00");
        Assert.True(ingest.Code == 0, ingest.Err);
        Assert.Equal("flownb: --from '2024-05-31' names no zone: read as UTC, 2024-05-31T00:00:00Z.", ingest.Err.Trim());
        Assert.Contains("5 records", ingest.Out);
    }
}
