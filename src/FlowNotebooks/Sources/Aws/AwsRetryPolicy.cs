namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// Retries with capped exponential backoff and full jitter (sleep a random time in [0, min(cap, base·2^attempt)]), the
/// scheme AWS recommends so that many clients throttled together do not come back in lockstep. What is retried is
/// decided by <see cref="AwsErrors.IsRetryable"/>: throttling, 5xx, timeouts and broken connections.
/// </summary>
public sealed record AwsRetryPolicy
{
    public static readonly AwsRetryPolicy Default = new();

    /// <summary>Attempts in all (first try included).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Backoff base.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Backoff cap.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Random source for the jitter (tests seed it).</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan Delay(int retry)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromMilliseconds(ceiling * Random());
    }

    /// <summary>Runs an AWS call, retrying what is transient; <paramref name="onRetry"/> hears each retry (for progress counts).</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, Action<Exception>? onRetry, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancel).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < MaxAttempts && !cancel.IsCancellationRequested && AwsErrors.IsRetryable(ex))
            {
                onRetry?.Invoke(ex);
                await Task.Delay(Delay(attempt), cancel).ConfigureAwait(false);
            }
        }
    }
}
