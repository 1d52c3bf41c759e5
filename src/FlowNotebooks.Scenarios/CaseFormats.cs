namespace FlowNotebooks.Scenarios;

/// <summary>Which delivery variants a case uses; a variant left out falls back to S3 plain text in the default key layout.</summary>
[Flags]
public enum CaseFormats
{
    /// <summary>S3 gzip text (always on).</summary>
    Text = 0,
    /// <summary>Hive-compatible S3 keys for some flow logs.</summary>
    Hive = 1,
    /// <summary>A Parquet flow log.</summary>
    Parquet = 2,
    /// <summary>Interface-level flow logs delivered to CloudWatch Logs and exported with filter-log-events.</summary>
    CloudWatch = 4,
    All = Hive | Parquet | CloudWatch,
}

public static class CaseFormatNames
{
    public static CaseFormats Parse(string list)
    {
        var result = CaseFormats.Text;
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            result |= name.ToLowerInvariant() switch
            {
                "all" => CaseFormats.All,
                "text" => CaseFormats.Text,
                "hive" => CaseFormats.Hive,
                "parquet" => CaseFormats.Parquet,
                "cloudwatch" => CaseFormats.CloudWatch,
                _ => throw new FormatException($"Unknown format '{name}': use text, hive, parquet, cloudwatch or all."),
            };
        return result;
    }

    public static string Format(CaseFormats f) =>
        f == CaseFormats.All ? "all" : string.Join(',', new[] { "text" }.Concat(new[] { CaseFormats.Hive, CaseFormats.Parquet, CaseFormats.CloudWatch }
            .Where(x => f.HasFlag(x)).Select(x => x.ToString().ToLowerInvariant())));
}
