using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using FlowNotebooks.Enrichment;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.TestSupport;
using static FlowNotebooks.Cli.Tests.CliRunner;

namespace FlowNotebooks.Cli.Tests;

/// <summary>
/// <c>flownb analyze X --explain</c> on the default scenario: the script, run statement by statement in a fresh DuckDB
/// connection on a read-only copy of the case, returns the procedure's table; its header states the versions and the case state.
/// </summary>
public sealed class AnalyzeExplainTests(DefaultScenarioCaseFile c) : IClassFixture<DefaultScenarioCaseFile>
{
    // A window that cuts hours and days: the run recounts its edges, so the script must too.
    const string From = "2025-11-17T12:30:00Z";
    const string To = "2025-11-19T00:00:00Z";

    Dictionary<string, object?> Parameters(string procedure)
    {
        var values = new Dictionary<string, object?> { ["internal_cidrs"] = c.Key.VpcCidr, ["from"] = From, ["to"] = To };
        // The scenario's own IOC list: its addresses become bound values of the script.
        if (procedure == "attacker-infrastructure") values["ioc_file"] = Path.Combine(c.Dir, "evidence", "iocs.txt");
        return values;
    }

    string Explain(string procedure)
    {
        var (code, output, error) = Run(["analyze", procedure, "--case", c.CaseFile, .. Parameters(procedure).SelectMany(p => new[] { "--param", $"{p.Key}={p.Value}" }), "--explain"]);
        Assert.True(code == 0, error);
        return output;
    }

    [Theory]
    [InlineData("exfil-ledger")]
    [InlineData("lateral-movement")]
    [InlineData("conversations")]
    [InlineData("coverage")]
    [InlineData("attacker-infrastructure")]
    [InlineData("beaconing")]
    [InlineData("rejected-recon")]
    public void The_explain_script_run_in_a_fresh_connection_returns_the_procedures_table(string procedure)
    {
        var script = Explain(procedure);
        QueryResult table;
        using (var store = CaseStore.Open(c.CaseFile))
            table = ProcedureRegistry.Get(procedure).Run(store, Parameters(procedure)).Table;
        Assert.NotEmpty(table.Rows);

        var results = RunOnReadOnlyCopy(script);
        var last = results[^1];
        Assert.Equal(table.Columns, last.Columns);
        Assert.Equal(table.Types, last.Types);
        Assert.Equal(table.Rows.Count, last.Rows.Count);
        for (var i = 0; i < table.Rows.Count; i++)
            Assert.Equal(table.Rows[i].Select(Canonical), last.Rows[i].Select(Canonical));
    }

    [Fact]
    public void The_explain_scripts_citation_statements_return_exactly_the_lines_the_findings_cite()
    {
        var script = Explain("exfil-ledger");
        Assert.Contains("] cite: ", script);
        ProcedureResult result;
        using (var store = CaseStore.Open(c.CaseFile))
            result = ProcedureRegistry.Get("exfil-ledger").Run(store, Parameters("exfil-ledger"));
        static IEnumerable<string> Lines(string obj, IEnumerable<long> lines) => lines.Select(l => $"{obj}#{l}");
        var cited = result.Findings.SelectMany(f => f.Evidence).SelectMany(e => Lines(e.Object, e.Lines)).ToHashSet();
        Assert.NotEmpty(cited);
        var fromScript = RunOnReadOnlyCopy(script).Where(r => r.Columns.SequenceEqual(["evidence_id", "object", "sha256", "lines"]))
            .SelectMany(r => r.Rows).SelectMany(row => Lines((string)row[1]!, ((System.Collections.IEnumerable)row[3]!).Cast<object>().Select(Convert.ToInt64)))
            .ToHashSet();
        Assert.Equal(cited.Order(StringComparer.Ordinal), fromScript.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_explain_script_states_the_versions_the_case_state_and_the_bound_values()
    {
        var script = Explain("exfil-ledger");
        var tool = typeof(Procedure).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Contains($"flownb {tool}", script);
        Assert.Contains($"version {CountedFlows.Version}", script);

        // The evidence SHA-256 set, computed here from the manifest: the SHA-256 of the sorted SHA-256s joined by newlines.
        List<string> shas;
        using (var store = CaseStore.Open(c.CaseFile))
            shas = store.Query("SELECT sha256 FROM evidence").Rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal).ToList();
        var set = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", shas))));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{shas.Count} evidence object(s), SHA-256 set {set}"), script);

        // The script's own checks return what its header says.
        var results = RunOnReadOnlyCopy(script);
        Assert.Equal([(long)shas.Count, set], results[0].Rows.Single().Select(v => v is long or int ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : v));
        Assert.Equal(CountedFlows.Version, results[1].Rows.Single()[0]);

