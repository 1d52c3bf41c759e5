using System.Text.Json;
using FlowNotebooks.Procedures;
using static FlowNotebooks.Tests.Procedures.ScenarioAssert;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>Each procedure on the default scenario (vpc-compromise), against its answer key.</summary>
public sealed class VpcCompromiseProcedureTests(VpcCompromiseCase c) : IClassFixture<VpcCompromiseCase>
{
    [Fact]
    public void Coverage_finds_the_unlogged_subnet_skipdata_missing_delivery_and_late_capture() => CoverageMatches(c);

    [Fact]
    public void Coverage_finds_the_unmanaged_host_and_whom_it_contacted()
    {
        var u = c.Key.UnmanagedHost!;
        var t = c.Run("coverage").Tables["unmanaged"];
        var row = Assert.Single(t.Rows);
        Assert.Equal(u.Ip, row[0]);
        Assert.Subset(Strings(Cell(t, row, "peers")).ToHashSet(), u.Contacted.ToHashSet());
    }

    [Fact]
    public void Exfil_ledger_gives_the_destinations_bytes_and_nat_attributed_workload()
    {
        var x = c.Key.Exfiltration!;
        var r = c.Run("exfil-ledger");
        var t = r.Table;
        foreach (var d in x.Destinations)
        {
            var row = t.Rows.Single(v => (string)Cell(t, v, "asset")! == x.SourceIp && (string)Cell(t, v, "destination")! == d.Ip);
            Assert.Equal(d.Bytes, Convert.ToInt64(Cell(t, row, "bytes_out")));
            Assert.Equal(d.Bytes, Convert.ToInt64(Cell(t, row, "lower_bound")));
            Assert.Equal([d.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], Strings(Cell(t, row, "ports")));
            Assert.Equal(x.SourceInterfaceId, Cell(t, row, "asset_interface"));
            Assert.Equal(x.Via, Cell(t, row, "via"));
            Assert.Equal(x.NatInterfaceId, Cell(t, row, "nat_interface"));
            Assert.Equal(x.NatPrivateIp, Cell(t, row, "nat_private_ip"));
            Assert.Equal(x.NatPublicIp, Cell(t, row, "nat_public_ip"));
            Assert.Equal(d.Window.Start, Cell(t, row, "first_seen"));
        }
        // Exactly the key's destinations become exfiltration findings, and their bytes add up to the key's total.
        var findings = r.Findings.Where(f => f.Technique == "T1048").ToList();
        Assert.Equal(x.Destinations.Select(d => d.Ip).Order(), findings.Select(f => f.Facts["destination"]).Order());
        Assert.Equal(x.TotalBytes, findings.Sum(f => long.Parse(f.Facts["bytes_out"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(findings, f => Assert.Equal(x.SourceIp, f.Facts["asset"]));
    }

    [Fact]
    public void Exfil_ledger_separates_s3_staging_with_a_supplied_ip_ranges_file()
    {
        var staging = c.Key.Extra["staging"];
        var ip = staging.GetProperty("source_ip").GetString()!;
        var window = staging.GetProperty("window");
        var ranges = Path.Combine(c.Folder, "ip-ranges.json");
        File.WriteAllText(ranges, """{"prefixes": [{"ip_prefix": "52.218.0.0/17", "region": "eu-west-1", "service": "AMAZON"}, {"ip_prefix": "52.218.0.0/17", "region": "eu-west-1", "service": "S3"}], "ipv6_prefixes": []}""");
        var r = c.Run("exfil-ledger", ("aws_ip_ranges", ranges),
            ("from", window.GetProperty("start").GetDateTime()), ("to", window.GetProperty("end").GetDateTime().AddSeconds(1)));
        var t = r.Table;
        var row = t.Rows.Single(v => (string)Cell(t, v, "asset")! == staging.GetProperty("host_ip").GetString() && (string)Cell(t, v, "destination")! == ip);
        Assert.Equal("S3", Cell(t, row, "aws_service"));
        Assert.Equal(staging.GetProperty("bytes_in").GetInt64(), Convert.ToInt64(Cell(t, row, "bytes_in")));
        Assert.DoesNotContain(r.Findings, f => f.Technique == "T1048" && f.Facts["destination"] == ip);
    }

    [Fact]
    public void Lateral_movement_reconstructs_the_path_in_order_and_the_discovery_scan() => LateralPathMatches(c);

    [Fact]
    public void Beaconing_finds_the_beacon_and_its_period()
    {
        var b = c.Key.Beacon!;
        var r = c.Run("beaconing");
        var t = r.Table;
        var row = t.Rows.Single(v => (string)Cell(t, v, "asset")! == b.SourceIp && (string)Cell(t, v, "destination")! == b.DestinationIp);
        Assert.Equal(b.Port, Convert.ToInt32(Cell(t, row, "port")));
        Assert.InRange(Convert.ToInt64(Cell(t, row, "period_seconds")), b.PeriodSeconds - 5, b.PeriodSeconds + 5);
        Assert.Contains(r.Findings, f => f.Technique == "T1071.001" && f.Facts["destination"] == b.DestinationIp);
    }

    [Fact]
    public void Attacker_infrastructure_flags_the_unmanaged_host_and_the_exfil_destinations()
    {
        var r = c.Run("attacker-infrastructure", ("ioc_file", Path.Combine(c.Folder, "iocs.txt")));
        var u = c.Key.UnmanagedHost!;
        var critical = r.Findings.Where(f => f.Severity == Severity.Critical).ToList();
        Assert.Equal([u.Ip], critical.Select(f => f.Facts["asset"]).Distinct());
        Assert.Subset(critical.Select(f => f.Facts["ioc"]).ToHashSet(), u.Contacted.ToHashSet());
        var t = r.Table;
        foreach (var d in c.Key.Exfiltration!.Destinations)
            Assert.Equal(d.Bytes, Convert.ToInt64(Cell(t, t.Rows.Single(v => (string)Cell(t, v, "asset")! == c.Key.Exfiltration.SourceIp && (string)Cell(t, v, "ioc_address")! == d.Ip), "bytes_out")));
        var access = c.Key.InitialAccess!;
        var first = t.Rows.Single(v => (string)Cell(t, v, "asset")! == access.TargetIp && (string)Cell(t, v, "ioc_address")! == access.AttackerIp);
        Assert.True((DateTime)Cell(t, first, "first_seen")! <= access.Time);
    }

    [Fact]
    public void Rejected_recon_lists_the_attackers_probes()
    {
        var r = c.Run("rejected-recon");
        Assert.Contains(r.Table.Rows, x => (string)x[0]! == c.Key.InitialAccess!.AttackerIp);
    }

    [Fact]
    public void Findings_json_is_byte_stable()
    {
        foreach (var p in ProcedureRegistry.All)
            Assert.Equal(c.Run(p.Name).FindingsJson(), c.Run(p.Name).FindingsJson());
    }
}

/// <summary>Each procedure on the second scenario (cryptominer), against its answer key.</summary>
public sealed class CryptominerProcedureTests(CryptominerCase c) : IClassFixture<CryptominerCase>
{
    [Fact]
    public void Coverage_finds_the_unlogged_subnet_skipdata_missing_delivery_and_late_capture() => CoverageMatches(c);

    [Fact]
    public void Lateral_movement_reconstructs_the_path_in_order_and_the_discovery_scan() => LateralPathMatches(c);

    [Fact]
    public void Attacker_infrastructure_attributes_the_mining_pools_to_their_miners()
    {
        var r = c.Run("attacker-infrastructure", ("ioc_file", Path.Combine(c.Folder, "iocs.txt")));
        var t = r.Table;
        foreach (var pool in c.Key.Extra["mining_pools"].EnumerateArray())
        {
            var ip = pool.GetProperty("ip").GetString()!;
            var rows = t.Rows.Where(v => (string)Cell(t, v, "ioc_address")! == ip && Convert.ToInt64(Cell(t, v, "bytes_out")) > 0).ToList();
            Assert.Equal(pool.GetProperty("miners").EnumerateArray().Select(m => m.GetString()!).Order(), rows.Select(v => (string)Cell(t, v, "asset")!).Order());
            Assert.Equal(pool.GetProperty("bytes_out").GetInt64(), rows.Sum(v => Convert.ToInt64(Cell(t, v, "bytes_out"))));
            Assert.All(rows, v => Assert.Contains(pool.GetProperty("port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), Strings(Cell(t, v, "ioc_ports"))));
        }
    }

    [Fact]
    public void Exfil_ledger_reports_no_exfiltration_with_its_coverage()
    {
        Assert.Null(c.Key.Exfiltration);
        var r = c.Run("exfil-ledger");
        Assert.DoesNotContain(r.Findings, f => f.Technique == "T1048");
        var negative = Assert.Single(r.Findings, f => f.Negative);
        Assert.Contains(c.Key.Coverage.UnloggedSubnets[0].SubnetId, negative.Coverage);
    }
}
