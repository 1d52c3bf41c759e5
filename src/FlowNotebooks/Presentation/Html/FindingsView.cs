using System.Net;
using System.Text;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Presentation.Html;

/// <summary>
/// A procedure's findings as an analyst reads them: severity, ATT&amp;CK technique, what the records show, the coverage
/// statement beside every negative finding (an absence only means something where logging was on), and the evidence
/// objects with sample lines. Everything is HTML-encoded: titles and statements quote evidence text.
/// </summary>
public static class FindingsView
{
    static readonly Dictionary<Severity, string> Colours = new()
    {
        [Severity.Critical] = "#8b0000", [Severity.High] = "#c0392b", [Severity.Medium] = "#d35400", [Severity.Low] = "#2471a3", [Severity.Info] = "#566573",
    };

    /// <summary>HTML: a header (procedure, window, coverage) and one block per finding.</summary>
    public static string ToHtml(ProcedureResult r, string title)
    {
        var sb = new StringBuilder("<div class=\"flownb-findings\"><b>").Append(E(title)).Append("</b>");
        sb.Append("<div>Window (UTC): ").Append(E(Window(r))).Append("</div>");
        foreach (var note in r.Notes) sb.Append("<div><i>Note:</i> ").Append(E(note)).Append("</div>");
        sb.Append("<div><i>Coverage:</i> ").Append(E(r.Coverage)).Append("</div>");
        sb.Append("<div>Findings: ").Append(r.Findings.Count).Append("</div><ol>");
        foreach (var f in r.Findings)
        {
            sb.Append("<li><span style=\"color:#fff;background:").Append(Colours[f.Severity]).Append(";padding:0 4px\">")
              .Append(E(f.Severity.ToString().ToLowerInvariant())).Append("</span> ");
            if (f.Technique is not null) sb.Append("<code>").Append(E(f.Technique)).Append("</code> ");
            sb.Append("<b>").Append(E(f.Title)).Append("</b><div>").Append(E(f.Statement)).Append("</div>");
            // The result's coverage is said once above; a finding repeats it only when its own differs.
            if (f.Negative && f.Coverage is not null && f.Coverage != r.Coverage) sb.Append("<div><i>Coverage:</i> ").Append(E(f.Coverage)).Append("</div>");
            foreach (var e in f.Evidence)
                sb.Append("<div><small>evidence ").Append(E(e.Object)).Append(" (sha256 ").Append(E(Short(e.Sha256))).Append(") lines ")
                  .Append(E(string.Join(", ", e.Lines))).Append("</small></div>");
            sb.Append("</li>");
        }
        return sb.Append("</ol></div>").ToString();
    }

    /// <summary>The same as text.</summary>
    public static string ToText(ProcedureResult r, string title)
    {
        var sb = new StringBuilder(title).AppendLine().Append("Window (UTC): ").AppendLine(Window(r));
        foreach (var note in r.Notes) sb.Append("Note: ").AppendLine(note);
        sb.Append("Coverage: ").AppendLine(r.Coverage);
        sb.Append("Findings: ").Append(r.Findings.Count).AppendLine();
        foreach (var f in r.Findings)
        {
            sb.Append("- [").Append(f.Severity.ToString().ToLowerInvariant()).Append(']').Append(f.Technique is null ? "" : " " + f.Technique)
              .Append(' ').AppendLine(f.Title).Append("  ").AppendLine(f.Statement);
            if (f.Negative && f.Coverage is not null && f.Coverage != r.Coverage) sb.Append("  Coverage: ").AppendLine(f.Coverage);
            foreach (var e in f.Evidence) sb.Append("  evidence ").Append(e.Object).Append(" (sha256 ").Append(Short(e.Sha256)).Append(") lines ").AppendLine(string.Join(", ", e.Lines));
        }
        return sb.ToString();
    }

    static string Window(ProcedureResult r) => r.From is { } f && r.To is { } t
        ? $"{CellText.Format(f)} to {CellText.Format(t)}" : "no records";

    static string Short(string sha) => sha.Length > 12 ? sha[..12] + "…" : sha;

    static string E(string s) => WebUtility.HtmlEncode(s);
}
