using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// Every flow log of the case: hands each record to the flow logs that watch its interface (two when a subnet-level and
/// an interface-level flow log overlap), drops what a missing delivery or a SKIPDATA window lost, and writes the
/// SKIPDATA records that stand for it.
/// </summary>
internal sealed class CaptureSet : IRecordSink, IDisposable
{
    readonly CaptureWriter[] writers;
    readonly CaptureWriter[] distinct;
    readonly int[][] byInterface;
    readonly (int Capture, int Interface, long Start, long End)[] skips;
    /// <summary>Missing deliveries and SKIPDATA windows per capture: a record of a capture without any (most) looks at none.</summary>
    readonly (long Start, long End)[][] missingOf;
    readonly (int Interface, long Start, long End)[][] skipsOf;
    readonly Workload[] interfaces;
    readonly long[] created;
    long hourStart;

    public CaptureSet(VpcTopology vpc, IReadOnlyList<Capture> captures, IEnumerable<MissingDelivery> missingDeliveries,
        IEnumerable<SkipWindow> skipWindows, string root, int seed, int eventsPerPage = 10_000)
    {
        // Flow logs that write one log group share one export: filter-log-events returns all its streams together.
        var groups = new Dictionary<string, CaptureWriter>(StringComparer.Ordinal);
        writers = captures.Select(c =>
        {
            var fields = new RecordFields(c.Format, vpc);
            if (c.Destination == CaptureDestination.CloudWatch)
            {
                if (groups.TryGetValue(c.LogGroup!, out var shared))
                {
                    if (!shared.Capture.Format.Equals(c.Format)) throw new ArgumentException($"Flow logs writing {c.LogGroup} must share a format.");
                    return shared;
                }
                return groups[c.LogGroup!] = new CloudWatchExportWriter(c, fields, root, seed, eventsPerPage);
            }
            return c.Destination == CaptureDestination.S3Parquet
                ? (CaptureWriter)new ParquetObjectWriter(c, fields, root, seed)
                : new TextObjectWriter(c, fields, root, seed);
        }).ToArray();
        distinct = writers.Distinct().ToArray();
        interfaces = vpc.Workloads.ToArray();
        created = captures.Select(c => Unix(c.CreationTime)).ToArray();
        byInterface = vpc.Workloads.Select(w => Enumerable.Range(0, captures.Count).Where(i => captures[i].Watches(w)).ToArray()).ToArray();
        var index = captures.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var missing = missingDeliveries.Select(m => (Capture: index[m.Capture], Start: Unix(m.Start), End: Unix(m.End))).ToArray();
        skips = skipWindows.Select(s => (index[s.Capture], s.Interface.Index, Unix(s.Start), Unix(s.End))).ToArray();
        missingOf = [.. Enumerable.Range(0, captures.Count).Select(c => missing.Where(m => m.Capture == c).Select(m => (m.Start, m.End)).ToArray())];
        skipsOf = [.. Enumerable.Range(0, captures.Count).Select(c => skips.Where(s => s.Capture == c).Select(s => (s.Interface, s.Start, s.End)).ToArray())];
    }

    public static long Unix(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalSeconds;

    public long Records => distinct.Sum(w => w.Records);
    public int Objects => distinct.Sum(w => w.Objects);
    public double CompressCpuSeconds => distinct.Sum(w => w.CompressCpuSeconds);
    public double ObjectCpuSeconds => distinct.Sum(w => w.ObjectCpuSeconds);

    public void BeginHour(long start)
    {
        hourStart = start;
        foreach (var w in distinct) w.BeginHour(start);
        // One SKIPDATA record per aggregation window of the interface replaces whatever it would have logged.
        foreach (var (capture, eni, from, to) in skips)
            for (var t = Math.Max(from, start); t < Math.Min(to, start + 3600); t += Conversation.Window)
                if (!IsMissing(capture, t + Conversation.Window - 1) && t >= created[capture])
                    writers[capture].Write(FlowRecord.Gap(interfaces[eni], t, t + Conversation.Window - 1, RecordStatus.SkipData));
    }

    public void Write(in FlowRecord record)
    {
        var captures = byInterface[record.Interface.Index];
        for (var i = 0; i < captures.Length; i++)
        {
            var c = captures[i];
            // A flow log records nothing from before it was created.
            if (record.Start < created[c] || IsMissing(c, record.End) || IsSkipped(c, record.Interface.Index, record.Start)) continue;
            writers[c].Write(record);
        }
    }

    bool IsMissing(int capture, long end)
    {
        foreach (var m in missingOf[capture])
            if (end >= m.Start && end < m.End) return true;
        return false;
    }

    bool IsSkipped(int capture, int eni, long start)
    {
        foreach (var s in skipsOf[capture])
            if (s.Interface == eni && start >= s.Start && start < s.End) return true;
        return false;
    }

    public void EndHour()
    {
        foreach (var w in distinct) w.EndHour();
    }

    public void Dispose()
    {
        foreach (var w in distinct) w.Dispose();
    }
}
