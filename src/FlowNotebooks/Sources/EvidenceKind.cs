namespace FlowNotebooks.Sources;

/// <summary>What an evidence object holds, decided from its name and first bytes.</summary>
public enum EvidenceKind
{
    /// <summary>Flow-log text lines (S3 .log/.log.gz with a header, Firehose plain text, exports).</summary>
    FlowText,
    /// <summary>An S3 Parquet flow log.</summary>
    FlowParquet,
    /// <summary>JSON holding flow-log records: filter-log-events / get-log-events output, subscription payloads, Firehose envelopes.</summary>
    CloudWatchJson,
    /// <summary><c>aws ec2 describe-flow-logs</c> output (the capture configuration).</summary>
    FlowLogConfig,
    /// <summary><c>aws ec2 describe-network-interfaces</c> output (the interface inventory).</summary>
    InterfaceInventory,
}
