namespace FlowNotebooks.Presentation.Exports;

/// <summary>What an export writes.</summary>
public enum ExportFormat
{
    /// <summary>OCSF 1.1.0 Network Activity, one JSON event per line (<c>ocsf-jsonl</c>).</summary>
    OcsfJsonLines,
    /// <summary>OCSF 1.1.0 Network Activity as Parquet, as a Security Lake custom source takes it (<c>ocsf-parquet</c>).</summary>
    OcsfParquet,
    /// <summary>A Timesketch timeline as CSV (<c>timesketch-csv</c>).</summary>
    TimesketchCsv,
    /// <summary>A Timesketch timeline as JSON lines (<c>timesketch-jsonl</c>).</summary>
    TimesketchJsonLines,
    /// <summary>The table as CSV (<c>csv</c>).</summary>
    Csv,
    /// <summary>The table as Parquet (<c>parquet</c>).</summary>
    Parquet,
}

/// <summary>The formats by the names every face uses.</summary>
public static class ExportFormats
{
    /// <summary>Name → format.</summary>
    public static IReadOnlyDictionary<string, ExportFormat> ByName { get; } = new SortedDictionary<string, ExportFormat>(StringComparer.Ordinal)
    {
        ["ocsf-jsonl"] = ExportFormat.OcsfJsonLines,
        ["ocsf-parquet"] = ExportFormat.OcsfParquet,
        ["timesketch-csv"] = ExportFormat.TimesketchCsv,
        ["timesketch-jsonl"] = ExportFormat.TimesketchJsonLines,
        ["csv"] = ExportFormat.Csv,
        ["parquet"] = ExportFormat.Parquet,
    };

    /// <summary>The names, for help and messages.</summary>
    public static string Names => string.Join(", ", ByName.Keys);

    /// <summary>The format of a name (case insensitive).</summary>
    /// <exception cref="FormatException">No such format (the message lists them).</exception>
    public static ExportFormat Parse(string name) =>
        ByName.TryGetValue(name.Trim().ToLowerInvariant(), out var f) ? f : throw new FormatException($"No export format '{name}'. Formats: {Names}.");

    /// <summary>The name of a format.</summary>
    public static string Name(ExportFormat format) => ByName.First(p => p.Value == format).Key;
}
