using System.Globalization;
using System.Text;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>A run the cost guard stopped before anything was sent to Athena.</summary>
public sealed class AthenaScanRefusedException(string message, AthenaScanEstimate estimate) : Exception(message)
{
    public AthenaScanEstimate Estimate { get; } = estimate;
}

/// <summary>What the guard let through, and the line to report with the run.</summary>
/// <param name="EstimatedUsd">Engine 3's charge for the estimated bytes; null on the DuckDB engine (billed per DPU, not per byte).</param>
public sealed record AthenaCostCheck(AthenaScanEstimate Estimate, long MaxScanBytes, long? WorkGroupCutoffBytes, decimal? EstimatedUsd, string Summary);

/// <summary>
/// Stops a run whose partitions hold more than the analyst allowed (<c>--max-scan</c>, 50 GB unless raised) or more than
/// the workgroup's per-query cutoff (Athena would cancel it part-way, after billing what it read), before any query is
/// sent; otherwise says what the run will read and what that costs. The estimate is the size of every object under the
/// partitions the window's predicate selects: an upper bound for text (Athena reads whole gzip objects) and well above
/// what Parquet's column pruning reads.
/// </summary>
public static class AthenaCostGuard
{
    public const string DefaultMaxScan = "50GB";
    public static readonly long DefaultMaxScanBytes = AthenaSizes.Parse(DefaultMaxScan);

    // Engine 3 pricing: "$5.00 per TB of data scanned", "rounded up to the nearest megabyte, with a 10 MB minimum per
    // query" (AWS, https://aws.amazon.com/athena/pricing/ — retrieved as quoted in athena.guide "Athena Basics: Pricing
    // Model" and rcpedia.stanford.edu/services/athena.html, since the AWS page itself was not in the searchable corpus).
    // Units are read as decimal (1 TB = 10^6 MB). The DuckDB engine (Preview) bills DPUs instead.
    const decimal UsdPerTerabyte = 5.00m;
    const long MinimumBilledMegabytes = 10;

    /// <summary>Engine 3's charge for one query scanning <paramref name="bytes"/>.</summary>
    public static decimal EstimateUsd(long bytes)
    {
        var megabytes = Math.Max(MinimumBilledMegabytes, (bytes + 999_999) / 1_000_000);
        return megabytes * UsdPerTerabyte / 1_000_000m;
    }

    /// <summary>Lists the window's partitions, reads the workgroup's cutoff (GetWorkGroup) and checks the run against both.</summary>
    /// <exception cref="AthenaScanRefusedException">Above --max-scan or above the workgroup's per-query cutoff.</exception>
    public static async Task<AthenaCostCheck> CheckAsync(IAthenaFlowTable table, DateTimeOffset from, DateTimeOffset to, long maxScanBytes,
        AthenaClient? client, string? workGroupName, AthenaEngine engine, CancellationToken cancel)
    {
        var estimate = await table.EstimateScanAsync(from, to, cancel).ConfigureAwait(false);
        AthenaWorkGroup? workGroup = client is not null && workGroupName is not null ? await client.GetWorkGroupAsync(workGroupName, cancel).ConfigureAwait(false) : null;
        return Check(estimate, maxScanBytes, workGroup, engine);
    }

    /// <summary>Checks a run of <paramref name="statements"/> statements, each reading every object of
    /// <paramref name="estimate"/> (Athena re-reads the partitions for every query): the run's total against --max-scan,
    /// each query against the workgroup's per-query cutoff.</summary>
    /// <exception cref="AthenaScanRefusedException">Above --max-scan or above the workgroup's per-query cutoff.</exception>
    public static AthenaCostCheck Check(AthenaScanEstimate estimate, long maxScanBytes, AthenaWorkGroup? workGroup, AthenaEngine engine, int statements = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statements, 1);
        var cutoff = workGroup?.BytesScannedCutoffPerQuery;
        var total = estimate.Bytes * statements;
        decimal? usd = engine == AthenaEngine.Trino ? EstimateUsd(estimate.Bytes) * statements : null;
        var listed = $"about {AthenaSizes.Format(estimate.Bytes)} in {estimate.Objects} objects under {estimate.PartitionPrefixes.Count} partition folders";
        var what = statements == 1 ? listed : $"{listed}, read by each of its {statements} statements: about {AthenaSizes.Format(total)} in all";
        var cost = usd is { } u
            ? $"estimated cost on Athena engine 3: ${u.ToString("0.######", CultureInfo.InvariantCulture)} (USD 5 per TB scanned, 10 MB minimum per query)"
            : "the DuckDB engine bills DPU time, not bytes: no byte-based cost estimate";
        if (total > maxScanBytes)
            throw new AthenaScanRefusedException(
                $"Refused before sending anything to Athena: the window's partitions hold {what}, above --max-scan {AthenaSizes.Format(maxScanBytes)}; {cost}.\n" +
                $"Partitions read: {Partitions(estimate)}\n" +
                $"To run it anyway, raise the limit with --max-scan {Suggest(total)} (or narrow the window).", estimate);
        if (cutoff is { } c && estimate.Bytes > c)
            throw new AthenaScanRefusedException(
                $"Refused before sending anything to Athena: the window's partitions hold {listed}, above workgroup {workGroup!.Name}'s per-query cutoff of {AthenaSizes.Format(c)} " +
                $"(BytesScannedCutoffPerQuery): Athena would cancel the query part-way and still bill what it had read.\nPartitions read: {Partitions(estimate)}\n" +
                "Narrow the window, or run in a workgroup with a higher per-query limit.", estimate);
        var summary = new StringBuilder($"Athena scan estimate: {what} (limit --max-scan {AthenaSizes.Format(maxScanBytes)}");
        summary.Append(cutoff is { } wc ? $"; workgroup {workGroup!.Name} cuts queries off at {AthenaSizes.Format(wc)}" : workGroup is not null ? $"; workgroup {workGroup.Name} sets no per-query cutoff" : "");
        summary.Append("); ").Append(cost).Append('.');
        return new AthenaCostCheck(estimate, maxScanBytes, cutoff, usd, summary.ToString());
    }

    /// <summary>Several tables read by one statement (a UNION of their records): their listings together.</summary>
    public static AthenaScanEstimate Together(IEnumerable<AthenaScanEstimate> estimates)
    {
        var all = estimates.ToList();
        return new AthenaScanEstimate(all.Sum(e => e.Bytes), all.Sum(e => e.Objects), all.SelectMany(e => e.PartitionPrefixes).Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The first partition folders and how many more (a month of several accounts is hundreds).</summary>
    static string Partitions(AthenaScanEstimate e)
    {
        const int shown = 6;
        var list = string.Join(", ", e.PartitionPrefixes.Take(shown));
        return e.PartitionPrefixes.Count > shown ? $"{list}, … and {e.PartitionPrefixes.Count - shown} more" : list;
    }

    /// <summary>A round limit just above the estimate, in the largest unit that keeps it a whole number.</summary>
    static string Suggest(long bytes)
    {
        foreach (var (unit, size) in new[] { ("TB", 1_000_000_000_000L), ("GB", 1_000_000_000L), ("MB", 1_000_000L), ("KB", 1_000L) })
            if (bytes >= size) return ((bytes + size - 1) / size).ToString(CultureInfo.InvariantCulture) + unit;
        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }
}
