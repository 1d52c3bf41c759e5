using System.Globalization;
using System.Net;
using System.Text;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Presentation.Html;

/// <summary>
/// "What can no longer be seen, and until when the rest can": the coverage result's <c>evidence_window</c> table as the
/// report's first coverage section. What is already lost comes first (expired, deleted, never delivered, set apart),
/// then the clocks soonest first, then the custody record. Empty when the case holds no such configuration.
/// </summary>
public static class EvidenceWindowView
{
    public const string Heading = "What can no longer be seen, and until when the rest can";

    static readonly string[] Lost = ["retention_lost", "deleted_object", "delivery_failed", "created_late", "suspect_object", "not_versioned"];

    public static string ToHtml(ProcedureResult r)
    {
        if (!r.Tables.TryGetValue("evidence_window", out var table) || table.Rows.Count == 0) return "";
        var rows = table.RowsByName.Select(x => (Kind: x.Text("kind"), At: x.TimeOrNull("at"), Severity: x.Text("severity"), Title: x.Text("title"), Statement: x.Text("statement")))
            .OrderBy(x => x.Kind == "custody" ? 2 : Array.IndexOf(Lost, x.Kind) >= 0 ? 0 : 1)
            .ThenBy(x => Array.IndexOf(Lost, x.Kind) is var i && i >= 0 ? i : 99).ThenBy(x => x.At ?? DateTime.MaxValue).ToList();
        var sb = new StringBuilder("<section class=\"evidence-window\">\n<h4>").Append(E(Heading)).Append("</h4>\n")
            .Append("<table class=\"grid\"><tr><th>severity</th><th>when (UTC)</th><th>what</th><th>statement</th></tr>\n");
        foreach (var x in rows)
        {
            var severity = x.Severity.ToLowerInvariant();
            sb.Append("<tr><td><span class=\"sev ").Append(E(severity)).Append("\">").Append(E(severity)).Append("</span></td><td>")
              .Append(x.At is { } t ? E(t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)) : "")
              .Append("</td><td>").Append(E(x.Title)).Append("</td><td>").Append(E(x.Statement)).Append("</td></tr>\n");
        }
        return sb.Append("</table>\n</section>\n").ToString();
    }

    static string E(string s) => WebUtility.HtmlEncode(s);
}
