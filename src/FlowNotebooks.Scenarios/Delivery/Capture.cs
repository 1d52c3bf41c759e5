using FlowNotebooks.Formats;
using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Delivery;

public enum CaptureDestination { S3Text, S3Parquet, CloudWatch }

/// <summary>One flow log: what it watches (VPC, subnet or interface), its format and where AWS delivers it.</summary>
public sealed record Capture
{
    public required string FlowLogId { get; init; }
    /// <summary>vpc-…, subnet-… or eni-….</summary>
    public required string ResourceId { get; init; }
    public required FlowLogFormat Format { get; init; }
    public CaptureDestination Destination { get; init; } = CaptureDestination.S3Text;
    public KeyLayout Layout { get; init; } = KeyLayout.Default;
    /// <summary>How much time one S3 object covers: AWS writes every 5 minutes; 60 keeps small cases to fewer files.</summary>
    public int ObjectMinutes { get; init; } = 60;
    public string TrafficType { get; init; } = "ALL";
    public int MaxAggregationInterval { get; init; } = 600;
    public string Bucket { get; init; } = "";
    public string? Prefix { get; init; }
    public string? LogGroup { get; init; }
    public DateTime CreationTime { get; init; }
    /// <summary>When set, describe-flow-logs reports DeliverLogsStatus FAILED with this DeliverLogsErrorMessage.</summary>
    public string? DeliveryError { get; init; }

    public bool Watches(Workload w) =>
        w.InterfaceId is not null && (ResourceId == w.InterfaceId || ResourceId == w.Subnet.Id || ResourceId.StartsWith("vpc-", StringComparison.Ordinal));
}

/// <summary>Records a flow log dropped for one interface (SKIPDATA records stand in for them).</summary>
public sealed record SkipWindow(Capture Capture, Workload Interface, DateTime Start, DateTime End);

/// <summary>A delivery period of a flow log for which no object exists.</summary>
public sealed record MissingDelivery(Capture Capture, DateTime Start, DateTime End);
