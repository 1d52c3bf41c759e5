using System.Globalization;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.TestSupport;
using Xunit.Abstractions;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// Evidence that supports its finding: every procedure runs on the scenario, and every line a finding cites is read back
/// from its evidence object on disk (SHA-256 checked), parsed with the project's parser, and checked against the finding's
/// facts: it lies in the span (<c>from</c>/<c>to</c>; a record's [start, end] may overlap it) and names its parties.
/// </summary>
public abstract class CitationChecks(ScenarioCase c, ITestOutputHelper output)
{
    [Fact]
    public void Every_cited_line_read_back_from_its_object_lies_in_the_finding_span_and_names_its_parties() =>
        CitationCheck.Assert(c.Folder, c.Store, Runs(), output, c.GetType().Name);

    /// <summary>Every procedure with its defaults (IOCs from the case's file), and those that compare with a baseline with one:
    /// the records before the incident window, the incident window analysed.</summary>
    IEnumerable<(string Procedure, ProcedureResult Result)> Runs()
    {
        foreach (var p in ProcedureRegistry.All)
            yield return (p.Name, p.Name == "attacker-infrastructure" ? c.Run(p.Name, ("ioc_file", Path.Combine(c.Folder, "iocs.txt"))) : c.Run(p.Name));
        // A baseline before the incident window (a day of nothing when the case starts with the incident: not a reversed window).
        var first = c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows");
        var start = first < c.Key.Window.Start ? first : c.Key.Window.Start.AddDays(-1);
        foreach (var p in ProcedureRegistry.All.Where(p => p.Parameters.Any(x => x.Name == "baseline_from")))
            yield return ($"{p.Name} (baseline)", c.Run(p.Name, ("baseline_from", start), ("baseline_to", c.Key.Window.Start), ("from", c.Key.Window.Start)));
    }

    [Fact]
    public void The_scan_finding_cites_probes_from_the_scanner_to_scanned_addresses_inside_the_scan()
    {
        var scan = c.Key.DiscoveryScan!;
        var records = new EvidenceRecords(c.Folder, c.Store);
        var f = Assert.Single(c.Run("lateral-movement").Findings, f => f.Technique == "T1046" && f.Facts["source"] == scan.SourceIp);
        var cited = f.Evidence.SelectMany(e => e.Lines.Select(n => records.Read(e.Object, n))).ToList();
        Assert.NotEmpty(cited);
        foreach (var r in cited)
        {
            Assert.Equal(scan.SourceIp, r.Src);
            Assert.Contains(r.Dst!, scan.TargetIps);
            Assert.Contains(r.DstPort!.Value, scan.Ports);
            // Inside the scan as the answer key has it (its end to within the capture's minute).
            Assert.InRange(r.Start!.Value, scan.Window.Start, scan.Window.End.AddSeconds(60));
            Assert.InRange(r.End!.Value, scan.Window.Start, scan.Window.End.AddSeconds(60));
            // A probe: a connection attempt, not a server's reply.
            Assert.True(r.Protocol is 1 or 58 || ((r.TcpFlags ?? 0) & 18) != 18, r.Text);
        }
    }
}

public sealed class VpcCompromiseCitationTests(VpcCompromiseCase c, ITestOutputHelper output) : CitationChecks(c, output), IClassFixture<VpcCompromiseCase>;

public sealed class CryptominerCitationTests(CryptominerCase c, ITestOutputHelper output) : CitationChecks(c, output), IClassFixture<CryptominerCase>;

/// <summary>
/// The citation check itself, for any case: each cited line read back from its object on disk (SHA-256 checked), parsed,
/// and checked against the facts of the finding that cites it; every positive finding that states a span cites a line.
/// </summary>
internal static class CitationCheck
{
    /// <summary>Delivery gaps rest on the records delivered around them, not in them.</summary>
    static readonly string[] DeliveryGaps = ["missing_delivery", "before_evidence", "after_evidence"];

