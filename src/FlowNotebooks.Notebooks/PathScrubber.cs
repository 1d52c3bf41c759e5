using FlowNotebooks.Procedures;

namespace FlowNotebooks.Notebooks;

/// <summary>
/// Writes this machine's absolute paths relative to the notebook's folder in everything a run writes (outputs,
/// errors, findings), so reports can be shared and compared across machines: <c>/home/ana/case/evidence/x.log</c> in
/// a notebook under <c>/home/ana/case/notebooks</c> becomes <c>../evidence/x.log</c>. Other absolute paths under the
/// user's home become <c>~/…</c>.
/// </summary>
internal sealed class PathScrubber
{
    readonly List<(string From, string To)> replacements = [];

    PathScrubber() { }

    public static PathScrubber For(string notebookFolder)
    {
        var s = new PathScrubber();
        var sep = Path.DirectorySeparatorChar;
        var up = "";
        for (var dir = new DirectoryInfo(notebookFolder); dir?.Parent is not null; dir = dir.Parent)
        {
            var full = dir.FullName.TrimEnd(sep);
            s.replacements.Add((full + sep, up));
            s.replacements.Add((full, up.Length == 0 ? "." : up.TrimEnd('/')));
            up += "../";
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile).TrimEnd(sep);
        if (home.Length > 1 && !notebookFolder.StartsWith(home + sep, StringComparison.Ordinal) && notebookFolder != home)
            s.replacements.Add((home + sep, "~/"));
        // Longest first: the notebook's own folder before its parents.
        s.replacements.Sort((a, b) => b.From.Length.CompareTo(a.From.Length));
        return s;
    }

    public string Scrub(string text)
    {
        foreach (var (from, to) in replacements)
            if (text.Contains(from, StringComparison.Ordinal)) text = text.Replace(from, to, StringComparison.Ordinal);
        return text;
    }

    public NotebookRunResult Scrub(NotebookRunResult r)
    {
        foreach (var cell in r.Document.Cells)
            for (var i = 0; i < cell.Outputs.Count; i++)
                cell.Outputs[i] = cell.Outputs[i] switch
                {
                    DisplayOutput d => d with { Data = Scrub(d.Data) },
                    ResultOutput x => x with { Data = Scrub(x.Data) },
                    StreamOutput s => s with { Text = Scrub(s.Text) },
                    ErrorOutput e => e with { Message = Scrub(e.Message) },
                    var o => o,
                };
        return new NotebookRunResult
        {
            Document = r.Document,
            NotebookName = r.NotebookName,
            Cells = r.Cells.Select(c => c with { Error = c.Error is null ? null : Scrub(c.Error) }).ToList(),
            FirstFailure = r.FirstFailure is { } f ? f with { Error = Scrub(f.Error), SourceHead = Scrub(f.SourceHead) } : null,
            Parameters = r.Parameters.Select(p => new KeyValuePair<string, string>(p.Key, Scrub(p.Value))).ToList(),
            Findings = r.Findings,
            Evidence = r.Evidence.Select(e => e with { Object = Scrub(e.Object) }).ToList(),
            ToolVersion = r.ToolVersion,
            StartedUtc = r.StartedUtc,
            Elapsed = r.Elapsed,
        };
    }

    Dictionary<string, string> Scrub(IReadOnlyDictionary<string, string> data) =>
        data.ToDictionary(d => d.Key, d => Scrub(d.Value), StringComparer.Ordinal);
}
