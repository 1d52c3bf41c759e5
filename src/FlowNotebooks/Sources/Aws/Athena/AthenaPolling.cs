namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>
/// How often GetQueryExecution is asked while a query is queued or running: a growing interval (first, times
/// <see cref="Factor"/>, up to <see cref="Max"/>), as the JDBC drivers do, because GetQueryExecution is rate-limited per
/// account and most forensic queries take seconds to minutes.
/// </summary>
public sealed record AthenaPolling
{
    public static readonly AthenaPolling Default = new();

    public TimeSpan First { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(5);
    public double Factor { get; init; } = 1.6;

    /// <summary>The wait before poll number <paramref name="poll"/> (1-based).</summary>
    public TimeSpan Delay(int poll) =>
        TimeSpan.FromMilliseconds(Math.Min(Max.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(Factor, Math.Min(poll - 1, 40))));
}
