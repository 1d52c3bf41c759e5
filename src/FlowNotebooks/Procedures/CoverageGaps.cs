using System.Globalization;
using System.Text;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>A window in which an interface or a capture left no usable record.</summary>
/// <param name="Kind">"skipdata" (records skipped: capacity or internal error), "missing_delivery" (an expected 5-minute
/// object of the capture is not in the evidence), "before_evidence"/"after_evidence" (the window asked for reaches past
/// the evidence: rotated, expired or not collected).</param>
public sealed record CoverageGap(string Kind, string? InterfaceId, string? FlowLogId, Interval Window, IReadOnlyList<string> Interfaces);

/// <summary>
/// What the evidence covers in a window: captures, logged and unlogged interfaces and subnets, SKIPDATA windows,
/// missing deliveries, addresses in no inventory. Every negative finding quotes <see cref="Statement"/>.
/// </summary>
public sealed class CoverageGaps
{
    /// <summary>S3 objects are written every 5 minutes; one stamped T holds records whose end falls in [T, T+5 min).</summary>
    public static readonly TimeSpan DeliverySlot = TimeSpan.FromMinutes(5);

    public required DateTime From { get; init; }
    public required DateTime To { get; init; }
    /// <summary>Flow logs described (describe-flow-logs); empty when none was loaded.</summary>
    public required IReadOnlyList<(string FlowLogId, string? ResourceId, string? TrafficType, int? Interval, string? Format)> Captures { get; init; }
    /// <summary>Interfaces of the inventory or the records: id, subnet, role, name, records in window, captures covering it.</summary>
    public required IReadOnlyList<(string InterfaceId, string? SubnetId, string? VpcId, string Role, string? Name, long Records, bool InInventory, IReadOnlyList<string> Captures)> Interfaces { get; init; }
    public required IReadOnlyList<CoverageGap> Gaps { get; init; }
    /// <summary>Subnets of the inventory where no interface is covered by a capture or has records.</summary>
    public required IReadOnlyList<(string SubnetId, IReadOnlyList<string> Interfaces)> UnloggedSubnets { get; init; }
    /// <summary>Inventory interfaces with no capture and no records.</summary>
    public IEnumerable<string> UnloggedInterfaces => Interfaces.Where(i => i.InInventory && i.Records == 0 && i.Captures.Count == 0).Select(i => i.InterfaceId);
    public required bool ConfigKnown { get; init; }
    public required bool InventoryKnown { get; init; }
    public string Statement { get; private set; } = "";

    /// <summary>Records with implausible times in the case (kept; outside the default window).</summary>
    public long ImplausibleTimes { get; init; }
    public bool WindowGiven { get; init; }

    /// <summary>Records in the window whose times are bounds from their delivery: by source, how many, how wide at most.</summary>
    public IReadOnlyList<(string Source, long Records, long Seconds)> BoundedTimes { get; init; } = [];

    /// <summary>Flow objects read from Security Lake (OCSF) and from AWS's own deliveries (text, Parquet, CloudWatch).</summary>
    public (long SecurityLake, long FlowLogs) EvidenceShapes { get; init; }

    /// <summary>Seconds in [from, to) during which none of the given interfaces could have logged (all were blind at once).</summary>
    public double BlindSeconds(IEnumerable<string> interfaces, DateTime from, DateTime to)
    {
        List<Interval>? blind = null;
        foreach (var id in interfaces.Distinct())
        {
            var own = Intervals.Clip(BlindWindows(id), from, to);
            blind = blind is null ? own : Intervals.Intersect(blind, own);
            if (blind.Count == 0) return 0;
        }
        return blind is null ? 0 : Intervals.Seconds(blind);
    }

    /// <summary>Windows an interface was blind: SKIPDATA on it, or every capture that logs it missing a delivery.</summary>
    public List<Interval> BlindWindows(string interfaceId)
    {
        var skip = Gaps.Where(g => g.Kind == "skipdata" && g.InterfaceId == interfaceId).Select(g => g.Window).ToList();
        var captures = Gaps.Where(g => g.Kind != "skipdata" && g.Interfaces.Contains(interfaceId)).GroupBy(g => g.FlowLogId).ToList();
        var all = Interfaces.FirstOrDefault(i => i.InterfaceId == interfaceId).Captures ?? [];
        List<Interval> missing = [];
        // Only when every capture that logs the interface missed the same time is it blind.
        if (captures.Count > 0 && captures.Count >= Math.Max(1, all.Count))
        {
            missing = Intervals.Union(captures[0].Select(g => g.Window));
            foreach (var c in captures.Skip(1)) missing = Intervals.Intersect(missing, c.Select(g => g.Window).ToList());
        }
        return Intervals.Union(skip.Concat(missing));
    }