    public static void Assert(string folder, CaseStore store, IEnumerable<(string Procedure, ProcedureResult Result)> runs, ITestOutputHelper output, string name)
    {
        var records = new EvidenceRecords(folder, store);
        var unsupported = new List<string>();
        var uncited = new List<string>();
        var (findings, citing, lines) = (0, 0, 0);
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (p, result) in runs)
        {
            foreach (var f in result.Findings)
            {
                findings++;
                var cited = f.Evidence.Sum(e => e.Lines.Count);
                var spanned = f.Facts.ContainsKey("from") && f.Facts.ContainsKey("to");
                // A finding that states a span rests on records and must cite them; one without rests on the configuration
                // (describe-flow-logs, the interface inventory): only coverage has such, and they cite nothing.
                if (!f.Negative && (spanned ? cited == 0 : p != "coverage" || f.Evidence.Count > 0))
                    uncited.Add($"{p}: {f.Title} ({(spanned ? "no line cited" : "no from/to facts")})");
                if (cited > 0) citing++;
                foreach (var e in f.Evidence)
                {
                    if (records.Sha256(e.Object) != e.Sha256) unsupported.Add($"{p}: {f.Title}: {e.Object} does not have SHA-256 {e.Sha256}");
                    foreach (var n in e.Lines)
                    {
                        lines++;
                        var ext = Path.GetExtension(e.Object);
                        kinds[ext] = kinds.GetValueOrDefault(ext) + 1;
                        var why = Unsupported(store, f, e, n, records);
                        if (why is not null) unsupported.Add($"{p}: {f.Title}: {e.Object} line {n}: {why}");
                    }
                }
            }
        }
        output.WriteLine($"{name}: {findings} findings, {citing} citing, {lines} cited lines checked ({string.Join(", ", kinds.Select(k => $"{k.Value} in {k.Key}"))}); {unsupported.Count} unsupported.");
        Xunit.Assert.True(unsupported.Count == 0, string.Join("\n", unsupported.Take(40)));
        Xunit.Assert.True(uncited.Count == 0, string.Join("\n", uncited));
        Xunit.Assert.True(lines > 0);
    }

    /// <summary>Why the record does not support the finding, or null when it does.</summary>
    static string? Unsupported(CaseStore store, Finding f, EvidenceRef e, long line, EvidenceRecords records)
    {
        EvidenceRecord r;
        try
        {
            r = records.Read(e.Object, line);
        }
        catch (InvalidDataException ex)
        {
            return ex.Message;
        }
        string? Fact(string k) => f.Facts.TryGetValue(k, out var v) ? v : null;
        static HashSet<string> Set(string v) => v.Split(',').ToHashSet(StringComparer.Ordinal);
        var kind = Fact("kind");
        if (kind == "skipdata" && r.LogStatus != "SKIPDATA") return $"not a SKIPDATA record: {r.Text}";
        if (Fact("flow_log_id") is { } capture && store.Query("SELECT flow_log_id FROM evidence WHERE evidence_id = $1", [e.EvidenceId]).Rows[0][0] as string != capture)
            return $"not delivered by capture {capture}";
        if (Fact("from") is not { } fromText || Fact("to") is not { } toText) return "the finding has no from/to facts";
        var (from, to) = (Iso(fromText), Iso(toText));
        if (kind is not null && DeliveryGaps.Contains(kind))
        {
            // The last object the capture delivered before the gap or the first at or after its end.
            var edges = store.Query("""
                SELECT max(delivery_time) FILTER (WHERE delivery_time < $2), min(delivery_time) FILTER (WHERE delivery_time >= $3),
                       (SELECT delivery_time FROM evidence WHERE evidence_id = $4)
                FROM evidence WHERE flow_log_id = $1
                """, [Fact("flow_log_id"), from, to, e.EvidenceId]).Rows[0];
            if (!Equals(edges[2], edges[0]) && !Equals(edges[2], edges[1])) return $"not in an object delivered right before {fromText} or right after {toText}";
        }
        else if (r.Start is not { } start || r.End is not { } end || start > to || end < from)
            return $"[{r.Start:O}, {r.End:O}] is outside {fromText}–{toText}: {r.Text}";
        if (Fact("src") is { } src && !Set(src).Contains(r.Src ?? "")) return $"source {r.Src} is not {Short(src)}: {r.Text}";
        if (Fact("dst") is { } dst && !Set(dst).Contains(r.Dst ?? "")) return $"destination {r.Dst} is not {Short(dst)}: {r.Text}";
        if (Fact("parties") is { } parties && !(Set(parties).SetEquals([r.Src ?? "", r.Dst ?? ""]))) return $"not between {parties}: {r.Text}";
        if (Fact("address") is { } address && !r.Addresses.Contains(address)) return $"does not name {address}: {r.Text}";
        if (Fact("ports") is { } ports && !Set(ports).Contains(Convert.ToString(r.DstPort, CultureInfo.InvariantCulture) ?? ""))
            return $"port {r.DstPort} is not {Short(ports)}: {r.Text}";
        if (Fact("action") is { } action && r.Action != action) return $"action {r.Action} is not {action}: {r.Text}";
        if (Fact("protocol") is { } protocol && Convert.ToString(r.Protocol, CultureInfo.InvariantCulture) != protocol) return $"protocol {r.Protocol} is not {protocol}: {r.Text}";
        if (kind == "skipdata" && r.InterfaceId != Fact("interface_id")) return $"interface {r.InterfaceId} is not {Fact("interface_id")}: {r.Text}";
        return null;
    }

    static DateTime Iso(string t) => DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    static string Short(string list) => list.Length <= 60 ? list : list[..60] + "…";
}

