using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Cli.Tests;

public sealed class IngestQueryFormatsTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly TempCase tc = new();
    readonly string caseFile;

    public IngestQueryFormatsTests() => caseFile = Path.Combine(tc.Dir, "..", Path.GetFileName(tc.Dir) + ".duckdb");

    public void Dispose()
    {
        tc.Dispose();
        foreach (var f in new[] { caseFile, caseFile + ".wal" }) if (File.Exists(f)) File.Delete(f);
    }

    static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Ingest_says_what_it_read_and_query_answers_in_csv_and_json()
    {
        tc.WriteGzip("ev/a.log.gz", Header + "\n"
            + "2 123456789010 eni-0a 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK\n"
            + "2 123456789010 eni-0b 10.0.1.6 203.0.113.5 49153 443 6 12 600 1700000100 1700000160 ACCEPT OK\n"
            + "broken line\n");
        tc.Write("ev/notes.txt", "analyst notes");
        var (code, output, _) = Run("ingest", Path.Combine(tc.Dir, "ev"), "--case", caseFile, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("Read 1 objects", output);
        Assert.Contains("2 records, 1 rejects.", output);
        Assert.Contains("Time span: 2023-11-14 22:13:20Z to 2023-11-14 22:16:00Z; 2 interfaces.", output);
        Assert.Contains("Format (1 objects): " + Header, output);
        Assert.Contains("  a.log.gz:4: expected 14 fields (header line 1) but found 2", output);
        Assert.Contains("Skipped notes.txt: not a flow-log evidence file type", output);

        var csv = Run("query", "--case", caseFile, "SELECT interface_id, bytes, start_time FROM flows ORDER BY bytes DESC", "--csv");
        Assert.Equal(0, csv.Code);
        Assert.Equal("interface_id,bytes,start_time\neni-0a,3400,2023-11-14 22:13:20\neni-0b,600,2023-11-14 22:15:00\n", csv.Out.ReplaceLineEndings("\n"));

        var json = Run("query", "--case", caseFile, "SELECT sum(bytes) AS total, count(*) AS n FROM flows", "--json");
        Assert.Equal("{\"total\":\"4000\",\"n\":2}", json.Out.Trim());
    }

    [Fact]
    public void Query_prints_a_blob_as_hex_in_every_output()
    {
        tc.Write("ev/a.log", Header + "\n");
        Run("ingest", Path.Combine(tc.Dir, "ev"), "--case", caseFile, "--quiet");
        // The blob's bytes, written independently of the code under test: 0x00 0xAB 0x10 'A'.
        const string sql = "SELECT '\\x00\\xAB\\x10A'::BLOB AS b, 1 AS n";
        var expected = "0x" + Convert.ToHexStringLower([0x00, 0xAB, 0x10, (byte)'A']);
        var text = Run("query", "--case", caseFile, sql);
        Assert.Equal(0, text.Code);
        Assert.Contains(expected, text.Out);
        Assert.DoesNotContain("Stream", text.Out);
        Assert.Equal($"b,n\n{expected},1\n", Run("query", "--case", caseFile, sql, "--csv").Out.ReplaceLineEndings("\n"));
        Assert.Equal($"{{\"b\":\"{expected}\",\"n\":1}}", Run("query", "--case", caseFile, sql, "--json").Out.Trim());
    }

    [Fact]
    public void Bad_sql_and_missing_case_give_one_clear_line()
    {
        var missing = Run("query", "--case", Path.Combine(tc.Dir, "nope.duckdb"), "SELECT 1");
        Assert.Equal(1, missing.Code);
        Assert.StartsWith("flownb: No case file", missing.Err);
        tc.Write("ev/a.log", Header + "\n");
        Run("ingest", Path.Combine(tc.Dir, "ev"), "--case", caseFile, "--quiet");
        var bad = Run("query", "--case", caseFile, "SELECT nosuchcolumn FROM flows");
        Assert.Equal(1, bad.Code);
        Assert.Contains("nosuchcolumn", bad.Err);
        var badFormat = Run("ingest", Path.Combine(tc.Dir, "ev"), "--format", "${version} ${Bad Field}");
        Assert.Equal(1, badFormat.Code);
        Assert.Contains("invalid field tokens", badFormat.Err);
    }

    [Fact]
    public void Formats_lists_the_catalogue()
    {
        var (code, output, _) = Run("formats");
        Assert.Equal(0, code);
        Assert.Contains("pkt-srcaddr", output);
        Assert.Matches(@"traffic-path\s+5 Int32\s+traffic_path", output);
        Assert.Matches(@"tgw-id\s+6 Text\s+tgw_id\s+\[TGW\]", output);
        Assert.Contains("Values: ACCEPT, REJECT", output);
        Assert.Contains("Default format: ${version} ${account-id}", output);
    }
}
