using FlowNotebooks.Input;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using FlowNotebooks.Presentation.Exports;

namespace FlowNotebooks.Tests.Exports;

/// <summary>Exports of the same case and parameters are byte-identical — run twice on one case and once on the same
/// evidence loaded into a second case — and their totals and evidence references are those of the records.</summary>
public sealed class DeterministicExportTests(ExportCaseFixture f) : IClassFixture<ExportCaseFixture>
{
    public static TheoryData<string, ExportFormat, string, bool> Exports => new()
    {
        { "journeys.ocsf.jsonl", ExportFormat.OcsfJsonLines, ExportRequest.Journeys, false },
        { "journeys.ocsf.parquet", ExportFormat.OcsfParquet, ExportRequest.Journeys, false },
        { "journeys.timesketch.csv", ExportFormat.TimesketchCsv, ExportRequest.Journeys, false },
        { "journeys.timesketch.jsonl", ExportFormat.TimesketchJsonLines, ExportRequest.Journeys, false },
        { "journeys.csv", ExportFormat.Csv, ExportRequest.Journeys, false },
        { "journeys.parquet", ExportFormat.Parquet, ExportRequest.Journeys, false },
        { "conversations.csv", ExportFormat.Csv, "conversations", false },
        { "conversations.parquet", ExportFormat.Parquet, "conversations", false },
        { "recon-findings.parquet", ExportFormat.Parquet, "rejected-recon", true },
        { "recon-findings.jsonl", ExportFormat.TimesketchJsonLines, "rejected-recon", true },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public void Two_runs_and_a_second_load_give_the_same_bytes(string file, ExportFormat format, string source, bool findings)
    {
        var first = f.Export("1-" + file, format, source, findings);
        var second = f.Export("2-" + file, format, source, findings);
        using var other = f.Evidence.Load();
        var third = other.Export(new ExportRequest(format, source) { Findings = findings }, Path.Combine(f.Out, "3-" + file));
        var bytes = File.ReadAllBytes(first.Path);
        Assert.NotEmpty(bytes);
        Assert.Equal(bytes, File.ReadAllBytes(second.Path));
        Assert.Equal(bytes, File.ReadAllBytes(third.Path));
        // The sidecars differ only in the file name they state.
        string Sidecar(ExportSummary s) => File.ReadAllText(s.ProvenancePath).Replace(Path.GetFileName(s.Path), "FILE");
        Assert.Equal(Sidecar(first), Sidecar(second));
        Assert.Equal(Sidecar(first), Sidecar(third));
        // No clock: neither file names the day it was written (the evidence is of 2025-11-18).
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.DoesNotContain(today, File.ReadAllText(first.ProvenancePath));
        Assert.DoesNotContain(today, System.Text.Encoding.UTF8.GetString(bytes));
        // The sidecar states the file's SHA-256 and the case state.
        var provenance = JsonDocument.Parse(File.ReadAllText(first.ProvenancePath)).RootElement;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), provenance.GetProperty("export").GetProperty("sha256").GetString());
        Assert.Equal(3, provenance.GetProperty("case").GetProperty("evidence_objects").GetInt64());
        Assert.Equal(CountedFlows.Version, provenance.GetProperty("case").GetProperty("derived_tables_version").GetString());
        Assert.Equal(AuditRecord.ToolVersion, provenance.GetProperty("tool").GetString());
    }

    [Fact]
    public void Totals_equal_independent_sums_over_the_counted_journeys_and_over_the_records()
    {
        var summary = f.Export("totals.ocsf.jsonl", ExportFormat.OcsfJsonLines);
        var sql = f.Case.Store.Query("SELECT sum(bytes)::BIGINT, sum(packets)::BIGINT, count(*) FROM counted_journeys").Rows[0];
        var traffic = f.Evidence.Traffic().ToList();
        long recordBytes = traffic.Sum(r => long.Parse(r["bytes"], CultureInfo.InvariantCulture));
        long recordPackets = traffic.Sum(r => long.Parse(r["packets"], CultureInfo.InvariantCulture));
        long fileBytes = 0, filePackets = 0;
        foreach (var line in File.ReadLines(summary.Path))
        {
            var traffic1 = JsonDocument.Parse(line).RootElement.GetProperty("traffic");
            fileBytes += traffic1.GetProperty("bytes").GetInt64();
            filePackets += traffic1.GetProperty("packets").GetInt64();
        }
        Assert.Equal(recordBytes, (long)sql[0]!);
        Assert.Equal(recordPackets, (long)sql[1]!);
        Assert.Equal(recordBytes, fileBytes);
        Assert.Equal(recordPackets, filePackets);
        Assert.Equal(recordBytes, summary.Bytes);
        Assert.Equal(recordPackets, summary.Packets);
        var totals = JsonDocument.Parse(File.ReadAllText(summary.ProvenancePath)).RootElement.GetProperty("totals");
        Assert.Equal(recordBytes, totals.GetProperty("bytes").GetInt64());
        Assert.Equal((long)sql[2]!, summary.Rows);
    }

    [Fact]
    public void A_window_and_filters_narrow_the_journeys_like_a_procedure()
    {
        var from = ExportEvidence.Start.AddHours(1);
        var to = ExportEvidence.Start.AddHours(2);
        var summary = f.Export("window.csv", ExportFormat.Csv, ExportRequest.Journeys, false,
            ("from", "2025-11-18T04:00:00Z"), ("to", "2025-11-18T05:00:00Z"), ("action", "reject"), ("ports", "22"));
        var expected = f.Evidence.Traffic().Where(r =>
        {
            var s = DateTime.UnixEpoch.AddSeconds(long.Parse(r["start"], CultureInfo.InvariantCulture));
            var e = DateTime.UnixEpoch.AddSeconds(long.Parse(r["end"], CultureInfo.InvariantCulture));
            return e >= from && s < to && r["action"] == "REJECT" && (r["srcport"] == "22" || r["dstport"] == "22");
        }).ToList();
        Assert.Equal(5, expected.Count);
        Assert.Equal(expected.Count, summary.Rows);
        Assert.Equal(expected.Sum(r => long.Parse(r["bytes"], CultureInfo.InvariantCulture)), summary.Bytes);
        var provenance = JsonDocument.Parse(File.ReadAllText(summary.ProvenancePath)).RootElement;
        Assert.Equal("REJECT", provenance.GetProperty("parameters").GetProperty("action").GetString());
        Assert.Equal("2025-11-18T04:00:00Z", provenance.GetProperty("from").GetString());
        // An impossible window is an error, not an empty export.
        Assert.Throws<WindowException>(() => f.Export("none.csv", ExportFormat.Csv, ExportRequest.Journeys, false, ("from", "2024-01-01"), ("to", "2024-01-02")));
        Assert.Throws<ArgumentException>(() => f.Export("bad.csv", ExportFormat.Csv, ExportRequest.Journeys, false, ("action", "DROP")));
    }

    [Fact]
    public void Every_journey_row_names_the_evidence_line_it_was_read_from()
    {
        var summary = f.Export("evidence.csv", ExportFormat.Csv);
        using var duck = CaseStore.Open();
        var rows = duck.Query($"SELECT evidence_object, evidence_sha256, evidence_line, bytes, src, dst FROM read_csv('{summary.Path}', header = true, all_varchar = true)").RowsByName.ToList();
        Assert.Equal(f.Evidence.Traffic().Count(), rows.Count);
        foreach (var r in rows)
        {
            var (path, lines) = f.Evidence.Objects.Single(o => o.Path == Path.Combine(f.Evidence.Folder, r.Text("evidence_object"))); // names are relative to the folder loaded
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), r.Text("evidence_sha256"));
            // Line 1 of the object is the header.
            var fields = lines[int.Parse(r.Text("evidence_line"), CultureInfo.InvariantCulture) - 2].Split(' ');
            Assert.Equal(fields[3], r.Text("src"));
            Assert.Equal(fields[4], r.Text("dst"));
            Assert.Equal(fields[9], r.Text("bytes"));
        }
    }
}
