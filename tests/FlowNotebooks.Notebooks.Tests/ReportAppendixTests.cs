using System.Globalization;
using System.Net;
using FlowNotebooks.Notebooks.Tests.Fixtures;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Notebooks.Tests;

/// <summary>The report's SQL appendix: each procedure run as it ran, values written in, HTML-encoded.</summary>
public class ReportAppendixTests
{
    [Fact]
    public async Task The_sql_appendix_gives_every_statement_with_its_values_written_in_and_no_bare_placeholder()
    {
        using var ws = new Workspace();
        var run = await NotebookRunner.RunAsync(ws.Ipynb("standin.ipynb", StandIn.Cells()));
        Assert.True(run.Succeeded, run.FirstFailure?.ToString());
        var ledger = run.Findings.Results.Single(r => r.Procedure == "exfil-ledger");

        var html = CaseReport.Write(run);
        var at = html.IndexOf("id=\"sql-appendix\"", StringComparison.Ordinal);
        Assert.True(at > 0, "no SQL appendix");
        var section = html[at..html.IndexOf("</section>", at, StringComparison.Ordinal)];
        // Encoded as text: the quotes of the literals are entities in the page.
        Assert.Contains("TIMESTAMP &#39;", section);
        var appendix = WebUtility.HtmlDecode(section);

        // The window the run used, as bound: its start (the case's first record) and its exclusive end.
        Assert.Contains($"TIMESTAMP '{ledger.From!.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'", appendix);
        Assert.Contains($"TIMESTAMP '{ledger.To!.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'", appendix);
        Assert.Contains("min_bytes = 10000000", appendix);
        Assert.Contains("bytes_out >= 10000000::BIGINT", appendix);
        Assert.DoesNotMatch(@"\$[0-9]", appendix);
        // Every statement the run logged is there, in order, and the record's versions and case state.
        var audit = ledger.Audit!;
        var last = -1;
        foreach (var s in audit.Statements)
        {
            var next = appendix.IndexOf(s.Inlined.TrimEnd(), last + 1, StringComparison.Ordinal);
            Assert.True(next > last, $"statement {s.Name} missing or out of order");
            last = next;
        }
        Assert.Contains($"version {CountedFlows.Version}", appendix);
        Assert.Contains($"SHA-256 set {audit.EvidenceSha256Set}", appendix);
        Assert.Contains($"flownb {audit.Tool}", appendix);
        Assert.DoesNotContain(ws.Folder, html);
    }
}
