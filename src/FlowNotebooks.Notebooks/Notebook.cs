using System.Text.Json.Nodes;

namespace FlowNotebooks.Notebooks;

/// <summary>What kind of cell: code runs on a kernel, markdown is prose, raw is passed through.</summary>
public enum CellKind
{
    Code,
    Markdown,
    Raw,
}

/// <summary>
/// A notebook as the runner sees it, whatever file it came from (.ipynb or .dib): cells in order, and the original
/// JSON metadata so an executed .ipynb keeps what the author's editor stored.
/// </summary>
public sealed class Notebook
{
    public required List<NotebookCell> Cells { get; init; }

    /// <summary>Notebook-level metadata (kernelspec, language_info, …); null for a .dib.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>nbformat minor version to write: 5 and above carry cell ids.</summary>
    public int FormatMinor { get; init; } = 5;

    /// <summary>Reads an .ipynb or .dib file.</summary>
    /// <exception cref="FormatException">Not a notebook this runner reads.</exception>
    public static Notebook Load(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".ipynb" => Ipynb.Parse(File.ReadAllText(path)),
            ".dib" => Dib.Parse(File.ReadAllText(path)),
            var other => throw new FormatException($"'{Path.GetFileName(path)}': a notebook is an .ipynb or .dib file, not '{other}'."),
        };
}

/// <summary>One cell: its source, the kernel it runs on, its tags (papermill's <c>parameters</c>), and after a run its outputs.</summary>
public sealed class NotebookCell
{
    public required CellKind Kind { get; init; }
    public required string Source { get; set; }
    /// <summary>The kernel a code cell runs on (<c>csharp</c> unless the file says otherwise).</summary>
    public string KernelName { get; init; } = "csharp";
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The cell's id (nbformat 4.5); null when the file had none.</summary>
    public string? Id { get; set; }
    /// <summary>The cell's original metadata, kept as it was.</summary>
    public JsonObject? Metadata { get; init; }
    public List<CellOutput> Outputs { get; } = [];
    /// <summary>The run's counter for code cells that ran (1, 2, …), else null.</summary>
    public int? ExecutionCount { get; set; }

    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);
}

/// <summary>One output as nbformat stores it.</summary>
public abstract record CellOutput;

/// <summary>Something the cell displayed, by MIME type (text/html, text/plain, …).</summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, string? ValueId = null) : CellOutput
{
    /// <summary>The HTML form, or null.</summary>
    public string? Html => Data.TryGetValue("text/html", out var h) ? h : null;
    /// <summary>The plain-text form, or null.</summary>
    public string? Text => Data.TryGetValue("text/plain", out var t) ? t : null;
}

/// <summary>The value of a cell's last expression (nbformat <c>execute_result</c>).</summary>
public sealed record ResultOutput(IReadOnlyDictionary<string, string> Data) : CellOutput;

/// <summary>Console output (<c>stdout</c> or <c>stderr</c>).</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>Why a cell failed.</summary>
public sealed record ErrorOutput(string Name, string Message) : CellOutput;
