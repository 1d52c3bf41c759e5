using System.Globalization;
using System.Net;
using System.Text;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Presentation.Html;

/// <summary>
/// The answer first: what a report opens with, from the procedures a notebook ran — findings by severity, then the
/// headline figures (bytes out per destination, hosts on the lateral path) and the coverage part (what was not seen).
/// Long lists show their first entries with the rest one click away.
/// </summary>
public static class ReportSummary
{
    /// <summary>Entries of a list shown before "and N more".</summary>
    public const int Shown = 10;

    /// <summary>The summary section's HTML (id <c>summary</c>).</summary>
    public static string ToHtml(IReadOnlyList<ProcedureResult> results, IReadOnlyList<Finding> notes)
    {
        var sb = new StringBuilder("<section id=\"summary\" class=\"summary\">\n<h2>Summary</h2>\n");
        Severities(sb, results.SelectMany(r => r.Findings).Concat(notes).ToList());
        BytesOut(sb, results.Where(r => r.Procedure == "exfil-ledger").ToList());
        LateralPath(sb, results.Where(r => r.Procedure == "lateral-movement").ToList());
        Coverage(sb, results);
        return sb.Append("</section>\n").ToString();
    }

    static void Severities(StringBuilder sb, IReadOnlyList<Finding> findings)
    {
        sb.Append("<h3>Findings by severity</h3>\n");
        if (findings.Count == 0)
        {
            sb.Append("<p>The notebook recorded no findings.</p>\n");
            return;
        }
        sb.Append("<table class=\"grid severities\"><tr><th>severity</th><th>findings</th><th>first of them</th></tr>\n");
        foreach (var group in findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
            sb.Append("<tr><td><span class=\"sev ").Append(Name(group.Key)).Append("\">").Append(Name(group.Key)).Append("</span></td><td class=\"num\">")
              .Append(N(group.Count())).Append("</td><td>").Append(E(group.First().Title)).Append("</td></tr>\n");
        sb.Append("</table>\n");
    }

    static void BytesOut(StringBuilder sb, IReadOnlyList<ProcedureResult> ledgers)
    {
        var rows = ledgers.SelectMany(r => r.Table.RowsByName).ToList();
        if (ledgers.Count == 0) return;
        sb.Append("<h3>Bytes out per destination</h3>\n");
        var byDestination = rows.GroupBy(r => Text(r["destination"]))
            .Select(g => (Destination: g.Key, Bytes: g.Sum(r => Number(r["bytes_out"])), Assets: g.Select(r => Text(r["asset"])).Distinct().Count()))
            .OrderByDescending(x => x.Bytes).ThenBy(x => x.Destination, StringComparer.Ordinal).ToList();
        if (byDestination.Count == 0)
        {
            sb.Append("<p>No bytes to external destinations above the threshold in the window.</p>\n");
            return;
        }
        sb.Append("<table class=\"grid\"><tr><th>#</th><th>destination</th><th>bytes out</th><th>assets</th></tr>\n");
        foreach (var (d, i) in byDestination.Take(Shown).Select((d, i) => (d, i)))
            sb.Append("<tr><td class=\"num\">").Append(N(i + 1)).Append("</td><td>").Append(E(d.Destination)).Append("</td><td class=\"num\">")
              .Append(N(d.Bytes)).Append("</td><td class=\"num\">").Append(N(d.Assets)).Append("</td></tr>\n");
        sb.Append("</table>\n");
        if (byDestination.Count > Shown)
            sb.Append(More(byDestination.Skip(Shown).Select(d => $"{d.Destination}: {N(d.Bytes)} bytes").ToList()));
    }

    static void LateralPath(StringBuilder sb, IReadOnlyList<ProcedureResult> runs)
    {
        if (runs.Count == 0) return;
        sb.Append("<h3>Hosts on the lateral path</h3>\n");
        var hosts = new List<string>();
        foreach (var r in runs)
            if (r.Tables.TryGetValue("path", out var path))
                foreach (var row in path.RowsByName)
                    foreach (var host in new[] { Text(row["source"]), Text(row["destination"]) })
                        if (host.Length > 0 && !hosts.Contains(host)) hosts.Add(host);
        if (hosts.Count == 0)
        {
            sb.Append("<p>No path from patient zero in the window.</p>\n");
            return;
        }
        sb.Append("<p>").Append(N(hosts.Count)).Append(" hosts, in the order reached: ").Append(E(string.Join(" → ", hosts.Take(Shown)))).Append("</p>\n");
        if (hosts.Count > Shown) sb.Append(More(hosts.Skip(Shown).ToList()));
    }

    /// <summary>
    /// The coverage part: one statement per procedure window (each said once, not beside every finding), then the
    /// gaps. Other parts about what can and cannot be seen go in here, each as its own block.
    /// </summary>
    static void Coverage(StringBuilder sb, IReadOnlyList<ProcedureResult> results)
    {
        if (results.Count == 0) return;
        sb.Append("<div id=\"summary-coverage\" class=\"coverage-summary\">\n<h3>Coverage</h3>\n");
        // First, what can no longer be seen and until when the rest can (retention, lifecycle, deletions, custody).
        if (results.FirstOrDefault(r => r.Tables.ContainsKey("evidence_window")) is { } clocked) sb.Append(EvidenceWindowView.ToHtml(clocked));
        foreach (var statement in results.Select(r => r.Coverage).Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal))
            sb.Append("<p class=\"coverage\">").Append(E(statement)).Append("</p>\n");
        CoverageGaps(sb, results.Where(r => r.Procedure == "coverage").ToList());
        sb.Append("</div>\n");
    }

    static void CoverageGaps(StringBuilder sb, IReadOnlyList<ProcedureResult> coverage)
    {
        var gaps = coverage.SelectMany(r => r.Tables.TryGetValue("gaps", out var g) ? g.RowsByName : []).ToList();
        if (coverage.Count == 0) return;
        if (gaps.Count == 0)
        {
            sb.Append("<p>No coverage gaps (missing deliveries, SKIPDATA) in the window.</p>\n");
            return;
        }
        sb.Append("<p>").Append(N(gaps.Count)).Append(" coverage gaps, ").Append(N(gaps.Sum(g => Number(g["seconds"])))).Append(" seconds in all:</p>\n");
        var lines = gaps.Select(g => $"{Text(g["kind"])} {Text(g["interface_id"])} {CellText.Format(g["start"])} to {CellText.Format(g["end"])}".Replace("  ", " ")).ToList();
        sb.Append("<ul>");
        foreach (var l in lines.Take(Shown)) sb.Append("<li>").Append(E(l)).Append("</li>");
        sb.Append("</ul>\n");
        if (lines.Count > Shown) sb.Append(More(lines.Skip(Shown).ToList()));
    }

    /// <summary>The rest of a list behind one click.</summary>
    public static string More(IReadOnlyList<string> rest) =>
        "<details class=\"more\"><summary>and " + N(rest.Count) + " more</summary><ul>" + string.Concat(rest.Select(r => "<li>" + E(r) + "</li>")) + "</ul></details>\n";

    static string Name(Severity s) => s.ToString().ToLowerInvariant();

    static string Text(object? v) => CellText.Format(v);

    static double Number(object? v) => v is null or DBNull ? 0 : Convert.ToDouble(v, CultureInfo.InvariantCulture);

    static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    static string E(string s) => WebUtility.HtmlEncode(s);
}
