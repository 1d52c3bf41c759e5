using System.Globalization;
using FlowNotebooks.Procedures;
using static FlowNotebooks.Tests.Procedures.ScenarioAssert;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>Each procedure an exercise relies on, on exfiltration to S3, against its answer key.</summary>
public sealed class S3ExfiltrationProcedureTests(S3ExfiltrationCase c) : IClassFixture<S3ExfiltrationCase>
{
    [Fact]
    public void Coverage_finds_the_unlogged_subnet_and_the_late_capture() => CoverageMatches(c);

    [Fact]
    public void Exfil_ledger_separates_both_copies_as_s3_with_their_bytes_and_path()
    {
        var app2 = c.Key.Hosts.Single(h => h.Name == "app-2");
        var t = c.Run("exfil-ledger").Table;
        foreach (var x in c.Key.Extra["s3_transfers"].EnumerateArray())
        {
            var row = t.Rows.Single(v => (string)Cell(t, v, "asset")! == app2.PrivateIp && (string)Cell(t, v, "destination")! == x.GetProperty("destination").GetString());
            Assert.Equal("S3", Cell(t, row, "aws_service"));
            Assert.Equal(x.GetProperty("bytes").GetInt64(), Convert.ToInt64(Cell(t, row, "bytes_out")));
            Assert.Equal(x.GetProperty("window").GetProperty("start").GetDateTime(), Cell(t, row, "first_seen"));
            var viaNat = x.GetProperty("via").GetString() == "nat_gateway";
            Assert.Equal(viaNat ? "nat_gateway" : "direct", Cell(t, row, "via"));
            Assert.Equal(viaNat ? x.GetProperty("nat_interface").GetString() : null, Cell(t, row, "nat_interface"));
            Assert.Equal(viaNat ? x.GetProperty("bytes").GetInt64() : 0, Convert.ToInt64(Cell(t, row, "bytes_out_on_nat")));
        }
    }

    [Fact]
    public void With_a_baseline_before_the_attack_exactly_the_two_new_s3_destinations_are_uploads_to_cloud_storage_and_the_statement_says_what_flow_logs_cannot()
    {
        var transfers = c.Key.Extra["s3_transfers"].EnumerateArray().ToList();
        var attack = c.Key.InitialAccess!.Time;
        var r = c.Run("exfil-ledger", ("from", attack), ("to", c.Key.Window.End), ("baseline_from", c.Key.Window.Start), ("baseline_to", attack));
        var cloud = r.Findings.Where(f => f.Technique == "T1567.002").ToList();
        Assert.Equal(transfers.Select(x => x.GetProperty("destination").GetString()).Order(), cloud.Select(f => f.Facts["destination"]).Order());
        Assert.All(cloud, f => Assert.Equal(Severity.Medium, f.Severity));
        foreach (var x in transfers)
        {
            var f = cloud.Single(f => f.Facts["destination"] == x.GetProperty("destination").GetString());
            Assert.Equal(x.GetProperty("bytes").GetInt64(), long.Parse(f.Facts["bytes_out"], CultureInfo.InvariantCulture));
            Assert.Equal("true", f.Facts["new_destination"]);
            Assert.Contains("not the bucket", f.Statement, StringComparison.Ordinal);
            var viaNat = x.GetProperty("via").GetString() == "nat_gateway";
            Assert.Contains(viaNat ? $"through NAT gateway interface {x.GetProperty("nat_interface").GetString()}" : "not through a NAT gateway", f.Statement, StringComparison.Ordinal);
        }
        // The nightly backup and the hourly log shipping to the shop's own S3 address were in the baseline: information only.
        Assert.All(r.Findings.Where(f => f.Facts.GetValueOrDefault("aws_service") == "S3" && f.Technique is null), f => Assert.Equal(Severity.Info, f.Severity));
        Assert.DoesNotContain(r.Findings, f => f.Technique == "T1048");
    }

    [Fact]
    public void Lateral_movement_from_the_stolen_login_on_finds_the_hop_from_the_bastion()
    {
        // The admins' own bastion sessions take the same path every working day: the hop is the one that follows the stolen login.
        var hop = Assert.Single(c.Key.LateralPath);
        var path = c.Run("lateral-movement", ("from", c.Key.InitialAccess!.Time), ("to", c.Key.Window.End)).Tables["path"].Rows.Select(x => ((string)x[1]!, (string)x[2]!, Convert.ToInt32(x[3]), (DateTime)x[5]!)).ToList();
        Assert.Contains((hop.SourceIp, hop.DestinationIp, hop.Port, hop.FirstSeen), path);
    }

