using System.Globalization;
using FlowNotebooks.Presentation.Exports;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Exports;

/// <summary>A procedure's table and findings as CSV and Parquet, read back by DuckDB: the same rows and values as the
/// result, numbers typed as numbers, and every cited evidence object with its SHA-256 and lines.</summary>
public sealed class TableExportTests(ExportCaseFixture f) : IClassFixture<ExportCaseFixture>
{
    [Fact]
    public void A_procedure_table_in_parquet_and_csv_holds_the_results_rows()
    {
        var result = ProcedureRegistry.Get("conversations").Run(f.Case.Store);
        Assert.NotEmpty(result.Table.Rows);
        var parquet = f.Export("conversations.parquet", ExportFormat.Parquet, "conversations");
        var csv = f.Export("conversations.csv", ExportFormat.Csv, "conversations");
        using var duck = CaseStore.Open();
        var fromParquet = duck.Query($"SELECT * FROM read_parquet('{parquet.Path}')");
        var fromCsv = duck.Query($"SELECT * FROM read_csv('{csv.Path}', header = true, all_varchar = true)");
        Assert.Equal(result.Table.Columns, fromParquet.Columns);
        Assert.Equal(result.Table.Columns, fromCsv.Columns);
        Assert.Equal(result.Table.Rows.Count, fromParquet.Rows.Count);
        Assert.Equal(result.Table.Rows.Count, fromCsv.Rows.Count);
        var types = duck.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{parquet.Path}'))").Rows
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("BIGINT", types["bytes_to_server"]);
        for (var i = 0; i < result.Table.Rows.Count; i++)
        {
            var expected = result.Table.Row(i);
            Assert.Equal(expected.Long("bytes_to_server"), Convert.ToInt64(fromParquet.Row(i)["bytes_to_server"], CultureInfo.InvariantCulture));
            Assert.Equal(expected.Long("bytes_to_server").ToString(CultureInfo.InvariantCulture), fromCsv.Row(i).Text("bytes_to_server"));
            foreach (var c in result.Table.Columns.Where(c => result.Table.Row(i)[c] is string))
                Assert.Equal(expected.Text(c), fromParquet.Row(i).Text(c));
        }
    }

    [Fact]
    public void Findings_rows_name_each_cited_object_its_sha256_and_lines()
    {
        // One internal target in this evidence: every rejected external source counts as recon.
        var parameters = new Dictionary<string, object?> { ["min_ports"] = "1", ["min_targets"] = "1" };
        var result = ProcedureRegistry.Get("rejected-recon").Run(f.Case.Store, parameters);
        var cited = result.Findings.Where(x => x.Evidence.Count > 0).ToList();
        Assert.NotEmpty(cited);
        var summary = f.Export("recon-findings.csv", ExportFormat.Csv, "rejected-recon", findings: true, ("min_ports", "1"), ("min_targets", "1"));
        using var duck = CaseStore.Open();
        var rows = duck.Query($"SELECT * FROM read_csv('{summary.Path}', header = true, all_varchar = true)").RowsByName.ToList();
        Assert.Equal(result.Findings.Sum(x => Math.Max(1, x.Evidence.Count)), rows.Count);
        foreach (var finding in cited)
            foreach (var e in finding.Evidence)
            {
                var row = Assert.Single(rows, r => r.Text("title") == finding.Title && r.TextOrNull("evidence_object") == e.Object);
                Assert.Equal(e.Sha256, row.Text("evidence_sha256"));
                Assert.Equal(string.Join(",", e.Lines.Order()), row.Text("evidence_lines"));
                // The lines are lines of that object: REJECT records of the finding's source.
                var (_, lines) = f.Evidence.Objects.Single(o => o.Path == Path.Combine(f.Evidence.Folder, e.Object));
                foreach (var n in e.Lines)
                {
                    var fields = lines[(int)n - 2].Split(' ');
                    Assert.Equal("REJECT", fields[12]);
                    Assert.Equal(finding.Facts["src"], fields[3]);
                }
            }
    }
}
