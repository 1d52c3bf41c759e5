namespace FlowNotebooks.Formats;

/// <summary>The S3 key layout an object was delivered in.</summary>
public enum KeyLayout
{
    /// <summary>Not an AWS delivery key (a file an analyst named).</summary>
    None,
    /// <summary><c>AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{MM}/{dd}/</c></summary>
    Default,
    /// <summary><c>AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{MM}/{dd}/{HH}/</c></summary>
    DefaultPerHour,
    /// <summary><c>AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/year=/month=/day=/</c></summary>
    Hive,
    /// <summary>Hive-compatible with <c>hour=</c>.</summary>
    HivePerHour,
    /// <summary>Amazon Security Lake: <c>aws/VPC_FLOW/{1.0|2.0}/region={region}/accountId={account}/eventDay={yyyyMMdd}/</c> (OCSF Parquet).</summary>
    SecurityLake,
}

/// <summary>What the S3 key (or file name) of a flow-log object tells: account, region, flow-log id and delivery time.</summary>
/// <param name="AccountId">Account from the file name (or the prefix).</param>
/// <param name="Region">Region from the file name (or the prefix).</param>
/// <param name="FlowLogId">The <c>fl-…</c> id of the flow log that wrote it.</param>
/// <param name="DeliveryTime">The <c>yyyyMMddTHHmmZ</c> stamp: the object holds records whose end time falls in the 5 minutes (or hour) from it.</param>
/// <param name="Hash">The 8-hex-digit suffix AWS adds.</param>
/// <param name="Layout">The key layout.</param>
/// <param name="Prefix">Anything before <c>AWSLogs/</c> (the bucket prefix the flow log was given).</param>
public sealed record KeyMetadata(
    string? AccountId,
    string? Region,
    string? FlowLogId,
    DateTime? DeliveryTime,
    string? Hash,
    KeyLayout Layout,
    string? Prefix)
{
    /// <summary>Security Lake's <c>eventDay=</c> partition (UTC midnight): the day its records' events fall in.</summary>
    public DateTime? EventDay { get; init; }

    /// <summary>Security Lake's source version from the key (<c>1.0</c>: OCSF 1.0.0-rc.2; <c>2.0</c>: OCSF 1.1.0).</summary>
    public string? SourceVersion { get; init; }
}