/// <summary>The citation check on the hand-built incident (NAT legs with pkt-* fields, SKIPDATA, a missing delivery, a beacon, a scan).</summary>
public sealed class FixtureCitationTests(IncidentFixture fx, ITestOutputHelper output) : IClassFixture<IncidentFixture>
{
    [Fact]
    public void Every_cited_line_read_back_from_its_object_lies_in_the_finding_span_and_names_its_parties()
    {
        IEnumerable<(string, ProcedureResult)> Runs()
        {
            foreach (var p in ProcedureRegistry.All)
            {
                var ps = new Dictionary<string, object?>();
                if (p.Name == "attacker-infrastructure") ps["iocs"] = string.Join(",", IncidentFixture.Attacker, IncidentFixture.Pool, IncidentFixture.C2, IncidentFixture.Exfil1);
                yield return (p.Name, p.Run(fx.Store, ps));
            }
        }
        CitationCheck.Assert(fx.Dir, fx.Store, Runs(), output, nameof(IncidentFixture));
    }
}

/// <summary>The citation check on the incident built from packet journeys by AWS's record rules (600 s and 60 s captures of one
/// interface, an undelivered hour, SKIPDATA on one capture, NAT legs).</summary>
public sealed class JourneyCitationTests(JourneyIncident fx, ITestOutputHelper output) : IClassFixture<JourneyIncident>
{
    [Fact]
    public void Every_cited_line_read_back_from_its_object_lies_in_the_finding_span_and_names_its_parties()
    {
        IEnumerable<(string, ProcedureResult)> Runs()
        {
            foreach (var p in ProcedureRegistry.All)
            {
                var ps = new Dictionary<string, object?>();
                if (p.Name == "attacker-infrastructure") ps["iocs"] = string.Join(",", JourneyIncident.Attacker, JourneyIncident.Drop, JourneyIncident.C2);
                yield return (p.Name, p.Run(fx.Store, ps));
            }
        }
        CitationCheck.Assert(fx.Dir, fx.Store, Runs(), output, nameof(JourneyIncident));
    }
}
