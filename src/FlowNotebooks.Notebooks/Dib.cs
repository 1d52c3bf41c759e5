namespace FlowNotebooks.Notebooks;

/// <summary>
/// Polyglot Notebooks' .dib: plain text, each cell starting with a line naming its kernel (<c>#!csharp</c>,
/// <c>#!markdown</c>), an optional <c>#!meta</c> JSON cell first. A .dib has no cell tags: a code cell whose first
/// line is <c>// parameters</c> is the parameters cell.
/// </summary>
public static class Dib
{
    /// <summary>Kernel names that start a cell. Others (e.g. <c>#!flow-sql</c>) are magics inside a C# cell.</summary>
    static readonly HashSet<string> CellKernels = new(StringComparer.Ordinal)
    {
        "csharp", "c#", "C#", "fsharp", "f#", "F#", "pwsh", "powershell", "markdown", "md", "javascript", "js", "html",
        "sql", "kql", "mermaid", "value", "http", "meta",
    };

    /// <summary>Parses .dib text.</summary>
    public static Notebook Parse(string text)
    {
        var cells = new List<NotebookCell>();
        string? kernel = null;
        var lines = new List<string>();
        void Flush()
        {
            if (kernel is null or "meta")
            {
                lines.Clear();
                return;
            }
            var source = string.Join("\n", Trim(lines));
            lines.Clear();
            var markdown = kernel is "markdown" or "md";
            if (source.Length == 0 && !markdown) return;
            cells.Add(new NotebookCell
            {
                Kind = markdown ? CellKind.Markdown : CellKind.Code,
                Source = source,
                KernelName = KernelAlias(kernel),
                Tags = !markdown && IsParametersComment(source) ? ["parameters"] : [],
            });
        }
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("#!", StringComparison.Ordinal) && CellKernels.Contains(line[2..]))
            {
                Flush();
                kernel = line[2..];
                continue;
            }
            // Text before the first kernel line belongs to a C# cell (what the hosts assume).
            kernel ??= "csharp";
            lines.Add(raw.TrimEnd('\r'));
        }
        Flush();
        return new Notebook { Cells = cells, Metadata = null, FormatMinor = 5 };
    }

    /// <summary>The canonical kernel name for an alias.</summary>
    internal static string KernelAlias(string name) => name switch
    {
        "c#" or "C#" or "cs" => "csharp",
        "f#" or "F#" => "fsharp",
        "md" => "markdown",
        "powershell" => "pwsh",
        "js" => "javascript",
        _ => name,
    };

    /// <summary>True when a cell's first line is the comment <c>// parameters</c> (how .dib files, which have no
    /// cell tags, mark papermill's parameters cell; .ipynb files may use either).</summary>
    internal static bool IsParametersComment(string source)
    {
        var first = source.Split('\n', 2)[0].Trim();
        return first.Equals("// parameters", StringComparison.OrdinalIgnoreCase);
    }

    static IEnumerable<string> Trim(List<string> lines)
    {
        var start = 0;
        var end = lines.Count;
        while (start < end && lines[start].Trim().Length == 0) start++;
        while (end > start && lines[end - 1].Trim().Length == 0) end--;
        return lines.Skip(start).Take(end - start);
    }
}
