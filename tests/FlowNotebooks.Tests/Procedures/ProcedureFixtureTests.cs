using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using static FlowNotebooks.Tests.Procedures.IncidentFixture;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>Each procedure on the hand-built incident: figures that follow from the records by hand.</summary>
public sealed class ProcedureFixtureTests(IncidentFixture fx) : IClassFixture<IncidentFixture>
{
    ProcedureResult Run(string name, params (string Key, object? Value)[] ps) =>
        ProcedureRegistry.Get(name).Run(fx.Store, ps.ToDictionary(p => p.Key, p => p.Value));

    static object?[] Row(QueryResult t, string column, object value) =>
        t.Rows.Single(r => Equals(r[t.IndexOf(column)], value));

    static object?[] Row(QueryResult t, params (string Column, object Value)[] match) =>
        t.Rows.Single(r => match.All(m => Equals(r[t.IndexOf(m.Column)], m.Value)));

    static long L(QueryResult t, object?[] row, string column) => Convert.ToInt64(row[t.IndexOf(column)]);

    [Fact]
    public void Coverage_names_the_unlogged_subnet_the_missing_delivery_the_skipdata_and_the_unmanaged_host()
    {
        var r = Run("coverage");
        var gaps = r.Tables["gaps"];
        var missing = gaps.Rows.Single(g => (string)g[0]! == "missing_delivery");
        Assert.Equal("fl-app", missing[2]);
        Assert.Equal(MissingSlot, missing[3]);
        Assert.Equal(MissingSlot.AddMinutes(5), missing[4]);
        var skip = gaps.Rows.Single(g => (string)g[0]! == "skipdata");
        Assert.Equal("eni-app", skip[1]);
        Assert.Equal(T0.AddSeconds(1800), skip[3]);
        Assert.Equal(T0.AddSeconds(1860), skip[4]);
        Assert.Equal(2, gaps.Rows.Count);

        Assert.Equal("subnet-db", Assert.Single(r.Tables["unlogged"].Rows)[0]);
        var unmanaged = Assert.Single(r.Tables["unmanaged"].Rows);
        Assert.Equal(Unmanaged, unmanaged[0]);
        Assert.Equal([Pool], ((System.Collections.IEnumerable)unmanaged[3]!).Cast<string>());

        var t = r.Table;
        Assert.Equal(["fl-app", "fl-eni"], ((System.Collections.IEnumerable)Row(t, "interface_id", "eni-web")[t.IndexOf("captures")]!).Cast<string>());
        Assert.Equal(1L, L(t, Row(t, "interface_id", "eni-app"), "skipdata"));
        Assert.Equal(0L, L(t, Row(t, "interface_id", "eni-db"), "records"));
        Assert.Contains(r.Findings, f => f.Title == "Subnet subnet-db has no flow log" && f.Severity == Severity.High);
        Assert.Contains(r.Findings, f => f.Title == $"Unmanaged address {Unmanaged}" && f.Evidence.Count > 0);
        Assert.Contains("subnet-db", r.Coverage);
    }

    [Fact]
    public void Exfil_ledger_charges_nat_traffic_to_the_workload_once_and_bounds_it_by_coverage()
    {
        var r = Run("exfil-ledger");
        var t = r.Table;
        // 3 windows × 10 MB, logged on app's interface and again on the NAT gateway's: counted once.
        var e1 = Row(t, ("asset", App), ("destination", Exfil1));
        Assert.Equal(30_000_000L, L(t, e1, "bytes_out"));
        Assert.Equal(300_000L, L(t, e1, "bytes_in"));
        Assert.Equal(30_000_000L, L(t, e1, "bytes_out_on_nat"));
        Assert.Equal("nat_gateway", e1[t.IndexOf("via")]);
        Assert.Equal("eni-nat", e1[t.IndexOf("nat_interface")]);
        Assert.Equal(NatPublic, e1[t.IndexOf("nat_public_ip")]);
        Assert.Equal(30_000_000L, L(t, e1, "upper_bound"));
        // 192.0.2.81: app's capture was blind 360 s in its span, but the NAT's was not: no blind time.
        var e2 = Row(t, ("asset", App), ("destination", Exfil2));
        Assert.Equal(15_000_000L, L(t, e2, "lower_bound"));
        Assert.Equal(15_000_000L, L(t, e2, "upper_bound"));
        // 192.0.2.82: seen only by app's interface: 300 s missing delivery + 60 s SKIPDATA at the peak rate 10 MB/60 s.
        var e3 = Row(t, ("asset", App), ("destination", Exfil3));
        Assert.Equal(15_000_000L, L(t, e3, "lower_bound"));
        Assert.Equal(360L, L(t, e3, "blind_seconds"));
        Assert.Equal(75_000_000L, L(t, e3, "upper_bound"));
        // The unmanaged host, seen only through the NAT gateway, is charged its own bytes; the NAT itself is charged nothing.
        var pool = Row(t, ("asset", Unmanaged), ("destination", Pool));
        Assert.Equal(5_000_000L, L(t, pool, "bytes_out"));
        Assert.False((bool)pool[t.IndexOf("managed")]!);
        Assert.DoesNotContain(t.Rows, row => (string)row[t.IndexOf("asset")]! == Nat);
        // S3 is separated.
        Assert.Equal("S3", Row(t, ("asset", App), ("destination", S3))[t.IndexOf("aws_service")]);
        var exfil = r.Findings.Where(f => f.Technique == "T1048").Select(f => f.Facts["destination"]).Order().ToList();
        Assert.Equal([Exfil1, Exfil2, Exfil3], exfil);
        Assert.All(r.Findings.Where(f => f.Technique == "T1048"), f => Assert.NotEmpty(f.Evidence));
    }

