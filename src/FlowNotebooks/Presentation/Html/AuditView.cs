using System.Globalization;
using System.Net;
using System.Text;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Presentation.Html;

/// <summary>
/// A run's audit record for a report appendix: a summary line (versions, case state, number of statements) and the
/// audit script (every statement as it ran with its values written in) in a collapsed block, HTML-encoded (the script
/// quotes parameter values as the analyst typed them).
/// </summary>
public static class AuditView
{
    /// <summary>HTML for one procedure result; a line saying so when the result carries no audit record.</summary>
    public static string ToHtml(ProcedureResult r)
    {
        var sb = new StringBuilder("<div class=\"flownb-audit\">");
        if (r.Audit is not { } a)
            return sb.Append("<p>").Append(E(r.Procedure)).Append(": no audit record.</p></div>").ToString();
        sb.Append("<details><summary><code>").Append(E(r.Procedure)).Append("</code>: ")
          .Append(E(string.Create(CultureInfo.InvariantCulture,
              $"{a.Statements.Count} statement(s); derived tables {a.DerivedTablesVersion}; {a.EvidenceObjects} evidence object(s), SHA-256 set {a.EvidenceSha256Set}; flownb {a.Tool}")))
          .Append("</summary><pre><code class=\"language-sql\">").Append(E(a.Script())).Append("</code></pre></details></div>");
        return sb.ToString();
    }

    static string E(string s) => WebUtility.HtmlEncode(s);
}
