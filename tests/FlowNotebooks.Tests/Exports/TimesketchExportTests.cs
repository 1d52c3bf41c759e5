using FlowNotebooks.Input;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Presentation.Exports;

namespace FlowNotebooks.Tests.Exports;

/// <summary>
/// The Timesketch timeline read back with DuckDB's CSV reader (not the writer's code): the columns Timesketch requires of
/// a CSV import — message, datetime (ISO 8601), timestamp_desc — present, every datetime parsed and equal to the counted
/// journey's start, and the optional timestamp in microseconds equal to it.
/// </summary>
public sealed class TimesketchExportTests(ExportCaseFixture f) : IClassFixture<ExportCaseFixture>
{
    // Timesketch docs, "Create timeline from JSON/JSONL/CSV file" (github.com/google/timesketch,
    // docs/guides/user/import-from-json-csv.md): mandatory message, datetime (ISO 8601, e.g. 2015-07-24T19:01:01+00:00),
    // timestamp_desc; timestamp optional (microseconds); the CSV's first line is the header.
    static readonly string[] Mandatory = ["message", "datetime", "timestamp_desc"];

    [Fact]
    public void Journey_events_have_the_required_columns_and_iso_times_equal_to_the_counted_journeys()
    {
        var summary = f.Export("timeline.csv", ExportFormat.TimesketchCsv);
        Assert.StartsWith("message,datetime,timestamp,timestamp_desc,", File.ReadLines(summary.Path).First());
        using var duck = CaseStore.Open();
        var csv = duck.Query($"SELECT * FROM read_csv('{summary.Path}', header = true, all_varchar = true)");
        foreach (var c in Mandatory) Assert.Contains(c, csv.Columns);
        var starts = f.Case.Store.Query("SELECT start_time FROM counted_journeys ORDER BY start_time, evidence_id, line").Rows.Select(r => (DateTime)r[0]!).ToList();
        Assert.Equal(starts.Count, csv.Rows.Count);
        Assert.Equal(f.Evidence.Traffic().Count(), csv.Rows.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var row = csv.Row(i);
            // ISO 8601 with an explicit offset, as Timesketch's example writes it.
            var at = DateTimeOffset.ParseExact(row.Text("datetime"), "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.Zero, at.Offset);
            Assert.Equal(DateTime.SpecifyKind(starts[i], DateTimeKind.Utc), at.UtcDateTime);
            Assert.Equal((at.UtcDateTime - DateTime.UnixEpoch).Ticks / 10, long.Parse(row.Text("timestamp"), CultureInfo.InvariantCulture));
            Assert.Equal("Flow start", row.Text("timestamp_desc"));
            Assert.False(string.IsNullOrWhiteSpace(row.Text("message")));
            Assert.Contains($"{row.Text("src")}:{row.Text("srcport")} -> {row.Text("dst")}:{row.Text("dstport")}", row.Text("message"));
        }
    }

    [Fact]
    public void The_jsonl_timeline_has_the_same_events_one_object_per_line()
    {
        var csv = f.Export("same.csv", ExportFormat.TimesketchCsv);
        var jsonl = f.Export("timeline.jsonl", ExportFormat.TimesketchJsonLines);
        using var duck = CaseStore.Open();
        var fromCsv = duck.Query($"SELECT message, datetime, timestamp_desc, bytes FROM read_csv('{csv.Path}', header = true, all_varchar = true)").Rows;
        var lines = File.ReadAllLines(jsonl.Path);
        Assert.Equal(fromCsv.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var e = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(fromCsv[i][0], e.GetProperty("message").GetString());
            Assert.Equal(fromCsv[i][1], e.GetProperty("datetime").GetString());
            Assert.Equal(fromCsv[i][2], e.GetProperty("timestamp_desc").GetString());
            Assert.Equal(fromCsv[i][3], e.GetProperty("bytes").GetInt64().ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Finding_events_are_one_per_finding_at_the_start_of_its_span()
    {
        // One internal target in this evidence: every rejected external source counts as recon (findings with a span).
        var result = ProcedureRegistry.Get("rejected-recon").Run(f.Case.Store, new Dictionary<string, object?> { ["min_ports"] = "1", ["min_targets"] = "1" });
        Assert.Contains(result.Findings, x => x.Facts.ContainsKey("from") && x.Evidence.Count > 0);
        var summary = f.Export("findings.csv", ExportFormat.TimesketchCsv, "rejected-recon", findings: true, ("min_ports", "1"), ("min_targets", "1"));
        using var duck = CaseStore.Open();
        var csv = duck.Query($"SELECT * FROM read_csv('{summary.Path}', header = true, all_varchar = true)");
        Assert.Equal(result.Findings.Count, csv.Rows.Count);
        for (var i = 0; i < result.Findings.Count; i++)
        {
            var finding = result.Findings[i];
            var row = csv.Row(i);
            var at = DateTimeOffset.ParseExact(row.Text("datetime"), "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).UtcDateTime;
            var expected = finding.Facts.TryGetValue("from", out var from) ? DateTime.Parse(from, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) : result.From!.Value;
            Assert.Equal(expected, at);
            Assert.Contains(finding.Title, row.Text("message"));
            Assert.Equal(finding.Title, row.Text("title"));
            Assert.Equal(string.Join(";", finding.Evidence.OrderBy(e => e.EvidenceId).Select(e => e.Sha256)), row.TextOrNull("evidence_sha256") ?? "");
        }
    }

    [Fact]
    public void A_procedure_table_is_no_timeline()
    {
        var e = Assert.Throws<ArgumentException>(() => f.Export("t.csv", ExportFormat.TimesketchCsv, "conversations"));
        Assert.Contains("--findings", e.Message);
    }
}
