using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using FlowNotebooks.Scenarios.Catalog;
using FlowNotebooks.Tests.Procedures;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>
/// Evidence passed as files (a shell glob: <c>flownb ingest cloudwatch/*/*.json …</c>), or in batches, is the evidence a
/// folder load reads: each record keeps the flow log that captured it. Before, a CloudWatch page passed as a file lost
/// its log group (its folder), so its records had no flow-log id and every lone page of any group was one capture; and a
/// later batch lost which of the flow logs writing to one log group captured which interface.
/// </summary>
public sealed class FilesAsFolderTests
{
    // Per interface and flow log, the records and their bytes: what the capture decision reads.
    const string PerCapture = "SELECT interface_id, flow_log_id, count(*) AS records, sum(bytes) AS bytes FROM flows GROUP BY ALL ORDER BY ALL";

    static List<string> Rows(CaseStore store, string sql) =>
        store.Query(sql).Rows.Select(r => string.Join("|", r.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))).ToList();

    [Fact]
    public void CloudWatch_pages_passed_as_files_or_in_a_later_batch_keep_their_flow_log()
    {
        using var c = new VpcCompromiseCase();
        var files = c.FilesInLoadOrder();
        var pages = files.Where(f => f.Contains("/cloudwatch/", StringComparison.Ordinal) && Path.GetFileName(f).StartsWith("filter-log-events", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pages);
        // The folder load: the pages' records name the flow log that writes their interface to the group.
        var folder = Rows(c.Store, PerCapture);
        var pageFlowLogs = c.Store.Query("""
            SELECT DISTINCT f.flow_log_id FROM flows f JOIN evidence e USING (evidence_id) WHERE e.kind = 'cloudwatch-json'
            """).Rows.Select(r => r[0] as string).ToList();
        Assert.NotEmpty(pageFlowLogs);
        Assert.DoesNotContain(null, pageFlowLogs);

        using var asFiles = CaseStore.Open();
        new EvidenceLoader(asFiles, new IngestOptions { Workers = 1 }).Load(files.ToList());
        Assert.Equal(folder, Rows(asFiles, PerCapture));

        using var inBatches = CaseStore.Open();
        new EvidenceLoader(inBatches, new IngestOptions { Workers = 1 }).Load(files.Except(pages).ToList());
        new EvidenceLoader(inBatches, new IngestOptions { Workers = 1 }).Load(pages);
        Assert.Equal(folder, Rows(inBatches, PerCapture));

        // And the capture the counting keys on is the log group's, not one shared by every lone page.
        CountedFlows.EnsureCurrent(asFiles);
        Assert.Equal(["group:" + ShopVpc.LogGroup], asFiles.Query("""
            SELECT DISTINCT c.capture FROM evidence_captures c JOIN evidence e USING (evidence_id) WHERE e.kind = 'cloudwatch-json'
            """).Rows.Select(r => (string)r[0]!).ToList());
    }
}
