using FlowNotebooks.Input;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// The window an analysis looks at: the analyst's from/to, else the case's records (earliest start to latest end plus a
/// second, of the records with plausible times: one starting in 1975 does not stretch it), checked by <see cref="TimeWindow.CheckAnalysis"/> so an impossible window is an error, never "nothing found".
/// One rule for procedures and exports alike.
/// </summary>
/// <param name="ImplausibleTimes">Records of the case whose times are implausible (kept; outside the default window).</param>
public readonly record struct CaseWindow(DateTime From, DateTime To, bool Given, bool HasRecords, long ImplausibleTimes)
{
    /// <summary>Resolves and checks the window over the counted tables (<see cref="CountedFlows.EnsureCurrent"/> first).</summary>
    /// <exception cref="WindowException">The window cannot hold any record of the case.</exception>
    public static CaseWindow Of(CaseStore store, DateTime? from, DateTime? to)
    {
        var span = store.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        // Records with implausible times (before VPC Flow Logs existed, or long after their delivery) do not stretch the
        // default window: it is the span of the plausible ones the manifest holds, and the coverage statement says so.
        var plausible = store.Query("SELECT min(first_time), max(last_time), coalesce(sum(implausible_times), 0)::BIGINT FROM evidence WHERE status <> 'duplicate'").Rows[0];
        var window = new CaseWindow(
            from ?? plausible[0] as DateTime? ?? span[0] as DateTime? ?? DateTime.UnixEpoch,
            to ?? (plausible[1] as DateTime? ?? span[1] as DateTime?)?.AddSeconds(1) ?? DateTime.UnixEpoch,
            from is not null || to is not null,
            span[0] is DateTime,
            Convert.ToInt64(plausible[2], System.Globalization.CultureInfo.InvariantCulture));
        TimeWindow.CheckAnalysis(window.From, window.To, span[0] as DateTime?, span[1] as DateTime?, from is not null, to is not null);
        return window;
    }
}
