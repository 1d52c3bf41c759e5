using FlowNotebooks.Presentation.Exports;
using FlowNotebooks.Tests.Exports;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Cli.Tests;

/// <summary><c>flownb export</c> translates only: on a case file it writes the same bytes as the C# API on the same
/// evidence, and refuses what does not fit in one line.</summary>
public sealed class ExportVerbTests
{
    [Fact]
    public void The_cli_writes_what_the_api_writes_and_refuses_bad_requests()
    {
        using var evidence = new ExportEvidence();
        var dir = Directory.CreateTempSubdirectory("flownb-export-cli-").FullName;
        try
        {
            var caseFile = Path.Combine(dir, "case.duckdb");
            Assert.Equal(0, CliRunner.Run("ingest", evidence.Folder, "--case", caseFile).Code);
            var cli = Path.Combine(dir, "cli.ocsf.jsonl");
            var (code, output, error) = CliRunner.Run("export", "journeys", "--case", caseFile, "--format", "ocsf-jsonl", "--out", cli, "--param", "action=ACCEPT");
            Assert.True(code == 0, error);
            Assert.Contains("Provenance: " + cli + ".provenance.json", output);
            using var api = evidence.Load();
            var expected = api.Export(new ExportRequest(ExportFormat.OcsfJsonLines) { Parameters = new Dictionary<string, object?> { ["action"] = "ACCEPT" } },
                Path.Combine(dir, "api.ocsf.jsonl"));
            Assert.Equal(File.ReadAllBytes(expected.Path), File.ReadAllBytes(cli));
            Assert.Contains($"Wrote {expected.Rows:N0} rows", output);

            var bad = CliRunner.Run("export", "--case", caseFile, "--format", "xml", "--out", Path.Combine(dir, "x"));
            Assert.Equal(1, bad.Code);
            Assert.Equal("flownb: No export format 'xml'. Formats: csv, ocsf-jsonl, ocsf-parquet, parquet, timesketch-csv, timesketch-jsonl.", bad.Err.Trim());
            var unknown = CliRunner.Run("export", "journeys", "--case", caseFile, "--format", "csv", "--out", Path.Combine(dir, "y"), "--param", "min_bytes=1");
            Assert.Equal(1, unknown.Code);
            Assert.Contains("has no parameter 'min_bytes'", unknown.Err);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