    [Fact]
    public void Exfil_ledger_baseline_marks_new_destinations()
    {
        var r = Run("exfil-ledger", ("from", T0.AddSeconds(1300)), ("baseline_from", T0), ("baseline_to", T0.AddSeconds(1300)));
        var t = r.Table;
        Assert.False((bool)Row(t, ("asset", App), ("destination", Exfil1))[t.IndexOf("new_destination")]!);
        Assert.True((bool)Row(t, ("asset", App), ("destination", Exfil2))[t.IndexOf("new_destination")]!);
        Assert.Equal(20_000_000L, L(t, Row(t, ("asset", App), ("destination", Exfil1)), "baseline_bytes_out"));
    }

    [Fact]
    public void Lateral_movement_reconstructs_the_path_from_the_initial_access_and_finds_the_scan()
    {
        var r = Run("lateral-movement");
        var path = r.Tables["path"];
        Assert.Equal(2, path.Rows.Count);
        Assert.Equal([Web, App, 22, T0.AddSeconds(600)], path.Rows[0][1..4].Append(path.Rows[0][5]));
        Assert.Equal([App, Db, 5432, T0.AddSeconds(900)], path.Rows[1][1..4].Append(path.Rows[1][5]));
        var scan = Assert.Single(r.Tables["fanout"].Rows);
        Assert.Equal(Web, scan[0]);
        Assert.Equal(1L, Convert.ToInt64(scan[2]));
        Assert.Equal((long)ScanPorts.Length, Convert.ToInt64(scan[3]));
        Assert.Equal(10L, Convert.ToInt64(scan[6]));
        Assert.Contains(r.Findings, f => f.Technique == "T1046" && f.Facts["source"] == Web);
        Assert.Contains(r.Findings, f => f.Technique == "T1021.004" && f.Facts["destination"] == App);
        Assert.Contains(r.Findings, f => f.Technique == "T1210" && f.Facts["destination"] == Db);
        Assert.Contains(r.Findings, f => f.Technique == "T1133" && f.Facts["source"] == Attacker);
    }

    [Fact]
    public void Lateral_path_gap_cuts_the_chain()
    {
        var r = Run("lateral-movement", ("max_gap", "200s"));
        var path = r.Tables["path"];
        // +60 → +600 is 540 s: beyond a 200 s gap, so nothing is reached.
        Assert.Empty(path.Rows);
        Assert.Contains(r.Findings, f => f.Negative && f.Title == $"No lateral hop from {Web}" && f.Coverage is not null);
    }

    [Fact]
    public void Attacker_infrastructure_lists_managed_and_unmanaged_assets()
    {
        var r = Run("attacker-infrastructure", ("iocs", $"{Attacker},{Pool}/32"));
        var t = r.Table;
        Assert.Equal(2, t.Rows.Count);
        var web = Row(t, "asset", Web);
        Assert.Equal(5000L, L(t, web, "bytes_in"));
        Assert.Equal(4000L, L(t, web, "bytes_out"));
        var miner = Row(t, "asset", Unmanaged);
        Assert.False((bool)miner[t.IndexOf("managed")]!);
        Assert.Equal(5_000_000L, L(t, miner, "bytes_out"));
        var critical = Assert.Single(r.Findings, f => f.Severity == Severity.Critical);
        Assert.Equal("T1071", critical.Technique);
        Assert.Equal(Unmanaged, critical.Facts["asset"]);
        Assert.Equal("T1133", Assert.Single(r.Findings, f => f.Facts.GetValueOrDefault("asset") == Web).Technique);
    }

