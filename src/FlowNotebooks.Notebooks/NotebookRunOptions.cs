namespace FlowNotebooks.Notebooks;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Longest a single cell may run before the run stops and names it.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stop at the first failed cell (default), or run the rest and report every failure.</summary>
    public bool StopOnError { get; init; } = true;

    /// <summary>The folder relative paths in cells resolve against; default the notebook's own folder (as dotnet-repl
    /// and Jupyter run it), so a template's <c>../samples-generated/…</c> means the same in every host.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where the analyst typed the command: a parameter value naming an existing file or folder from here is
    /// handed to the notebook relative to <see cref="WorkingDirectory"/>. Default: the process's current folder.</summary>
    public string? CallerDirectory { get; init; }

    /// <summary>False (default): absolute paths of this machine are written relative to the notebook's folder in the
    /// executed notebook, report and findings. True keeps them as they are.</summary>
    public bool KeepAbsolutePaths { get; init; }

    /// <summary>One line per cell as it starts and ends (the CLI prints them to stderr).</summary>
    public IProgress<string>? Progress { get; init; }
}
