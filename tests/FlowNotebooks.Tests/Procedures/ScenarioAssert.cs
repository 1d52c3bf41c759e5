using FlowNotebooks.Procedures;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>Checks shared by both scenarios: a procedure's output against the answer key.</summary>
internal static class ScenarioAssert
{
    public static object? Cell(QueryResult t, object?[] row, string column) => row[t.IndexOf(column)];

    public static List<string> Strings(object? list) => ((System.Collections.IEnumerable)list!).Cast<object>().Select(o => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture)!).ToList();

    public static void CoverageMatches(ScenarioCase c)
    {
        // The analyst's window is the incident window; a capture whose objects start later is a gap in it.
        var r = c.Run("coverage", ("from", c.Key.Window.Start), ("to", c.Key.Window.End));
        var key = c.Key.Coverage;
        Assert.Equal(key.UnloggedSubnets.Select(s => s.SubnetId).Order(), r.Tables["unlogged"].Rows.Select(x => (string)x[0]!).Order());
        var gaps = r.Tables["gaps"];
        (string?, string?, DateTime, DateTime) G(object?[] x) => ((string?)x[1], (string?)x[2], (DateTime)x[3]!, (DateTime)x[4]!);
        Assert.Equal(key.SkipdataWindows.Select(g => (g.InterfaceId, g.FlowLogId, g.Window.Start, g.Window.End)).Order(),
            gaps.Rows.Where(x => (string)x[0]! == "skipdata").Select(G).Order());
        Assert.Equal(key.MissingDeliveryWindows.Select(g => ((string?)null, g.FlowLogId, g.Window.Start, g.Window.End)).Order(),
            gaps.Rows.Where(x => (string)x[0]! == "missing_delivery").Select(G).Order());
        // Logging turned on late: our window ends at the capture's first object, stamped at or before its first record.
        var late = gaps.Rows.Where(x => (string)x[0]! == "before_evidence").Select(G).ToList();
        Assert.Equal(key.LoggingStartedLate.Select(g => g.FlowLogId).Order(), late.Select(g => g.Item2).Order());
        foreach (var g in key.LoggingStartedLate)
        {
            var ours = late.Single(l => l.Item2 == g.FlowLogId);
            Assert.Equal(g.Window.Start, ours.Item3);
            Assert.InRange(g.Window.End - ours.Item4, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        }
        Assert.Contains(r.Findings, f => f.Title.StartsWith($"Subnet {key.UnloggedSubnets[0].SubnetId}", StringComparison.Ordinal));
    }

    public static void LateralPathMatches(ScenarioCase c)
    {
        var r = c.Run("lateral-movement");
        var path = r.Tables["path"].Rows.Select(x => ((string)x[1]!, (string)x[2]!, Convert.ToInt32(x[3]), (DateTime)x[5]!)).ToList();
        Assert.Equal(c.Key.LateralPath.Select(h => (h.SourceIp, h.DestinationIp, h.Port, h.FirstSeen)), path);
        var scan = c.Key.DiscoveryScan!;
        var fanout = r.Tables["fanout"];
        var row = fanout.Rows.Single(x => (string)x[0]! == scan.SourceIp);
        Assert.Subset(Strings(Cell(fanout, row, "target_hosts")).ToHashSet(), scan.TargetIps.ToHashSet());
        Assert.Subset(Strings(Cell(fanout, row, "target_ports")).Select(int.Parse).ToHashSet(), scan.Ports.ToHashSet());
        Assert.Equal(scan.Window.Start, Cell(fanout, row, "first_seen"));
        Assert.InRange((DateTime)Cell(fanout, row, "last_seen")! - scan.Window.End, TimeSpan.FromSeconds(-60), TimeSpan.FromSeconds(60));
        Assert.Contains(r.Findings, f => f.Technique == "T1046" && f.Facts["source"] == scan.SourceIp);
        Assert.Equal(c.Key.LateralPath.Count, r.Findings.Count(f => f.Title.StartsWith("Lateral hop", StringComparison.Ordinal)));
    }
}