    [Fact]
    public void Attacker_infrastructure_finds_the_login_from_the_stolen_key()
    {
        var ia = c.Key.InitialAccess!;
        var t = c.Run("attacker-infrastructure", ("ioc_file", Path.Combine(c.Folder, "iocs.txt"))).Table;
        var row = t.Rows.Single(v => (string)Cell(t, v, "asset")! == ia.TargetIp && (string)Cell(t, v, "ioc_address")! == ia.AttackerIp);
        Assert.Equal(ia.Time, Cell(t, row, "first_seen"));
    }
}

/// <summary>The coverage and bounds of the blind spot, on the default seed and on a trainee's.</summary>
public abstract class BlindSpotProcedures(ScenarioCase c)
{
    [Fact]
    public void Coverage_finds_the_unlogged_subnet_skipdata_missing_delivery_and_late_capture() => CoverageMatches(c);

    [Fact]
    public void Coverage_states_the_expired_log_group_events_and_the_recovered_deleted_object()
    {
        var r = c.Run("coverage", ("from", c.Key.Window.Start), ("to", c.Key.Window.End));
        var w = c.Key.EvidenceWindow!;
        var lost = Assert.Single(r.Findings, f => f.Facts.GetValueOrDefault("kind") == "retention_lost" && f.Facts.GetValueOrDefault("log_group") == w.LogGroup);
        Assert.Equal(Finding.Iso(c.Key.Extra["log_group_lost_before"].GetDateTime()), lost.Facts["gone_before"]);
        var deleted = Assert.Single(r.Findings, f => f.Facts.GetValueOrDefault("kind") == "deleted_object");
        Assert.Equal(w.DeletedObject!.Key, deleted.Facts["key"]);
        Assert.Equal(w.DeletedObject.VersionId, deleted.Facts["earlier_version"]);
        Assert.Contains("was collected and loaded", deleted.Statement, StringComparison.Ordinal);
        // The missing hour is not a deletion: the bucket is versioned and shows no delete marker there.
        var missing = Assert.Single(c.Key.Coverage.MissingDeliveryWindows);
        var gap = Assert.Single(r.Findings, f => f.Facts.GetValueOrDefault("kind") == "missing_delivery" && f.Facts.GetValueOrDefault("flow_log_id") == missing.FlowLogId);
        Assert.Contains("not a deletion", gap.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Exfil_ledger_bounds_the_upload_from_the_nat_gateway_and_the_truth_lies_within()
    {
        var x = c.Key.Exfiltration!;
        var d = Assert.Single(x.Destinations);
        var upload = c.Key.Extra["bounds"].GetProperty("upload_bytes");
        var r = c.Run("exfil-ledger");
        var t = r.Table;
        var row = t.Rows.Single(v => (string)Cell(t, v, "asset")! == x.SourceIp && (string)Cell(t, v, "destination")! == d.Ip);
        Assert.Equal("nat_gateway", Cell(t, row, "via"));
        Assert.Equal(x.NatInterfaceId, Cell(t, row, "nat_interface"));
        var lower = Convert.ToInt64(Cell(t, row, "lower_bound"));
        var upper = Convert.ToInt64(Cell(t, row, "upper_bound"));
        Assert.Equal(upload.GetProperty("lower").GetInt64(), lower);
        Assert.InRange(upload.GetProperty("actual").GetInt64(), lower + 1, upper);
        var skip = Assert.Single(c.Key.Coverage.SkipdataWindows);
        Assert.Equal((long)(skip.Window.End - skip.Window.Start).TotalSeconds, Convert.ToInt64(Cell(t, row, "blind_seconds")));
        var f = Assert.Single(r.Findings, f => f.Technique == "T1048");
        Assert.Equal(d.Ip, f.Facts["destination"]);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Bounds: {lower:N0} to {upper:N0} bytes"), f.Statement, StringComparison.Ordinal);
    }
}

public sealed class BlindSpotProcedureTests(BlindSpotCase c) : BlindSpotProcedures(c), IClassFixture<BlindSpotCase>;

public sealed class BlindSpotStudentProcedureTests(BlindSpotStudentCase c) : BlindSpotProcedures(c), IClassFixture<BlindSpotStudentCase>;
