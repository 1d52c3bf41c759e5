using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>A procedure run over Athena: the result, shaped as on a local case, and every query Athena ran for it.</summary>
public sealed record AthenaAnalysis(ProcedureResult Result, IReadOnlyList<AthenaQueryRecord> Queries)
{
    /// <summary>
    /// Estimates the window's scan and refuses it above <paramref name="maxScanBytes"/>, fills <paramref name="store"/>
    /// (holding the case's inventory) from Athena for the window, then runs the procedure on it as on any case.
    /// </summary>
    public static async Task<AthenaAnalysis> RunAsync(Procedure procedure, IReadOnlyDictionary<string, object?> values, AthenaCase athena,
        IReadOnlyList<AthenaFlowSource> sources, CaseStore store, DateTime from, DateTime to, long maxScanBytes, string workFolder,
        CancellationToken cancel = default)
    {
        foreach (var s in sources.Select(s => s.Table).Distinct())
            AthenaScanGuard.Check(await s.EstimateScanAsync(new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero), cancel)
                .ConfigureAwait(false), maxScanBytes);
        var queries = await athena.FillAsync(store, from, to, workFolder, cancel).ConfigureAwait(false);
        var all = new Dictionary<string, object?>(values, StringComparer.Ordinal) { ["from"] = from, ["to"] = to };
        return new AthenaAnalysis(procedure.Run(store, all), queries);
    }
}
