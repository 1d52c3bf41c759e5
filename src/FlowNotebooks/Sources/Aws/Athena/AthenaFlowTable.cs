using FlowNotebooks.Input;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>
/// A flow-log table made by <see cref="AthenaDdl"/>: the partition predicate a statement needs for its window, and
/// what that window will read, from an S3 listing of exactly the partition folders the predicate selects.
/// </summary>
public sealed class AthenaFlowTable(AthenaFlowTableDefinition definition, AwsSettings settings, string? bucketRegion = null) : IAthenaFlowTable
{
    /// <summary>How far the partitions read reach beyond the window on each side: object keys carry the delivery time,
    /// so a record from just before midnight can sit in the next day's folder (and clocks and aggregation intervals
    /// blur the edge the other way).</summary>
    public static readonly int PaddingDays = 1;

    public AthenaFlowTableDefinition Definition { get; } = definition;
    public string Database => Definition.Database;
    public string Table => Definition.Table;

    /// <summary>The days whose partitions a window reads: its UTC days, padded by <see cref="PaddingDays"/> on each side.</summary>
    /// <exception cref="WindowException">The window is empty or reversed.</exception>
    public static (DateOnly First, DateOnly Last) Days(DateTimeOffset from, DateTimeOffset to)
    {
        TimeWindow.CheckOrder(from.UtcDateTime, to.UtcDateTime);
        var first = DateOnly.FromDateTime(from.UtcDateTime).AddDays(-PaddingDays);
        var last = DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1)).AddDays(PaddingDays);
        return (first, last);
    }

    /// <summary>The day-partition range of the padded window. Day values are fixed-width text in both layouts, so string
    /// order is day order and the comparison reads alike in Trino and in DuckDB (both engines get the same text);
    /// projection prunes to these days before any object is opened. Rows of a table that shares its folders with other
    /// text formats are kept to <see cref="AthenaFlowTableDefinition.FlowLogIds"/> by the statement (on <c>"$path"</c>),
    /// not here: this predicate is on partition columns only.</summary>
    public string PartitionPredicate(DateTimeOffset from, DateTimeOffset to, AthenaEngine engine)
    {
        var (first, last) = TableDays(from, to);
        return $"\"{AthenaFlowTableDefinition.DayColumn}\" >= '{Definition.DayValue(first)}' AND \"{AthenaFlowTableDefinition.DayColumn}\" <= '{Definition.DayValue(last)}'";
    }

    /// <summary>The padded days, refusing a window that ends before the first projected day: Athena would answer it with
    /// no rows, which must not read as "nothing happened".</summary>
    (DateOnly First, DateOnly Last) TableDays(DateTimeOffset from, DateTimeOffset to)
    {
        var days = Days(from, to);
        if (DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1)) < Definition.FirstDay)
            throw new WindowException($"The window ends before table {Database}.{Table} projects any day (its flow logs were created on " +
                $"{Definition.FirstDay:yyyy-MM-dd}): Athena would return no rows. Choose a later window, or read older objects from S3 with flownb collect.");
        return days;
    }

    /// <summary>The partition folders a window reads: every account × region × padded day (hours lie under the day).</summary>
    public IReadOnlyList<string> PartitionPrefixes(DateTimeOffset from, DateTimeOffset to)
    {
        var (first, last) = TableDays(from, to);
        var prefixes = new List<string>();
        foreach (var account in Definition.Accounts)
            foreach (var region in Definition.Regions)
                for (var d = first; d <= last; d = d.AddDays(1))
                    prefixes.Add(Definition.DayPrefix(account, region, d));
        return prefixes;
    }

    public async Task<AthenaScanEstimate> EstimateScanAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var prefixes = PartitionPrefixes(from, to);
        using var s3 = AwsClients.S3(settings, bucketRegion ?? settings.ResolveRegion());
        var finder = new S3ObjectFinder(s3, settings.Retry);
        long bytes = 0;
        var objects = 0;
        try
        {
            foreach (var prefix in prefixes)
            {
                foreach (var o in await finder.ListUnderAsync(Definition.Location.Bucket, prefix, cancellationToken).ConfigureAwait(false))
                {
                    bytes += o.Size;
                    objects++;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw AwsErrors.Explain(ex, $"Listing s3://{Definition.Location.Bucket}/ for the scan estimate of {Definition.Table}", settings);
        }
        return new AthenaScanEstimate(bytes, objects, prefixes.Select(p => $"s3://{Definition.Location.Bucket}/{p}").ToList());
    }
}