        // Values as they were bound: the window, the internal range's bounds, the thresholds; no placeholder left.
        Assert.Contains("TIMESTAMP '2025-11-17 12:30:00'", script);
        Assert.Contains("TIMESTAMP '2025-11-19 00:00:00'", script);
        Assert.True(CidrRange.TryParse(c.Key.VpcCidr, out var vpc));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"BETWEEN CAST({(uint)vpc.Low}::BIGINT AS UINTEGER) AND CAST({(uint)vpc.High}::BIGINT AS UINTEGER)"), script);
        Assert.Contains("bytes_out >= 10000000::BIGINT", script);
        Assert.DoesNotMatch(@"\$[0-9]", script);

        // The statements that built the derived tables, with the values of their build, and what was computed outside SQL.
        var built = script[script.IndexOf("===== The statements that built the derived tables", StringComparison.Ordinal)..];
        Assert.Contains("-- CREATE OR REPLACE TABLE counted_records AS", built);
        Assert.Contains("-- CREATE OR REPLACE VIEW counted_flows AS", built);
        Assert.Contains("-- CREATE OR REPLACE TEMP TABLE fnb_interfaces AS", built);
        DateTime caseStart;
        using (var store = CaseStore.Open(c.CaseFile))
            caseStart = store.Scalar<DateTime>("SELECT min(first_start) FROM interface_hours");
        Assert.Contains($"TIMESTAMP '{caseStart.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'", built);
        Assert.DoesNotMatch(@"\$[0-9]", built);
        Assert.Contains("upper_bound = lower_bound + round_half_even(blind_seconds × peak_rate)", script);
    }

    [Fact]
    public void Json_carries_the_audit_record_with_every_statement_inlined()
    {
        var (code, output, error) = Run(["analyze", "lateral-movement", "--case", c.CaseFile, "--param", $"internal_cidrs={c.Key.VpcCidr}", "--param", $"from={From}", "--json"]);
        Assert.True(code == 0, error);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var audit = doc.RootElement.GetProperty("audit");
        Assert.Equal(CountedFlows.Version, audit.GetProperty("derived_tables").GetProperty("version").GetString());
        Assert.True(audit.GetProperty("derived_tables").GetProperty("recorded").GetBoolean());
        var statements = audit.GetProperty("statements").EnumerateArray().ToList();
        Assert.Contains(statements, s => s.GetProperty("name").GetString() == "fnb_window_hours"
            && s.GetProperty("inlined").GetString()!.Contains("TIMESTAMP '2025-11-17 12:30:00'", StringComparison.Ordinal));
        Assert.All(statements, s => Assert.DoesNotMatch(@"\$[0-9]", s.GetProperty("inlined").GetString()!));
        var table = audit.GetProperty("table_statement").GetInt32();
        Assert.Equal("admin_pairs", statements[table - 1].GetProperty("name").GetString());
    }

    [Fact]
    public void Explain_with_csv_or_json_is_one_clear_error()
    {
        var r = Run("analyze", "coverage", "--case", c.CaseFile, "--explain", "--json");
        Assert.Equal(1, r.Code);
        Assert.StartsWith("flownb: --explain prints a script", r.Err);
    }

    // A fresh connection, as the DuckDB CLI would open it: read-only, on a copy (the fixture's file stays the CLI's).
    List<QueryResult> RunOnReadOnlyCopy(string script)
    {
        var copy = Path.Combine(c.Dir, $"copy-{Guid.NewGuid():N}.duckdb");
        File.Copy(c.CaseFile, copy);
        if (File.Exists(c.CaseFile + ".wal")) File.Copy(c.CaseFile + ".wal", copy + ".wal");
        try
        {
            using var connection = new DuckDBConnection($"DataSource={copy};ACCESS_MODE=READ_ONLY");
            connection.Open();
            return SqlScriptRunner.Run(connection, script);
        }
        finally
        {
            File.Delete(copy);
            File.Delete(copy + ".wal");
        }
    }

    // A value with its CLR type, lists element by element: rows compare as text with a readable difference.
    static string Canonical(object? v) => v switch
    {
        null => "NULL",
        string s => "'" + s + "'",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Canonical)) + "]",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => v.GetType().Name + ":" + f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.GetType().Name + ":" + v,
    };
}

/// <summary><c>--explain</c> with GeoIP: the columns SQL did not compute are stated, naming the databases by file name only.</summary>
public sealed class AnalyzeExplainGeoIpTests(GeoIpCase g) : IClassFixture<GeoIpCase>
{
    [Fact]
    public void Geoip_columns_are_stated_as_added_outside_sql_and_the_script_still_returns_the_rest_of_the_table()
    {
        var caseFile = Path.Combine(g.Dir, "explain.duckdb");
        Assert.Equal(0, Run("ingest", g.Evidence, "--case", caseFile, "--quiet").Code);
        var (code, script, error) = Run("analyze", "exfil-ledger", "--case", caseFile, "--geoip", g.CountryDatabase, "--asn", g.AsnDatabase, "--explain");
        Assert.True(code == 0, error);
        Assert.Contains($"Columns country, country_name, asn, as_org (after destination): looked up in C# in {Path.GetFileName(g.CountryDatabase)} and {Path.GetFileName(g.AsnDatabase)}", script);
        Assert.Contains($"geoip_database = {Path.GetFileName(g.CountryDatabase)}", script);
        // File names only: no folder of this machine in the record.
        Assert.DoesNotContain(g.Dir, script);

        QueryResult table;
        using (var store = CaseStore.Open(caseFile))
            table = ProcedureRegistry.Get("exfil-ledger").Run(store, new Dictionary<string, object?> { ["geoip_database"] = g.CountryDatabase, ["asn_database"] = g.AsnDatabase }).Table;
        var copy = caseFile + ".copy.duckdb";
        File.Copy(caseFile, copy);
        using var connection = new DuckDBConnection($"DataSource={copy};ACCESS_MODE=READ_ONLY");
        connection.Open();
        var last = SqlScriptRunner.Run(connection, script)[^1];
        // The table less the looked-up columns, row for row.
        var sqlColumns = table.Columns.Except(["country", "country_name", "asn", "as_org"]).ToList();
        Assert.Equal(sqlColumns, last.Columns);
        Assert.Equal(table.Rows.Count, last.Rows.Count);
        for (var i = 0; i < table.Rows.Count; i++)
            Assert.Equal(sqlColumns.Select(col => table.Rows[i][table.IndexOf(col)]), last.Rows[i]);
    }
}