    [Fact]
    public void Attacker_infrastructure_negative_finding_states_coverage()
    {
        var r = Run("attacker-infrastructure", ("iocs", "192.0.2.200"));
        var f = Assert.Single(r.Findings);
        Assert.True(f.Negative);
        Assert.Contains("Unlogged subnet(s): subnet-db", f.Coverage);
        Assert.Contains("fl-app", f.Coverage);
    }

    [Fact]
    public void Beaconing_recovers_the_period_despite_capture_lag()
    {
        var r = Run("beaconing");
        var t = r.Table;
        var b = Assert.Single(t.Rows);
        Assert.Equal(Web, b[t.IndexOf("asset")]);
        Assert.Equal(C2, b[t.IndexOf("destination")]);
        // Span (2715 s) over 9 intervals = 301.7 s; the median interval alone would say 320.
        Assert.Equal(302L, L(t, b, "period_seconds"));
        Assert.Equal(10L, L(t, b, "connections"));
        Assert.Equal(88.9, Convert.ToDouble(b[t.IndexOf("regular_percent")]), 1);
    }

    [Fact]
    public void Rejected_recon_finds_the_external_scanner()
    {
        var r = Run("rejected-recon");
        var s = Row(r.Table, "source", Scanner);
        Assert.Equal((long)ReconPorts.Length, L(r.Table, s, "ports"));
        Assert.Equal(1L, L(r.Table, s, "targets"));
        Assert.Single(r.Findings, f => f.Technique == "T1595");
    }

    [Fact]
    public void Conversations_pair_directions_and_count_each_journey_once()
    {
        var r = Run("conversations");
        var t = r.Table;
        var top = t.Rows[0];
        Assert.Equal(App, top[t.IndexOf("client")]);
        Assert.Equal(Exfil1, top[t.IndexOf("server")]);
        Assert.Equal(443, Convert.ToInt32(top[t.IndexOf("server_port")]));
        Assert.Equal(30_000_000L, L(t, top, "bytes_to_server"));
        Assert.Equal(300_000L, L(t, top, "bytes_to_client"));
        Assert.Equal("tcp-flags", top[t.IndexOf("decided_by")]);
        // SSH web → app: logged by both ends; counted once (3000 to the server, 6000 back), plus the accepted 44-byte probe.
        var ssh = Row(t, ("client", Web), ("server", App), ("server_port", 22));
        Assert.Equal(3044L, L(t, ssh, "bytes_to_server"));
        Assert.Equal(6000L, L(t, ssh, "bytes_to_client"));
        // The NAT gateway's translated legs are not conversations of their own.
        Assert.DoesNotContain(t.Rows, row => (string)row[t.IndexOf("client")]! == Nat || (string)row[t.IndexOf("server")]! == Nat);
        // The timeline spreads each record over its window: outbound bytes sum to the ledger's (plus the 0-byte rest).
        var outbound = r.Tables["timeline"].Rows.Where(x => (string)x[1]! == "outbound").Sum(x => Convert.ToInt64(x[2]));
        var expectedOut = t.Rows.Where(x => ((string)x[t.IndexOf("client")]!).StartsWith("10.") && !((string)x[t.IndexOf("server")]!).StartsWith("10."))
            .Sum(x => L(t, x, "bytes_to_server"))
            + t.Rows.Where(x => ((string)x[t.IndexOf("server")]!).StartsWith("10.") && !((string)x[t.IndexOf("client")]!).StartsWith("10."))
            .Sum(x => L(t, x, "bytes_to_client"));
        Assert.InRange(outbound, expectedOut - 20, expectedOut + 20);
    }

    [Fact]
    public void Findings_json_is_stable_and_every_procedure_runs()
    {
        foreach (var p in ProcedureRegistry.All)
        {
            var a = p.Run(fx.Store).FindingsJson(includeTable: true);
            var b = p.Run(fx.Store).FindingsJson(includeTable: true);
            Assert.Equal(a, b);
            Assert.NotEmpty(p.Description);
            Assert.NotEmpty(p.Queries);
        }
    }

    [Fact]
    public void Unknown_parameter_and_bad_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Run("beaconing", ("no_such", "1")));
        Assert.Throws<FormatException>(() => Run("beaconing", ("min_events", "many")));
        Assert.Throws<FormatException>(() => Run("conversations", ("internal_cidrs", "10.0.0.0/33")));
        Assert.Throws<KeyNotFoundException>(() => ProcedureRegistry.Get("nope"));
    }
}
