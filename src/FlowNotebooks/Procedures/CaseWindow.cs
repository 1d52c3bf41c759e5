using FlowNotebooks.Input;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// The window an analysis looks at: the analyst's from/to, else the case's records (earliest start to latest end plus a
/// second), checked by <see cref="TimeWindow.CheckAnalysis"/> so an impossible window is an error, never "nothing found".
/// One rule for procedures and exports alike.
/// </summary>
public readonly record struct CaseWindow(DateTime From, DateTime To, bool Given, bool HasRecords)
{
    /// <summary>Resolves and checks the window over the counted tables (<see cref="CountedFlows.EnsureCurrent"/> first).</summary>
    /// <exception cref="WindowException">The window cannot hold any record of the case.</exception>
    public static CaseWindow Of(CaseStore store, DateTime? from, DateTime? to)
    {
        var span = store.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        var window = new CaseWindow(
            from ?? span[0] as DateTime? ?? DateTime.UnixEpoch,
            to ?? (span[1] as DateTime?)?.AddSeconds(1) ?? DateTime.UnixEpoch,
            from is not null || to is not null,
            span[0] is DateTime);
        TimeWindow.CheckAnalysis(window.From, window.To, span[0] as DateTime?, span[1] as DateTime?, from is not null, to is not null);
        return window;
    }
}
