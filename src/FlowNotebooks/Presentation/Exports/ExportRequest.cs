namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// What to export: <see cref="Source"/> <c>journeys</c> (the counted journeys, <see cref="CountedJourneys"/>) or a
/// procedure's name (its main table, the side table <see cref="Table"/>, or with <see cref="Findings"/> its findings),
/// with parameters as the procedure or <see cref="CountedJourneys.Parameters"/> take them (text as typed, or typed values).
/// </summary>
public sealed record ExportRequest(ExportFormat Format, string Source = ExportRequest.Journeys)
{
    /// <summary>The source name of the counted journeys.</summary>
    public const string Journeys = "journeys";

    /// <summary>Parameters by name (from, to, … as the source takes them).</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();
    /// <summary>The procedure's findings instead of a table.</summary>
    public bool Findings { get; init; }
    /// <summary>A side table of the procedure's result by name (null: the main table).</summary>
    public string? Table { get; init; }

    /// <summary>True when the source is the counted journeys.</summary>
    public bool IsJourneys => string.Equals(Source.Trim(), Journeys, StringComparison.OrdinalIgnoreCase);
}

/// <summary>What an export wrote: the file and its provenance sidecar, the rows, the file's SHA-256 and, for journeys,
/// the bytes and packets it carries (to check against the case).</summary>
public sealed record ExportSummary(string Path, string ProvenancePath, long Rows, string Sha256, long? Bytes, long? Packets);
