using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>The cost guard (<see cref="AthenaCostGuard"/>) over every table a run reads: each statement reads all of them,
/// so the listing of their partitions is one statement's scan, and the run sends <c>statements</c> of them.</summary>
public static class AthenaScanGuard
{
    /// <exception cref="AthenaScanRefusedException">Above the connection's --max-scan, or a statement above the workgroup's
    /// per-query cutoff (the message gives the estimate, the partitions and how to raise the limit).</exception>
    public static async Task<AthenaCostCheck> CheckAsync(AthenaConnection connection, DateTime from, DateTime to, int statements, CancellationToken cancel)
    {
        var window = new RemoteWindow(from, to);
        var estimates = new List<AthenaScanEstimate>();
        foreach (var table in connection.Sources.Select(s => s.Table).Distinct())
            estimates.Add(await table.EstimateScanAsync(window.From, window.To, cancel).ConfigureAwait(false));
        return AthenaCostGuard.Check(AthenaCostGuard.Together(estimates), connection.MaxScanBytes, connection.WorkGroupSettings, connection.Engine, statements);
    }
}
