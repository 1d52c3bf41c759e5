using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-load</c>: parameters bind by name (<c>--log-group</c> → <see cref="LogGroup"/>).</summary>
public sealed class LoadEvidence : AwsDirectiveCommand
{
    /// <summary>A file or directory tree of evidence, or s3://BUCKET/PREFIX.</summary>
    public string? Path { get; set; }

    /// <summary>Field layout for objects without a header line.</summary>
    public string? Format { get; set; }

    /// <summary>describe-flow-logs / describe-network-interfaces JSON read first.</summary>
    public string? Config { get; set; }

    /// <summary>Log group CloudWatch exports came from.</summary>
    public string? LogGroup { get; set; }

    /// <summary>Stop at the first reject.</summary>
    public bool Strict { get; set; }

    /// <summary>Parallel workers.</summary>
    public int? Workers { get; set; }

    /// <summary>Only objects whose delivery time can hold records from this UTC time on.</summary>
    public string? From { get; set; }

    /// <summary>…and before this UTC time.</summary>
    public string? To { get; set; }

    /// <summary>C# variable that receives the IngestSummary.</summary>
    public string? Name { get; set; }
}
