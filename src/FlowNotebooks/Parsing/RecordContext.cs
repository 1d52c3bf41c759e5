namespace FlowNotebooks.Parsing;

/// <summary>
/// What an evidence object's delivery tells about its records beyond their own fields: a CloudWatch log stream names the
/// interface (<c>eni-…</c>) or the transit gateway attachment (<c>tgw-attach-…</c>), a subscription payload's owner is the
/// account, and a CloudWatch event timestamp or an S3 key stamp bounds the time of records that have no start or end.
/// Each value fills its flows column only when the record's layout lacks that field.
/// </summary>
internal sealed record RecordContext
{
    public string? Interface { get; init; }
    public string? TransitGatewayAttachment { get; init; }
    public string? TransitGateway { get; init; }
    public string? Account { get; init; }
    public TimeBound? Time { get; init; }

    /// <summary>Which context columns a batch of <paramref name="format"/> needs for this context.</summary>
    public ContextColumns ColumnsFor(Formats.FlowLogFormat format)
    {
        var c = ContextColumns.None;
        if (Interface is not null && !format.Has("interface-id")) c |= ContextColumns.Interface;
        if (TransitGatewayAttachment is not null && !format.Has("tgw-attachment-id")) c |= ContextColumns.TransitGatewayAttachment;
        if (TransitGateway is not null && !format.Has("tgw-id")) c |= ContextColumns.TransitGateway;
        if (Account is not null && !format.Has("account-id")) c |= ContextColumns.Account;
        if (Time is not null && !format.Has("start") && !format.Has("end")) c |= ContextColumns.TimeBound;
        return c;
    }
}

/// <summary>
/// Bounds of a record's time from its delivery rather than its fields: the record's traffic lies within [Start, End).
/// </summary>
/// <param name="Source">Where the bound came from, in the analyst's words (the flows column <c>time_source</c>).</param>
internal readonly record struct TimeBound(long StartMicros, long EndMicros, string Source)
{
    public long Seconds => (EndMicros - StartMicros) / 1_000_000;

    /// <summary>The most time one record can span: the longest aggregation interval AWS offers (10 minutes).</summary>
    public const long MaxIntervalSeconds = 600;

    /// <summary>A CloudWatch event timestamp is the record's start (AWS: the event time is the flow's start); its end lies within one aggregation interval.</summary>
    public static TimeBound FromCloudWatch(long timestampMs, long intervalSeconds = MaxIntervalSeconds) =>
        new(timestampMs * 1000, (timestampMs + intervalSeconds * 1000) * 1000, "cloudwatch event timestamp");

    /// <summary>
    /// An S3 object stamped T holds records whose end falls in [T, T + 5 min) (or the hour for per-hour keys); their start
    /// can be one aggregation interval earlier.
    /// </summary>
    public static TimeBound FromS3Stamp(DateTime stamp, bool hourly, long intervalSeconds = MaxIntervalSeconds)
    {
        var t = (stamp.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10;
        var width = hourly ? 3600L : 300L;
        return new(t - intervalSeconds * 1_000_000, t + width * 1_000_000, hourly ? "s3 key stamp (hourly)" : "s3 key stamp (5 min)");
    }
}

/// <summary>The columns a batch carries besides its format's fields, filled from a <see cref="RecordContext"/>.</summary>
[Flags]
internal enum ContextColumns
{
    None = 0,
    Interface = 1,
    TransitGatewayAttachment = 2,
    TransitGateway = 4,
    Account = 8,
    TimeBound = 16,
}