    internal static CoverageGaps Compute(ProcedureRun run)
    {
        var store = run.Store;
        object?[] window = [run.From, run.To];
        var captures = store.Query("""
            SELECT DISTINCT ON (flow_log_id) flow_log_id, resource_id, traffic_type, max_aggregation_interval, log_format
            FROM flow_logs ORDER BY flow_log_id, evidence_id DESC
            """).Rows.Select(r => ((string)r[0]!, (string?)r[1], (string?)r[2], r[3] is null ? (int?)null : Convert.ToInt32(r[3], CultureInfo.InvariantCulture), (string?)r[4])).ToList();
        var configKnown = captures.Count > 0;
        var inventoryKnown = store.Scalar<long>("SELECT count(*) FROM interfaces") > 0;
        // Which captures log an interface: by configuration (resource = the interface, its subnet or its VPC) and by the records' flow-log ids.
        var interfaces = store.Query("""
            SELECT i.interface_id, i.subnet_id, i.vpc_id, i.role, i.name, i.records, i.in_inventory,
                   list(DISTINCT c.flow_log_id ORDER BY c.flow_log_id) FILTER (WHERE c.flow_log_id IS NOT NULL) AS captures
            FROM fnb_interfaces i
            LEFT JOIN (SELECT flow_log_id, resource_id FROM flow_logs
                       UNION SELECT DISTINCT flow_log_id, interface_id FROM fnb_window_hours WHERE flow_log_id IS NOT NULL) c
              ON c.resource_id IN (i.interface_id, i.subnet_id, i.vpc_id)
            GROUP BY ALL ORDER BY i.interface_id
            """).Rows.Select(r => ((string)r[0]!, (string?)r[1], (string?)r[2], (string?)r[3] ?? "unknown", (string?)r[4],
                Convert.ToInt64(r[5], CultureInfo.InvariantCulture), (bool)r[6]!,
                (IReadOnlyList<string>)(r[7] is System.Collections.IEnumerable e ? e.Cast<object>().Select(o => (string)o).ToList() : []))).ToList();

        var gaps = new List<CoverageGap>();
        foreach (var r in store.Query("""
            SELECT interface_id, flow_log_id, start_time, end_time FROM skipdata_records
            WHERE end_time >= $1 AND start_time < $2 ORDER BY interface_id, flow_log_id, start_time
            """, window).Rows.GroupBy(r => ((string?)r[0], (string?)r[1])))
        {
            // end is the second of the last packet, inclusive: a record covers [start, end + 1 s), so back-to-back records join.
            foreach (var w in Intervals.Union(r.Select(x => new Interval((DateTime)x[2]!, ((DateTime)x[3]!).AddSeconds(1)))))
                gaps.Add(new CoverageGap("skipdata", r.Key.Item1, r.Key.Item2, w, r.Key.Item1 is null ? [] : [r.Key.Item1]));
        }
        gaps.AddRange(MissingDeliveries(store, run));

        var unloggedSubnets = interfaces.Where(i => i.Item7 && i.Item2 is not null).GroupBy(i => i.Item2!)
            .Where(g => g.All(i => i.Item6 == 0 && i.Item8.Count == 0))
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(i => i.Item1).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(s => s.Key, StringComparer.Ordinal).ToList();

        var gapsSorted = gaps.OrderBy(g => g.Kind, StringComparer.Ordinal).ThenBy(g => g.FlowLogId ?? "", StringComparer.Ordinal)
            .ThenBy(g => g.InterfaceId ?? "", StringComparer.Ordinal).ThenBy(g => g.Window.Start).ToList();
        var coverage = new CoverageGaps
        {
            From = run.From,
            To = run.To,
            Captures = captures,
            Interfaces = interfaces,
            Gaps = gapsSorted,
            UnloggedSubnets = unloggedSubnets,
            ConfigKnown = configKnown,
            InventoryKnown = inventoryKnown,
            EvidenceShapes = Shapes(store),
            ImplausibleTimes = run.ImplausibleTimes,
            WindowGiven = run.WindowGiven,
            BoundedTimes = store.Query("""
                SELECT time_source, count(*), max(time_bound_seconds) FROM flows
                WHERE time_bound_seconds IS NOT NULL AND end_time >= $1 AND start_time < $2 GROUP BY ALL ORDER BY 1
                """, window).Rows.Select(r => ((string)r[0]!, Convert.ToInt64(r[1], CultureInfo.InvariantCulture), Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToList(),
        };
        coverage.Statement = coverage.Describe(run.HasRecords);
        return coverage;
    }

    /// <summary>
    /// Per capture, the stretches between its objects longer than the capture can be silent while working, and the parts of
    /// the window before its first or after its last object. A working capture writes a record (OK or NODATA) for each
    /// interface every aggregation interval, and a record goes to the object of the 5-minute slot its end falls in; an OK
    /// record ends at its last packet, up to one interval early. So a working capture's objects are never more than two
    /// aggregation intervals apart, nor further apart than its usual step (5 minutes for S3 as AWS documents it, an hour for
    /// hourly collections). A longer silence is a missing delivery, from the slot after the last object to the next object.
    /// A sparse 600-second capture delivering every 10–15 minutes is therefore not read as a run of 5-minute gaps.
    /// </summary>
    static IEnumerable<CoverageGap> MissingDeliveries(CaseStore store, ProcedureRun run)
    {
        var slots = store.Query("""
            SELECT DISTINCT flow_log_id, time_bucket(INTERVAL 5 MINUTE, delivery_time) AS slot FROM evidence
            WHERE flow_log_id IS NOT NULL AND delivery_time IS NOT NULL ORDER BY flow_log_id, slot
            """).Rows.GroupBy(r => (string)r[0]!, r => (DateTime)r[1]!);
        var logged = store.Query("SELECT DISTINCT flow_log_id, interface_id FROM interface_hours WHERE flow_log_id IS NOT NULL AND interface_id IS NOT NULL ORDER BY 1, 2")
            .Rows.GroupBy(r => (string)r[0]!, r => (string)r[1]!).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.ToList());
        var intervals = AggregationIntervals(store);
        foreach (var capture in slots)
        {
            var times = capture.Order().ToList();
            var steps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
            // The object grain: the shortest step (5 minutes, or an hour for hourly collections).
            var grain = steps.Where(d => d >= DeliverySlot).DefaultIfEmpty(DeliverySlot).Min();
            var silence = Max(Cadence(steps), TimeSpan.FromSeconds(2 * intervals.GetValueOrDefault(capture.Key, 600)));
            var eni = logged.GetValueOrDefault(capture.Key) ?? [];
            var missing = new List<Interval>();
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i] <= silence) continue;
                var gap = new Interval(times[i] + grain, times[i + 1]);
                if (gap.End > run.From && gap.Start < run.To) missing.Add(gap);
            }
            foreach (var w in Intervals.Union(missing)) yield return new CoverageGap("missing_delivery", null, capture.Key, w, eni);
            var first = times[0];
            var last = times[^1];
            // Evidence that starts after the window does (logging turned on late, objects expired or not collected) is a gap
            // too, when it is longer than the capture can be silent (another capture's records reach an interval further).
            if (first - run.From > silence) yield return new CoverageGap("before_evidence", null, capture.Key, new Interval(run.From, first), eni);
            if (run.To - (last + grain) > silence) yield return new CoverageGap("after_evidence", null, capture.Key, new Interval(last + grain, run.To), eni);
        }
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Each described capture's aggregation interval in seconds (describe-flow-logs); a capture not described is
    /// taken at AWS's default, 600 s, so its silences up to 20 minutes are not called gaps.</summary>
    static Dictionary<string, int> AggregationIntervals(CaseStore store) =>
        store.Query("SELECT flow_log_id, max(max_aggregation_interval) FROM flow_logs WHERE flow_log_id IS NOT NULL AND max_aggregation_interval IS NOT NULL GROUP BY ALL")
            .Rows.ToDictionary(r => (string)r[0]!, r => Convert.ToInt32(r[1], CultureInfo.InvariantCulture));

    /// <summary>The commonest step between consecutive objects (at least 5 minutes).</summary>
    static TimeSpan Cadence(IReadOnlyList<TimeSpan> steps) =>
        steps.Where(d => d >= DeliverySlot).GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefault(DeliverySlot);

    string Describe(bool hasRecords)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"Window {ProcedureRun.Show(From)} to {ProcedureRun.Show(To)}: ");
        if (!hasRecords) return sb.Append("the case holds no flow records; nothing can be concluded from absence.").ToString();
        if (ConfigKnown)
            sb.Append(c, $"{Captures.Count} capture(s) ").Append(string.Join("; ", Captures.Select(x =>
                $"{x.FlowLogId} on {x.ResourceId ?? "?"} ({x.TrafficType ?? "?"}, {(x.Interval is { } i ? i.ToString(c) + " s" : "? s")})"))).Append(". ");
        else sb.Append("no describe-flow-logs loaded (captures known only from records). ");
        var withRecords = Interfaces.Count(i => i.Records > 0);
        sb.Append(c, $"{withRecords} interface(s) logged records");
        if (InventoryKnown) sb.Append(c, $"; {Interfaces.Count(i => i.InInventory)} in the inventory");
        else sb.Append("; no interface inventory loaded, so unlogged and unmanaged assets cannot be told");
        sb.Append(". ");
        var unlogged = UnloggedInterfaces.ToList();
        if (UnloggedSubnets.Count > 0)
            sb.Append(c, $"Unlogged subnet(s): {List(UnloggedSubnets.Select(s => $"{s.SubnetId} ({s.Interfaces.Count} interface(s))"))}. ");
        if (unlogged.Count > 0) sb.Append(c, $"Unlogged interface(s): {List(unlogged)}. ");
        foreach (var kind in new[] { "skipdata", "missing_delivery", "before_evidence", "after_evidence" })
        {
            var g = Gaps.Where(x => x.Kind == kind).ToList();
            if (g.Count == 0) continue;
            sb.Append(c, $"{Label(kind)}: {List(g.Select(x => $"{x.InterfaceId ?? x.FlowLogId} {ProcedureRun.Show(x.Window.Start)}–{ProcedureRun.Show(x.Window.End)}"))}. ");
        }
        if (UnloggedSubnets.Count == 0 && unlogged.Count == 0 && Gaps.Count == 0) sb.Append("No coverage gap found. ");
        foreach (var (source, records, seconds) in BoundedTimes)
            sb.Append(c, $"{records:N0} record(s) have no start/end of their own: their times are bounds from the {source}, up to {seconds:N0} s wide, and this analysis uses the bounds. ");
        if (ImplausibleTimes > 0)
            sb.Append(c, $"{ImplausibleTimes:N0} record(s) with implausible times (before {Formats.FlowLogsLaunch.Date:yyyy-MM-dd} or more than a day after delivery) are kept but {(WindowGiven ? "count only if the window given holds them" : "left out of the default window")}. ");
        if (EvidenceShapes.SecurityLake > 0)
            sb.Append(EvidenceShapes.FlowLogs == 0
                ? string.Create(c, $"Read only from Security Lake ({EvidenceShapes.SecurityLake} OCSF object(s)), so it cannot show what OCSF does not keep: ")
                : string.Create(c, $"{EvidenceShapes.SecurityLake} object(s) came from Security Lake (OCSF), whose records cannot show what OCSF does not keep: "))
                .Append(Sources.SecurityLakeMapping.Dropped).Append(". ");
        sb.Append("Never logged by design: Amazon DNS, instance metadata, time sync, DHCP, license activation.");
        return sb.ToString();
    }

    static (long, long) Shapes(CaseStore store)
    {
        var r = store.Query("""
            SELECT count(*) FILTER (WHERE kind = 'security-lake-ocsf'), count(*) FILTER (WHERE kind <> 'security-lake-ocsf')
            FROM evidence WHERE status <> 'duplicate' AND kind IN ('security-lake-ocsf', 'flow-text', 'flow-parquet', 'cloudwatch-json')
            """).Rows[0];
        return (Convert.ToInt64(r[0], CultureInfo.InvariantCulture), Convert.ToInt64(r[1], CultureInfo.InvariantCulture));
    }

    static string Label(string kind) => kind switch
    {
        "skipdata" => "SKIPDATA (records skipped)",
        "missing_delivery" => "Missing deliveries",
        "before_evidence" => "No evidence before",
        _ => "No evidence after",
    };

    static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 6 ? string.Join(", ", all) : string.Join(", ", all.Take(6)) + string.Create(CultureInfo.InvariantCulture, $" and {all.Count - 6} more");
    }
}
