using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Tests.TestSupport;
using static FlowNotebooks.Cli.Tests.CliRunner;

namespace FlowNotebooks.Cli.Tests;

/// <summary>The bundled default scenario written by <c>flownb generate</c> and loaded by <c>flownb ingest</c> into a case file, once per class.</summary>
public sealed class DefaultScenarioCaseFile : IDisposable
{
    public DefaultScenarioCaseFile()
    {
        Dir = Directory.CreateTempSubdirectory("flownb-analyze-").FullName;
        var evidence = Path.Combine(Dir, "evidence");
        CaseFile = Path.Combine(Dir, "case.duckdb");
        var generate = Run("generate", "--out", evidence);
        Assert.True(generate.Code == 0, generate.Err);
        var ingest = Run("ingest", evidence, "--case", CaseFile, "--quiet");
        Assert.True(ingest.Code == 0, ingest.Err);
        Key = AnswerKey.Load(Path.Combine(evidence, CaseGenerator.AnswerKeyFile));
        Counted = ingest.Out;
        // What an analyst's ad-hoc SQL sees right after `flownb ingest`, before any procedure ran: read straight from the file.
        using var store = FlowNotebooks.Store.CaseStore.Open(CaseFile);
        BytesAfterIngest = store.Query("""
            SELECT 'counted_journeys', dst, sum(bytes)::BIGINT FROM counted_journeys WHERE src = '10.20.30.40' GROUP BY ALL
            UNION ALL SELECT 'flows', coalesce(pkt_dstaddr, dstaddr), sum(bytes)::BIGINT FROM flows
              WHERE coalesce(pkt_srcaddr, srcaddr) = '10.20.30.40' AND coalesce(log_status, 'OK') = 'OK' GROUP BY ALL
            """).Rows.ToDictionary(r => ((string)r[0]!, (string)r[1]!), r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Bytes from db-1 per destination right after ingest: in counted_journeys and in flows.</summary>
    public IReadOnlyDictionary<(string Table, string Destination), long> BytesAfterIngest { get; }
    /// <summary>What ingest printed.</summary>
    public string Counted { get; }

    public string Dir { get; }
    public string CaseFile { get; }
    public AnswerKey Key { get; }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary><c>flownb analyze</c> through the real CLI entry, against the default scenario's answer key.</summary>
public sealed class AnalyzeVerbTests(DefaultScenarioCaseFile c) : IClassFixture<DefaultScenarioCaseFile>
{
    /// <summary>The default scenario's exfiltration (answer-key.json of seed 20251118): db-1 through the NAT gateway.</summary>
    static readonly (string Ip, long Bytes)[] Exfil = [("203.0.113.140", 1_998_991_406), ("198.51.100.77", 707_379_666)];
    const string Db1 = "10.20.30.40";

    string[] Analyze(params string[] more) => ["analyze", "exfil-ledger", "--case", c.CaseFile, "--param", $"internal_cidrs={c.Key.VpcCidr}", .. more];

    [Fact]
    public void The_figures_asserted_here_are_the_answer_keys()
    {
        var x = c.Key.Exfiltration!;
        Assert.Equal(Exfil, x.Destinations.Select(d => (d.Ip, d.Bytes)));
        Assert.Equal(Db1, x.SourceIp);
        Assert.Equal("db-1", c.Key.Hosts.Single(h => h.PrivateIp == Db1).Name);
        Assert.Equal("nat_gateway", x.Via);
    }

    [Fact]
    public void After_ingest_alone_counted_journeys_give_the_exfil_ledgers_figures_and_flows_counts_every_copy()
    {
        Assert.Contains("Counted journeys: ", c.Counted);
        var (code, output, error) = Run(Analyze("--json"));
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var table = doc.RootElement.GetProperty("table");
        var columns = table.GetProperty("columns").EnumerateArray().Select(e => e.GetString()!).ToList();
        var rows = table.GetProperty("rows").EnumerateArray().ToList();
        foreach (var (ip, bytes) in Exfil)
        {
            var ledger = rows.Single(r => r[columns.IndexOf("destination")].GetString() == ip)[columns.IndexOf("bytes_out")].GetInt64();
            Assert.Equal(bytes, ledger);
            Assert.Equal(ledger, c.BytesAfterIngest[("counted_journeys", ip)]);
            // db-1's interface and the NAT gateway's both logged the upload: summing flows counts it at least twice.
            Assert.True(c.BytesAfterIngest[("flows", ip)] >= 2 * bytes, $"{ip}: flows {c.BytesAfterIngest[("flows", ip)]}");
        }
    }

    [Fact]
    public void Exfil_ledger_json_charges_the_destinations_bytes_to_db_1_through_the_nat_gateway()
    {
        var (code, output, error) = Run(Analyze("--json"));
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("exfil-ledger", root.GetProperty("procedure").GetString());
        Assert.Equal(c.Key.VpcCidr, root.GetProperty("parameters").GetProperty("internal_cidrs").GetString());
        var columns = root.GetProperty("table").GetProperty("columns").EnumerateArray().Select(e => e.GetString()!).ToList();
        var rows = root.GetProperty("table").GetProperty("rows").EnumerateArray().ToList();
        JsonElement Cell(JsonElement row, string column) => row[columns.IndexOf(column)];
        foreach (var (ip, bytes) in Exfil)
        {
            var row = rows.Single(r => Cell(r, "destination").GetString() == ip);
            Assert.Equal(Db1, Cell(row, "asset").GetString());
            Assert.Equal("db-1", Cell(row, "asset_name").GetString());
            Assert.Equal(bytes, Cell(row, "bytes_out").GetInt64());
            Assert.Equal(bytes, Cell(row, "lower_bound").GetInt64());
            Assert.Equal("nat_gateway", Cell(row, "via").GetString());
            Assert.Equal(c.Key.Exfiltration!.NatInterfaceId, Cell(row, "nat_interface").GetString());
        }
        var findings = root.GetProperty("findings").EnumerateArray()
            .Where(f => f.TryGetProperty("technique", out var t) && t.GetString() == "T1048").ToList();
        Assert.Equal(Exfil.Select(e => e.Ip).Order(), findings.Select(f => f.GetProperty("facts").GetProperty("destination").GetString()).Order());
        Assert.All(findings, f => Assert.Equal(Db1, f.GetProperty("facts").GetProperty("asset").GetString()));
        Assert.Equal(Exfil.Sum(e => e.Bytes), findings.Sum(f => long.Parse(f.GetProperty("facts").GetProperty("bytes_out").GetString()!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Exfil_ledger_csv_has_one_row_per_asset_and_destination()
    {
        var (code, output, error) = Run(Analyze("--csv"));
        Assert.True(code == 0, error);
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',').ToList();
        Assert.Equal(["asset", "asset_interface", "asset_name"], header.Take(3));
        foreach (var (ip, bytes) in Exfil)
        {
            var row = lines.Skip(1).Select(l => l.Split(',')).Single(f => f[header.IndexOf("destination")] == ip);
            Assert.Equal(Db1, row[header.IndexOf("asset")]);
            Assert.Equal(bytes.ToString(CultureInfo.InvariantCulture), row[header.IndexOf("bytes_out")]);
            Assert.Equal("nat_gateway", row[header.IndexOf("via")]);
        }
    }

    [Fact]
    public void An_unknown_procedure_or_parameter_is_one_clear_line_and_exit_1()
    {
        var unknown = Run("analyze", "exfil-legder", "--case", c.CaseFile);
        Assert.Equal(1, unknown.Code);
        Assert.Equal("", unknown.Out);
        Assert.StartsWith("flownb: No procedure 'exfil-legder'. Procedures: coverage, conversations, exfil-ledger,", unknown.Err);

        var badParam = Run(Analyze("--param", "min_byts=5"));
        Assert.Equal(1, badParam.Code);
        Assert.StartsWith("flownb: exfil-ledger has no parameter 'min_byts'.", badParam.Err);

        var notEnriched = Run("analyze", "coverage", "--case", c.CaseFile, "--asn", "GeoLite2-ASN.mmdb");
        Assert.Equal(1, notEnriched.Code);
        Assert.StartsWith("flownb: --asn: coverage lists no external addresses to enrich.", notEnriched.Err);

        var missing = Path.Combine(c.Dir, "GeoLite2-Country.mmdb");
        var noDatabase = Run(Analyze("--geoip", missing));
        Assert.Equal(1, noDatabase.Code);
        Assert.Equal($"flownb: GeoIP database '{missing}' does not exist.", noDatabase.Err.Trim());
    }

    [Fact]
    public void The_reversed_window_of_issue_13_is_an_error_naming_the_cases_span_not_a_negative_finding()
    {
        var span = Run("query", "--case", c.CaseFile, "--csv",
            "SELECT strftime(min(start_time), '%Y-%m-%d %H:%M:%SZ') || ' to ' || strftime(max(end_time), '%Y-%m-%d %H:%M:%SZ') FROM flows");
        Assert.True(span.Code == 0, span.Err);
        var caseSpan = span.Out.ReplaceLineEndings("\n").Split('\n')[1];
        var (code, output, error) = Run(Analyze("--param", "from=2025-11-19T00:00:00Z", "--param", "to=2025-11-18T00:00:00Z"));
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"flownb: The window from 2025-11-19 00:00:00Z to 2025-11-18 00:00:00Z is reversed (from is after to). The case's records span {caseSpan}.", error.Trim());
        Assert.DoesNotContain("No upload", output + error);
    }
}

/// <summary><c>flownb analyze … --geoip FILE --asn FILE</c> on a small case whose peers the test databases cover.</summary>
public sealed class AnalyzeGeoIpCliTests(GeoIpCase g) : IClassFixture<GeoIpCase>
{
    [Fact]
    public void Geoip_and_asn_add_country_and_as_columns_to_the_csv_and_the_findings()
    {
        var caseFile = Path.Combine(g.Dir, "case.duckdb");
        Assert.Equal(0, Run("ingest", g.Evidence, "--case", caseFile, "--quiet").Code);
        var (code, output, error) = Run("analyze", "exfil-ledger", "--case", caseFile, "--geoip", g.CountryDatabase, "--asn", g.AsnDatabase, "--csv");
        Assert.True(code == 0, error);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains(",destination,country,country_name,asn,as_org,", lines[0]);
        Assert.Contains(lines, l => l.Contains($",{GeoIpCase.Se},SE,Sweden,29518,Bredband2 AB,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($",{GeoIpCase.Telstra},,,1221,Telstra Pty Ltd,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($",{GeoIpCase.Gb},GB,United Kingdom,,,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($",{GeoIpCase.Unknown},,,,,", StringComparison.Ordinal));

        var text = Run("analyze", "exfil-ledger", "--case", caseFile, "--param", $"geoip_database={g.CountryDatabase}", "--asn", g.AsnDatabase);
        Assert.Equal(0, text.Code);
        Assert.Contains($"to {GeoIpCase.Se} (Sweden (SE), AS29518 Bredband2 AB)", text.Out);
    }
}
