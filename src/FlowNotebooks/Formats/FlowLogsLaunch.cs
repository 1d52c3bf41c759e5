namespace FlowNotebooks.Formats;

/// <summary>When VPC Flow Logs began: no flow-log record can be older (a record that claims to be is a clock or producer error).</summary>
public static class FlowLogsLaunch
{
    /// <summary>2015-06-10, the AWS What's New announcement "Amazon VPC Flow Logs" (and the AWS blog post of that day).</summary>
    public static readonly DateTime Date = new(2015, 6, 10, 0, 0, 0, DateTimeKind.Utc);
}
