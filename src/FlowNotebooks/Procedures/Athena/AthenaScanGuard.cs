using FlowNotebooks.Sources.Aws.Athena;

using static System.FormattableString;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>Refuses a run whose estimated scan is above the limit. The client branch's AthenaCostGuard words this
/// refusal for every Athena statement; when both are in main this method is the one place to point at it.</summary>
public static class AthenaScanGuard
{
    /// <summary>The default limit (50 GB, powers of 1000).</summary>
    public const long DefaultMaxScanBytes = 50_000_000_000;

    /// <exception cref="InvalidOperationException">The estimate is above <paramref name="maxScanBytes"/> (the message gives the
    /// estimate, the partitions and how to raise the limit).</exception>
    public static void Check(AthenaScanEstimate estimate, long maxScanBytes)
    {
        if (estimate.Bytes <= maxScanBytes) return;
        throw new InvalidOperationException(Invariant(
            $"Refused: the window reads about {estimate.Bytes:N0} bytes in {estimate.Objects:N0} objects under {estimate.PartitionPrefixes.Count} partition(s) ")
            + Invariant($"({string.Join(", ", estimate.PartitionPrefixes.Take(5))}{(estimate.PartitionPrefixes.Count > 5 ? ", …" : "")}), above --max-scan {maxScanBytes:N0}. ")
            + "Narrow the window (--param from=… to=…) or raise the limit, e.g. --max-scan 200GB.");
    }
}
