using System.Globalization;
using System.Net;
using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Html;

/// <summary>Small key/value cards for a case, a load and a running load. Every value is HTML-encoded: object names,
/// reject reasons and paths come from evidence.</summary>
public static class SummaryCards
{
    const int ListedItems = 5;

    /// <summary>Class of the elements holding a measured duration: the one thing in a card that differs between two
    /// runs on the same evidence (case reports set it apart to stay comparable).</summary>
    public const string TimingClass = "flownb-timing";

    const string LoadTime = "Load time";

    /// <summary>HTML card for a case.</summary>
    public static string CaseHtml(CaseSummary s) => Card($"Case: {s.Path ?? "in memory"}", CaseRows(s));

    /// <summary>Text card for a case.</summary>
    public static string CaseText(CaseSummary s) => Text($"Case: {s.Path ?? "in memory"}", CaseRows(s));

    /// <summary>HTML card for a finished load.</summary>
    public static string LoadHtml(IngestSummary s) => Card("Load finished", LoadRows(s));

    /// <summary>Text card for a finished load.</summary>
    public static string LoadText(IngestSummary s) => Text("Load finished", LoadRows(s));

    /// <summary>One line with a progress bar for a running load.</summary>
    public static string ProgressHtml(IngestProgress p) =>
        ProgressLine(p.ObjectsDone, p.ObjectsTotal, p.Finished ? "Loaded" : "Loading", p.ToString(), p.Elapsed);

    /// <summary>One line with a progress bar for a running acquisition (objects, bytes, records, throttles).</summary>
    public static string AcquisitionProgressHtml(AcquisitionProgress p) =>
        ProgressLine(p.ObjectsDone, p.ObjectsTotal, p.Finished ? "Acquired" : "Acquiring", p.ToString(), p.Elapsed);

    /// <summary>HTML card for a finished collection.</summary>
    public static string CollectionHtml(CollectionResult r) => Card($"Collected {r.Target}", CollectionRows(r));

    /// <summary>Text card for a finished collection.</summary>
    public static string CollectionText(CollectionResult r) => Text($"Collected {r.Target}", CollectionRows(r));

    static string ProgressLine(int done, int total, string verb, string text, TimeSpan elapsed) =>
        $"<div class=\"flownb-progress\"><progress value=\"{done}\" max=\"{Math.Max(1, total)}\"></progress> " +
        $"{verb}: {E(Untimed(text, elapsed))}, <span class=\"{TimingClass}\">{elapsed.TotalSeconds:N1} s</span></div>";

    /// <summary>The progress text without its trailing duration.</summary>
    static string Untimed(string text, TimeSpan elapsed)
    {
        var timing = $", {elapsed.TotalSeconds:N1} s";
        return text.EndsWith(timing, StringComparison.Ordinal) ? text[..^timing.Length] : text;
    }

    static IEnumerable<(string, string)> CollectionRows(CollectionResult r)
    {
        yield return ("Objects", N(r.Objects));
        if (r.Downloaded > 0 || r.Verified > 0)
        {
            yield return ("  downloaded", N(r.Downloaded));
            yield return ("  already complete and verified", N(r.Verified));
        }
        yield return ("Bytes", $"{N(r.Bytes)} ({r.Bytes / 1048576.0:N1} MiB)");
        yield return ("Records (events, descriptions)", N(r.Records));
        yield return ("Throttled calls", N(r.Throttles));
        if (r.Retries > r.Throttles) yield return ("Other retries", N(r.Retries - r.Throttles));
        foreach (var part in r.Parts) yield return ("  part", part.Summary);
        foreach (var note in r.Parts.SelectMany(p => p.Notes).Take(ListedItems)) yield return ("  note", note);
        yield return ("Evidence folder", r.Folder);
        yield return ("Manifest", r.Manifest);
        if (r.Custody is { Runs.Count: > 0 } custody)
        {
            var run = custody.Runs[^1];
            yield return ("Custody record", r.CustodyFile);
            yield return ("  collected by", string.Join("; ", run.Principals.Select(p => p.Arn ?? $"unknown ({p.Error})")) + $" (local user {run.LocalUser} on {run.Host})");
            yield return ("  collected at (UTC)", run.CollectedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            yield return ("  manifest SHA-256", custody.ManifestSha256);
        }
    }

    static IEnumerable<(string, string)> CaseRows(CaseSummary s) =>
    [
        ("Evidence objects", N(s.EvidenceObjects)),
        ("Flow records", N(s.Flows)),
        ("Rejected lines", N(s.Rejects)),
        ("Interfaces", N(s.Interfaces)),
        ("Flow logs described", N(s.FlowLogs)),
        ("Time range (UTC)", Range(s.FirstTime, s.LastTime)),
    ];

    static IEnumerable<(string, string)> LoadRows(IngestSummary s)
    {
        yield return ("Objects loaded", N(s.Objects));
        if (s.Duplicates > 0) yield return ("Already in the case", N(s.Duplicates));
        yield return ("Flow records", N(s.Records));
        yield return ("Rejected lines", N(s.Rejects));
        foreach (var (reason, count) in s.RejectReasons.Take(ListedItems)) yield return ("  rejected", $"{N(count)}: {reason}");
        yield return ("Interfaces", N(s.Interfaces));
        yield return ("Time range (UTC)", Range(s.FirstTime, s.LastTime));
        foreach (var note in IngestNotes.Times(s)) yield return ("  times", note);
        foreach (var (format, objects) in s.Formats.Take(ListedItems)) yield return ("  format", $"{N(objects)} objects: {format}");
        if (s.Throttles > 0) yield return ("Throttled AWS calls", N(s.Throttles));
        if (s.Skipped.Count > 0) yield return ("Files passed over", N(s.Skipped.Count) + ": " + string.Join("; ", s.Skipped.Take(ListedItems)) + (s.Skipped.Count > ListedItems ? "; …" : ""));
        yield return ("Read", $"{s.Bytes / 1048576.0:N1} MiB");
        yield return (LoadTime, $"{s.Elapsed.TotalSeconds:N1} s");
    }

    static string Card(string title, IEnumerable<(string Key, string Value)> rows)
    {
        var sb = new StringBuilder("<div class=\"flownb-card\"><b>").Append(E(title)).Append("</b><table>");
        foreach (var (k, v) in rows)
            sb.Append("<tr><th style=\"text-align:left\">").Append(E(k)).Append("</th><td style=\"text-align:right\"")
              .Append(k == LoadTime ? $" class=\"{TimingClass}\"" : "").Append('>').Append(E(v)).Append("</td></tr>");
        return sb.Append("</table></div>").ToString();
    }

    static string Text(string title, IEnumerable<(string Key, string Value)> rows)
    {
        var list = rows.ToList();
        var width = list.Max(r => r.Key.Length);
        return title + "\n" + string.Concat(list.Select(r => $"  {r.Key.PadRight(width)}  {r.Value}\n"));
    }

    static string Range(DateTime? first, DateTime? last) =>
        first is null ? "(no flows)" : $"{CellText.Format(first)} – {CellText.Format(last)}";

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static string E(string s) => WebUtility.HtmlEncode(s);
}
