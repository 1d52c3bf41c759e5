using System.Globalization;
using FlowNotebooks.Interactive.Tests.Fixtures;
using FlowNotebooks.Store;
using static FlowNotebooks.Interactive.Tests.Notebooks.TemplateNotebook;

namespace FlowNotebooks.Interactive.Tests.Notebooks;

/// <summary>The template notebooks run end to end on the default scenario (generated into a temp folder and handed over
/// as the evidencePath parameter), and what they found equals the answer key.</summary>
public sealed class TemplateNotebookTests(VpcCompromise s) : IClassFixture<VpcCompromise>
{
    static object? Cell(QueryResult t, object?[] row, string column) => row[t.IndexOf(column)];

    [Fact]
    public async Task Evidence_intake_finds_the_unlogged_subnet_the_skipdata_and_missing_windows_and_the_unmanaged_host()
    {
        var run = await RunAsync("01-evidence-intake.ipynb", ("evidencePath", s.Folder),
            ("windowFrom", Iso(s.Key.Window.Start)), ("windowTo", Iso(s.Key.Window.End)));
        var coverage = run.Procedure("coverage");
        var key = s.Key.Coverage;
        Assert.Equal(key.UnloggedSubnets.Select(u => u.SubnetId), coverage.Tables["unlogged"].Rows.Select(r => (string)r[0]!));
        var gaps = coverage.Tables["gaps"];
        Assert.Equal(key.SkipdataWindows.Select(g => (g.InterfaceId, g.Window.Start, g.Window.End)),
            gaps.Rows.Where(r => (string)r[0]! == "skipdata").Select(r => ((string?)r[1], (DateTime)r[3]!, (DateTime)r[4]!)));
        Assert.Equal(key.MissingDeliveryWindows.Select(g => (g.FlowLogId, g.Window.Start, g.Window.End)),
            gaps.Rows.Where(r => (string)r[0]! == "missing_delivery").Select(r => ((string?)r[2], (DateTime)r[3]!, (DateTime)r[4]!)));
        Assert.Equal([s.Key.UnmanagedHost!.Ip], coverage.Tables["unmanaged"].Rows.Select(r => (string)r[0]!));
        Assert.Contains($"Subnet {key.UnloggedSubnets[0].SubnetId} has no flow log", run.Text());
        // The evidence window, shown in the notebook's first cells: the failed delivery, the deleted object, the lifecycle clock.
        var w = s.Key.EvidenceWindow!;
        var window = coverage.Tables["evidence_window"];
        Assert.Contains(window.RowsByName, r => r.Text("kind") == "delivery_failed" && r.Text("subject") == w.FailedDelivery!.FlowLogId);
        Assert.Contains(window.RowsByName, r => r.Text("kind") == "deleted_object" && r.Text("subject") == w.DeletedObject!.Key && r.Time("at") == w.DeletedObject.DeletedAt);
        Assert.Contains(window.RowsByName, r => r.Text("kind") == "lifecycle_expiry" && r.TimeOrNull("at") == w.OldestExpiresAt);
        Assert.Contains("Access error", run.Text());
        // The report opens the coverage section with what can no longer be seen and until when the rest can.
        var html = FlowNotebooks.Notebooks.CaseReport.Write(run);
        var section = html.IndexOf(FlowNotebooks.Presentation.Html.EvidenceWindowView.Heading, StringComparison.Ordinal);
        var coverageHeading = html.IndexOf("<div id=\"summary-coverage\"", StringComparison.Ordinal);
        Assert.True(coverageHeading >= 0 && section > coverageHeading, "the evidence-window section is not in the summary's coverage part");
        Assert.True(section < html.IndexOf("<p class=\"coverage\">", coverageHeading, StringComparison.Ordinal), "the section is not at the top of coverage");
        var table = html[section..html.IndexOf("</section>", section, StringComparison.Ordinal)];
        Assert.Contains(System.Net.WebUtility.HtmlEncode(w.DeletedObject!.Key), table);
        Assert.Contains(w.DeletedObject.DeletedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), table);
        Assert.Contains(w.OldestExpiresAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), table);
        Assert.True(table.IndexOf("deleted", StringComparison.OrdinalIgnoreCase) < table.IndexOf(w.OldestExpiresAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal),
            "what is lost comes before the clocks");
        // Every evidence file of the folder is in the manifest with its SHA-256 (the key, the IOC list and the README are not evidence).
        var files = Directory.GetFiles(s.Folder, "*", SearchOption.AllDirectories).Select(System.IO.Path.GetFileName)
            .Count(n => n is not ("answer-key.json" or "iocs.txt" or "README.md"));
        Assert.Equal(files, run.Evidence.Count);
        Assert.All(run.Evidence, e => Assert.Matches("^[0-9a-f]{64}$", e.Sha256));
    }

    [Fact]
    public async Task Exfiltration_scoping_gives_the_destinations_bytes_and_the_nat_attributed_workload()
    {
        var run = await RunAsync("02-exfiltration-scoping.ipynb", ("evidencePath", s.Folder));
        var x = s.Key.Exfiltration!;
        var exfil = run.Procedure("exfil-ledger");
        var findings = exfil.Findings.Where(f => f.Technique == "T1048").ToList();
        Assert.Equal(x.Destinations.Select(d => (x.SourceIp, d.Ip, d.Bytes)).OrderBy(d => d.Ip),
            findings.Select(f => (f.Facts["asset"], f.Facts["destination"], long.Parse(f.Facts["bytes_out"], CultureInfo.InvariantCulture))).OrderBy(d => d.Item2));
        var t = exfil.Table;
        foreach (var d in x.Destinations)
        {
            var row = t.Rows.Single(r => (string)Cell(t, r, "asset")! == x.SourceIp && (string)Cell(t, r, "destination")! == d.Ip);
            Assert.Equal((x.SourceInterfaceId, x.Via, x.NatInterfaceId, x.NatPublicIp),
                ((string?)Cell(t, row, "asset_interface"), (string?)Cell(t, row, "via"), (string?)Cell(t, row, "nat_interface"), (string?)Cell(t, row, "nat_public_ip")));
        }
        // The findings cell states the key's total; the timeline was drawn for the exfiltrating asset only.
        Assert.Contains($"Bytes out to these destinations, as logged: {x.TotalBytes.ToString("N0", CultureInfo.InvariantCulture)}", run.Text());
        Assert.Equal(x.SourceIp, run.Procedure("conversations").Parameters["address"]);
        Assert.Contains("\"type\":\"sankey\"", string.Concat(run.Document.Cells.SelectMany(c => c.Outputs).OfType<FlowNotebooks.Notebooks.DisplayOutput>().Select(o => o.Html)));
    }

    [Fact]
    public async Task Lateral_movement_gives_the_path_in_order_and_the_discovery_scan()
    {
        var run = await RunAsync("03-lateral-movement.ipynb", ("evidencePath", s.Folder), ("internalCidrs", s.Key.VpcCidr));
        var lateral = run.Procedure("lateral-movement");
        Assert.Equal(s.Key.LateralPath.Select(h => (h.SourceIp, h.DestinationIp, h.Port, h.FirstSeen)),
            lateral.Tables["path"].Rows.Select(r => ((string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3], CultureInfo.InvariantCulture), (DateTime)r[5]!)));
        var scan = s.Key.DiscoveryScan!;
        Assert.Contains(lateral.Findings, f => f.Technique == "T1046" && f.Facts["source"] == scan.SourceIp);
    }

    [Fact]
    public async Task Attacker_infrastructure_flags_the_unmanaged_host_the_beacon_period_and_the_scanner()
    {
        var run = await RunAsync("04-attacker-infrastructure.ipynb", ("evidencePath", s.Folder));
        var infra = run.Procedure("attacker-infrastructure");
        var u = s.Key.UnmanagedHost!;
        var critical = infra.Findings.Where(f => f.Severity == FlowNotebooks.Procedures.Severity.Critical).ToList();
        Assert.Equal([u.Ip], critical.Select(f => f.Facts["asset"]).Distinct());
        Assert.Equal(u.Contacted.Order(), critical.Select(f => f.Facts["ioc"]).Distinct().Order());
        var b = s.Key.Beacon!;
        var beacons = run.Procedure("beaconing").Table;
        var beat = beacons.Rows.Single(r => (string)Cell(beacons, r, "asset")! == b.SourceIp && (string)Cell(beacons, r, "destination")! == b.DestinationIp);
        Assert.InRange(Convert.ToInt64(Cell(beacons, beat, "period_seconds"), CultureInfo.InvariantCulture), b.PeriodSeconds - 5, b.PeriodSeconds + 5);
        Assert.Contains(run.Procedure("rejected-recon").Table.Rows, r => (string)r[0]! == s.Key.InitialAccess!.AttackerIp);
    }
}
