using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FlowNotebooks.Presentation.Charts;
using FlowNotebooks.Presentation.Html;
using FlowNotebooks.Procedures;
using Markdig;

namespace FlowNotebooks.Notebooks;

/// <summary>
/// A standalone HTML case report of a run, the answer first: a header (tool version, notebook, parameters, outcome, run
/// time), the summary (<see cref="ReportSummary"/>), the findings, then the notebook's prose, code and outputs, the SQL
/// appendix and the evidence manifest with SHA-256 (collapsed). One file, no network: plotly.js is
/// embedded once in the head. Two runs on the same evidence with the same parameters give the same page except the
/// line with <c>id="run-time"</c>; measured durations inside outputs are set apart (<see cref="SummaryCards.TimingClass"/>).
/// </summary>
public static partial class CaseReport
{
    // Raw HTML in markdown cells is shown as text: everything the report prints is encoded or built by us.
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    public static string Write(NotebookRunResult run)
    {
        var body = new StringBuilder();
        var n = 0;
        foreach (var cell in run.Document.Cells)
        {
            n++;
            switch (cell.Kind)
            {
                case CellKind.Markdown:
                    body.Append("<section class=\"prose\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
                    break;
                case CellKind.Code:
                    Code(body, cell, n);
                    break;
                default:
                    body.Append("<pre class=\"raw\">").Append(E(cell.Source)).Append("</pre>\n");
                    break;
            }
        }
        var content = Stable(body.ToString(), out var charts);
        var title = Title(run);

        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n");
        // plotly.js once, before the charts, from the copy inside Plotly.NET: nothing is fetched.
        if (charts) page.Append(PlotlyJs.ScriptElement()).Append('\n');
        page.Append("</head>\n<body>\n<header>\n<h1>").Append(E(title)).Append("</h1>\n");
        Header(page, run);
        page.Append("</header>\n<main>\n").Append(content);
        Appendix(page, run);
        Manifest(page, run);
        page.Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    static void Header(StringBuilder p, NotebookRunResult run)
    {
        var c = CultureInfo.InvariantCulture;
        var codeCells = run.Cells.Count(x => x.Status != CellStatus.Prose);
        var outcome = run.FirstFailure is { } f ? f.ToString() : $"All {codeCells} code cells ran without error.";
        p.Append("<table class=\"run\">\n");
        Row(p, "Notebook", run.NotebookName);
        Row(p, "Tool", "flownb " + run.ToolVersion);
        Row(p, "Outcome", outcome, run.Succeeded ? "ok" : "failed");
        // The one line that differs between two runs of the same notebook on the same evidence.
        p.Append("<tr id=\"run-time\"><th>Run</th><td>")
         .Append(E(run.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss'Z'", c) + $", {run.Elapsed.TotalSeconds.ToString("0.0", c)} s")).Append("</td></tr>\n");
        p.Append("</table>\n");

        p.Append("<h2>Parameters</h2>\n");
        if (run.Parameters.Count == 0) p.Append("<p>The notebook's defaults (no parameters given).</p>\n");
        else
        {
            p.Append("<table class=\"grid\"><tr><th>name</th><th>value</th></tr>\n");
            foreach (var (k, v) in run.Parameters) p.Append("<tr><td><code>").Append(E(k)).Append("</code></td><td><code>").Append(E(v)).Append("</code></td></tr>\n");
            p.Append("</table>\n");
        }

        p.Append(ReportSummary.ToHtml(run.Findings.Results, run.Findings.Notes));
        p.Append("<h2>Findings</h2>\n");
        var results = run.Findings.Results;
        var notes = run.Findings.Notes;
        if (results.Count == 0 && notes.Count == 0) p.Append("<p>The notebook recorded no findings.</p>\n");
        foreach (var r in results)
        {
            // The window's coverage statement is in the summary's coverage part: said once, not per procedure and finding.
            p.Append("<h3>").Append(E(r.Procedure)).Append("</h3>\n");
            // What reading the analyst's input assumed (a time without a zone read as UTC), next to what it produced.
            foreach (var note in r.Notes) p.Append("<p class=\"note\"><i>Note:</i> ").Append(E(note)).Append("</p>\n");
            Findings(p, r.Findings, r.Coverage);
        }
        if (notes.Count > 0)
        {
            p.Append("<h3>Recorded in the notebook</h3>\n");
            Findings(p, notes, null);
        }
    }

    /// <summary>
    /// Every procedure run's SQL as it ran, with its bound values written in, the derived tables' build and version, the
    /// tool version and the case state: the script pastes into the DuckDB CLI against the case and gives the same rows.
    /// </summary>
    static void Appendix(StringBuilder p, NotebookRunResult run)
    {
        var results = run.Findings.Results;
        if (results.Count == 0) return;
        p.Append("<section class=\"appendix\" id=\"sql-appendix\">\n<h2>Appendix · SQL as it ran</h2>\n")
         .Append("<p>Each procedure run as a script for the DuckDB CLI (<code>duckdb -readonly case.duckdb &lt; script.sql</code>): ")
         .Append("every statement with its values written in, in order, ending with the one that returns the procedure's table; ")
         .Append("what was computed outside SQL is stated with its formula in the script's header.</p>\n");
        foreach (var r in results) p.Append(AuditView.ToHtml(r)).Append('\n');
        p.Append("</section>\n");
    }

    /// <summary>The evidence manifest (every object with its SHA-256), collapsed at the end: the reader opens it to check
    /// an object, and it no longer stands between the title and the answer.</summary>
    static void Manifest(StringBuilder p, NotebookRunResult run)
    {
        p.Append("<section id=\"evidence\" class=\"appendix\">\n<h2>Evidence</h2>\n");
        if (run.Evidence.Count == 0)
        {
            p.Append("<p>No case with evidence was open at the end of the run.</p>\n</section>\n");
            return;
        }
        p.Append("<details><summary>").Append(run.Evidence.Count.ToString("N0", CultureInfo.InvariantCulture)).Append(" evidence objects, ")
         .Append(run.Evidence.Sum(e => e.Size).ToString("N0", CultureInfo.InvariantCulture)).Append(" bytes, ")
         .Append(run.Evidence.Sum(e => e.Records).ToString("N0", CultureInfo.InvariantCulture)).Append(" records (SHA-256 of each)</summary>\n");
        p.Append("<table class=\"grid\"><tr><th>id</th><th>object</th><th>kind</th><th>bytes</th><th>records</th><th>SHA-256</th></tr>\n");
        foreach (var e in run.Evidence)
            p.Append("<tr><td>").Append(e.EvidenceId.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(e.Object))
             .Append("</td><td>").Append(E(e.Kind)).Append("</td><td class=\"num\">").Append(e.Size.ToString("N0", CultureInfo.InvariantCulture))
             .Append("</td><td class=\"num\">").Append(e.Records.ToString("N0", CultureInfo.InvariantCulture))
             .Append("</td><td><code>").Append(E(e.Sha256)).Append("</code></td></tr>\n");
        p.Append("</table>\n</details>\n</section>\n");
    }

    static void Findings(StringBuilder p, IReadOnlyList<Finding> findings, string? coverageSaid)
    {
        if (findings.Count == 0)
        {
            p.Append("<p>No findings.</p>\n");
            return;
        }
        p.Append("<ul class=\"findings\">\n");
        foreach (var f in findings)
        {
            var severity = f.Severity.ToString().ToLowerInvariant();
            p.Append("<li><span class=\"sev ").Append(severity).Append("\">").Append(severity).Append("</span> ");
            if (f.Technique is not null) p.Append("<code>").Append(E(f.Technique)).Append("</code> ");
            p.Append("<b>").Append(E(f.Title)).Append("</b><br>").Append(E(f.Statement));
            if (f.Negative && f.Coverage is not null && f.Coverage != coverageSaid) p.Append("<br><i>Coverage: ").Append(E(f.Coverage)).Append("</i>");
            foreach (var e in f.Evidence)
                p.Append("<br><small>evidence ").Append(E(e.Object)).Append(" (SHA-256 <code>").Append(E(e.Sha256)).Append("</code>) lines ")
                 .Append(E(string.Join(", ", e.Lines.Order()))).Append("</small>");
            p.Append("</li>\n");
        }
        p.Append("</ul>\n");
    }

    static void Code(StringBuilder b, NotebookCell cell, int n)
    {
        var label = cell.HasTag(NotebookParameters.InjectedTag) ? "Injected parameters"
            : cell.HasTag(NotebookParameters.ParametersTag) ? "Parameters (defaults)"
            : $"Cell {n}";
        b.Append("<section class=\"cell\"><details").Append(cell.HasTag(NotebookParameters.InjectedTag) ? " open" : "").Append("><summary>")
         .Append(E(label)).Append("</summary><pre><code>").Append(E(cell.Source)).Append("</code></pre></details>\n");
        foreach (var output in cell.Outputs)
        {
            switch (output)
            {
                case DisplayOutput d:
                    Data(b, d.Data);
                    break;
                case ResultOutput r:
                    Data(b, r.Data);
                    break;
                case StreamOutput s:
                    b.Append("<pre class=\"").Append(s.Name == "stderr" ? "stderr" : "stdout").Append("\">").Append(E(s.Text)).Append("</pre>\n");
                    break;
                case ErrorOutput e:
                    b.Append("<pre class=\"error\">").Append(E($"{e.Name}: {e.Message}")).Append("</pre>\n");
                    break;
            }
        }
        b.Append("</section>\n");
    }

    /// <summary>HTML outputs as they are (our formatters encode every evidence value); anything else as encoded text.</summary>
    static void Data(StringBuilder b, IReadOnlyDictionary<string, string> data)
    {
        if (data.TryGetValue("text/html", out var html)) b.Append("<div class=\"output\">").Append(html).Append("</div>\n");
        else if (data.TryGetValue("text/plain", out var text)) b.Append("<pre class=\"output\">").Append(E(text)).Append("</pre>\n");
        else if (data.Count > 0) b.Append("<p class=\"output\"><i>(output of type ").Append(E(string.Join(", ", data.Keys.Order(StringComparer.Ordinal)))).Append(")</i></p>\n");
    }

    /// <summary>
    /// The parts of outputs that differ between equal runs made equal: each chart's plotly.js copy removed (the head
    /// has one), chart ids (content hashes, or random in older outputs) numbered in order, measured durations replaced by a pointer to the run time.
    /// </summary>
    static string Stable(string html, out bool charts)
    {
        html = html.Replace(PlotlyJs.ScriptElement(), "", StringComparison.Ordinal);
        charts = html.Contains("window.Plotly.newPlot(", StringComparison.Ordinal);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        html = ChartId().Replace(html, m =>
        {
            if (!ids.TryGetValue(m.Value, out var i)) ids[m.Value] = i = ids.Count + 1;
            return "flownb-chart-" + i.ToString(CultureInfo.InvariantCulture);
        });
        return Timing().Replace(html, m => m.Groups["open"].Value + "(see Run)" + m.Groups["close"].Value);
    }

    static string Title(NotebookRunResult run)
    {
        var heading = run.Document.Cells.Where(c => c.Kind == CellKind.Markdown)
            .SelectMany(c => c.Source.Split('\n')).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
        return heading is null ? run.NotebookName : heading[2..].Trim();
    }

    static void Row(StringBuilder p, string key, string value, string? cls = null) =>
        p.Append("<tr><th>").Append(E(key)).Append("</th><td").Append(cls is null ? "" : $" class=\"{cls}\"").Append('>').Append(E(value)).Append("</td></tr>\n");

    static string E(string s) => WebUtility.HtmlEncode(s);

    [GeneratedRegex("flownb-chart-[0-9a-f]{16}(?:[0-9a-f]{16})?")]
    private static partial Regex ChartId();

    [GeneratedRegex("""(?<open><(?<tag>span|td)\b[^>]*\bclass="flownb-timing"[^>]*>)[^<]*(?<close></\k<tag>>)""")]
    private static partial Regex Timing();

    const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
        header{border-bottom:2px solid #444;margin-bottom:1.5em;padding-bottom:1em}
        table.run th,table.grid th{text-align:left;padding:2px 10px 2px 0}
        table.grid{border-collapse:collapse}table.grid td,table.grid th{border-bottom:1px solid #ddd;padding:3px 8px}
        td.num{text-align:right}td.failed{color:#b00020;font-weight:bold}td.ok{color:#1b5e20}
        .sev{display:inline-block;min-width:5em;font-weight:bold;text-transform:uppercase;font-size:.8em}
        .sev.critical,.sev.high{color:#b00020}.sev.medium{color:#e65100}.sev.low{color:#1565c0}.sev.info{color:#555}
        ul.findings li{margin-bottom:.6em}
        section.cell{margin:1em 0}section.cell summary{color:#666;cursor:pointer;font-size:.85em}
        pre{background:#f6f8fa;padding:.6em;overflow-x:auto}pre.error,pre.stderr{background:#fdecea;color:#b00020}
        .output{overflow-x:auto}
        p,li,td,div{overflow-wrap:anywhere}
        .flownb-chart{width:100%;min-height:450px}
        details.more summary{cursor:pointer;color:#1565c0}
        section.summary{background:#f7f9fc;border:1px solid #dde3ea;padding:.2em 1em 1em;margin-bottom:1.5em}
        """;
}
