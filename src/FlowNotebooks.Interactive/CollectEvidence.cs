namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-collect</c>: parameters bind by name (<c>--stream-prefix</c> → <see cref="StreamPrefix"/>).</summary>
public sealed class CollectEvidence : AwsDirectiveCommand
{
    /// <summary>s3://BUCKET[/PREFIX], cloudwatch://LOG-GROUP or ec2.</summary>
    public string? Target { get; set; }

    /// <summary>Evidence folder (a re-run over it resumes).</summary>
    public string? Out { get; set; }

    /// <summary>Window start, UTC.</summary>
    public string? From { get; set; }

    /// <summary>Window end, UTC, exclusive.</summary>
    public string? To { get; set; }

    /// <summary>CloudWatch: only these log streams.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(OneOrMany))]
    public string[]? Stream { get; set; }

    /// <summary>CloudWatch: only streams starting with this.</summary>
    public string? StreamPrefix { get; set; }

    /// <summary>Parallel S3 downloads.</summary>
    public int? Workers { get; set; }

    /// <summary>C# variable that receives the CollectionResult.</summary>
    public string? Name { get; set; }
}
