using FlowNotebooks.Procedures;

namespace FlowNotebooks.Notebooks;

/// <summary>What happened to one cell.</summary>
public enum CellStatus
{
    /// <summary>Markdown or raw: nothing to run.</summary>
    Prose,
    Succeeded,
    Failed,
    TimedOut,
    /// <summary>After a failure (the run stopped there).</summary>
    NotRun,
}

/// <summary>One cell's outcome: its index in the executed notebook (0-based), status, duration and error.</summary>
public sealed record CellOutcome(int Index, CellStatus Status, TimeSpan Duration, string? Error);

/// <summary>The first cell that failed: where (0-based index in the executed notebook, first source line) and why.</summary>
public sealed record CellFailure(int Index, string SourceHead, string Error, bool TimedOut)
{
    /// <summary>One message naming the cell, for the analyst.</summary>
    public override string ToString() =>
        $"Cell {Index + 1} {(TimedOut ? "timed out" : "failed")} ({SourceHead}): {Error}";
}

/// <summary>One evidence object of the case the notebook worked on (its <c>evidence</c> table).</summary>
public sealed record EvidenceEntry(int EvidenceId, string Object, string Kind, long Size, string Sha256, long Records);

/// <summary>A finished run: the executed notebook, per-cell outcomes, findings and the case's evidence manifest.</summary>
public sealed class NotebookRunResult
{
    /// <summary>The notebook with outputs (and the injected-parameters cell, if any).</summary>
    public required Notebook Document { get; init; }
    /// <summary>The notebook's file name (no folder).</summary>
    public required string NotebookName { get; init; }
    public required IReadOnlyList<CellOutcome> Cells { get; init; }
    /// <summary>Null when every cell succeeded.</summary>
    public CellFailure? FirstFailure { get; init; }
    public bool Succeeded => FirstFailure is null;
    /// <summary>Parameters as handed to the notebook (paths relative to its folder), in the order given.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }
    /// <summary>Procedure results and findings the notebook recorded.</summary>
    public required FindingsLog Findings { get; init; }
    /// <summary>The evidence manifest of the case open at the end (empty when none was).</summary>
    public required IReadOnlyList<EvidenceEntry> Evidence { get; init; }
    /// <summary>flownb's version (with its commit when built from a clone).</summary>
    public required string ToolVersion { get; init; }
    public required DateTime StartedUtc { get; init; }
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The executed notebook as .ipynb JSON.</summary>
    public string NotebookJson() => Ipynb.Write(Document);
}
