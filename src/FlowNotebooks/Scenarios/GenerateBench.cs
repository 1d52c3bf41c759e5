namespace FlowNotebooks.Scenarios;

/// <summary>
/// Generation speed for the benchmark: the default scenario at a record count, S3 gzip text only, into a temporary
/// folder that is deleted afterwards. Single-threaded, so the figure is records per second per core.
/// </summary>
public static class GenerateBench
{
    public static GenerateResult GzipText(long records, int seed = ScenarioOptions.DefaultSeed, string? folder = null)
    {
        var dir = folder ?? Path.Combine(Path.GetTempPath(), $"flownb-bench-{Guid.NewGuid():N}");
        try
        {
            return CaseGenerator.Generate(ScenarioCatalog.Default, new ScenarioOptions(seed, records.ToString(System.Globalization.CultureInfo.InvariantCulture), CaseFormats.Text), dir);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Records per second of <see cref="GzipText"/> after a warm-up run.</summary>
    public static double RecordsPerSecond(long records = 5_000_000)
    {
        GzipText(200_000);
        return GzipText(records).RecordsPerSecond;
    }
}
