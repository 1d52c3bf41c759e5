using System.Globalization;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>A procedure run over Athena: the result, shaped as on a local case, every query Athena ran for it, the cost
/// guard's estimate and the cited objects fetched from S3.</summary>
public sealed record AthenaAnalysis(ProcedureResult Result, IReadOnlyList<AthenaQueryRecord> Queries, AthenaCostCheck Cost,
    IReadOnlyList<FetchedObject> Fetched)
{
    /// <summary>Bytes Athena reported scanned, over every query of the run.</summary>
    public long DataScannedBytes => Queries.Sum(q => q.DataScannedBytes);

    /// <summary>Engine 3's charge for the run (each query billed on its own, 10 MB minimum); null on the DuckDB engine.</summary>
    public decimal? CostUsd => Queries.Count > 0 && Queries[0].Engine == AthenaEngine.Trino ? Queries.Sum(q => AthenaCostGuard.EstimateUsd(q.DataScannedBytes)) : null;

    /// <summary>The window of a run on Athena, from the procedure's <c>from</c> and <c>to</c> (text or typed): both are needed.</summary>
    /// <exception cref="FormatException">Either is missing or not a time.</exception>
    /// <exception cref="Input.WindowException">The window is empty or reversed.</exception>
    public static (DateTime From, DateTime To) Window(IReadOnlyDictionary<string, object?> values)
    {
        DateTime Read(ProcedureParameter p) => values.TryGetValue(p.Name, out var v) && p.Convert(v) is DateTime t ? t
            : throw new FormatException("On Athena a procedure needs a window, from and to (flownb analyze: --param from=… --param to=…; a magic: --from … --to …): a scan is billed by what it reads.");
        var (from, to) = (Read(CommonParameters.From), Read(CommonParameters.To));
        Input.TimeWindow.CheckOrder(from, to, "from", "to");
        return (from, to);
    }

    /// <summary><see cref="RunAsync(Procedure, IReadOnlyDictionary{string, object?}, AthenaConnection, CaseStore, DateTime, DateTime, string, string?, CancellationToken)"/>
    /// over the window of <paramref name="values"/>, in a work folder of its own that is removed afterwards (the fetched
    /// records; the cited objects too unless <paramref name="evidenceFolder"/> keeps them).</summary>
    public static async Task<AthenaAnalysis> RunAsync(Procedure procedure, IReadOnlyDictionary<string, object?> values, AthenaConnection connection,
        CaseStore store, string? evidenceFolder, CancellationToken cancel = default)
    {
        var (from, to) = Window(values);
        var work = Path.Combine(Path.GetTempPath(), $"flownb-athena-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return await RunAsync(procedure, values, connection, store, from, to, work, evidenceFolder, cancel).ConfigureAwait(false);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (DirectoryNotFoundException) { }
        }
    }

    /// <summary>
    /// Checks the window's scan against the limit and the workgroup's cutoff (nothing is sent when refused), loads the
    /// connection's configuration documents into <paramref name="store"/>, fills it from Athena for the window, runs the
    /// procedure on it as on any case, then fetches and hashes the objects its findings cite (into
    /// <paramref name="evidenceFolder"/>, else under <paramref name="workFolder"/>).
    /// </summary>
    /// <exception cref="AthenaScanRefusedException">Above --max-scan or the workgroup's per-query cutoff.</exception>
    public static async Task<AthenaAnalysis> RunAsync(Procedure procedure, IReadOnlyDictionary<string, object?> values, AthenaConnection connection,
        CaseStore store, DateTime from, DateTime to, string workFolder, string? evidenceFolder = null, CancellationToken cancel = default)
    {
        var athena = new AthenaCase(connection.Queries, connection.Sources, connection.Engine, connection.WorkGroup, connection.OutputLocation);
        var cost = await AthenaScanGuard.CheckAsync(connection, from, to, athena.Statements(from, to).Count, cancel).ConfigureAwait(false);
        if (connection.Inventory.Count > 0) new EvidenceLoader(store).Load(connection.Inventory, cancel: cancel);
        var records = Path.Combine(workFolder, "records");
        var queries = await athena.FillAsync(store, from, to, records, cancel).ConfigureAwait(false);
        var all = new Dictionary<string, object?>(values, StringComparer.Ordinal) { ["from"] = from, ["to"] = to };
        var result = procedure.Run(store, all);
        IReadOnlyList<FetchedObject> fetched = [];
        IReadOnlyList<string> unmatched = [];
        var findings = result.Findings;
        if (connection.Objects is { } objects)
            (findings, fetched, unmatched) = await AthenaCitedObjects.FetchAsync(findings, store, objects, records,
                evidenceFolder ?? Path.Combine(workFolder, "cited"), cancel).ConfigureAwait(false);
        var run = new AthenaAnalysis(result, queries, cost, fetched);
        return run with { Result = With(result, findings, [.. result.Notes, run.Provenance(connection), .. unmatched]) };
    }

    /// <summary>What the run read and cost, query by query, and what it fetched: the lines a face shows beside the result.</summary>
    public IEnumerable<string> Report()
    {
        var c = CultureInfo.InvariantCulture;
        yield return Cost.Summary;
        foreach (var q in Queries)
            yield return string.Create(c, $"Athena {q.Name}: {AthenaQueryRecord.EngineName(q.Engine)}, query {q.QueryExecutionId}, {q.DataScannedBytes:N0} bytes scanned, {q.Rows:N0} rows");
        yield return string.Create(c, $"Athena run: {Queries.Count} queries, {AthenaSizes.Format(DataScannedBytes)} scanned")
            + (CostUsd is { } usd ? string.Create(c, $", estimated cost ${usd:0.######}") : ", billed by DPU time (DuckDB engine)") + ".";
        foreach (var f in Fetched) yield return string.Create(c, $"fetched {f.Uri} ({f.Size:N0} bytes, sha256 {f.Sha256})");
    }

    /// <summary>Which engine produced which figure, what the run read and cost, and what was fetched: the note the result carries.</summary>
    public string Provenance(AthenaConnection connection)
    {
        var c = CultureInfo.InvariantCulture;
        var engine = AthenaQueryRecord.EngineName(connection.Engine);
        var cost = CostUsd is { } usd ? string.Create(c, $", estimated cost ${usd:0.######}") : " (the DuckDB engine bills DPU time, not bytes)";
        var fetched = Fetched.Count == 0 ? "No finding cites a record, so no object was fetched."
            : $"The {Fetched.Count} S3 object(s) the findings cite were fetched and hashed (SHA-256 in their evidence): " + string.Join(", ", Fetched.Select(f => f.Uri)) + ".";
        return string.Create(c, $"Computed on {engine}, workgroup {connection.WorkGroup}: the objects the window's records are in, their per interface-hour figures, capture minutes, each interface's own address and the records of the capture that counts per interface-hour ")
            + string.Create(c, $"({Queries.Count} queries: {string.Join(", ", Queries.Select(q => q.QueryExecutionId))}; {AthenaSizes.Format(DataScannedBytes)} scanned{cost}). ")
            + "Computed on the local DuckDB from those: which copy of each journey counts, NAT legs, this table, its figures and findings. " + fetched;
    }

    static ProcedureResult With(ProcedureResult r, IReadOnlyList<Finding> findings, IReadOnlyList<string> notes) => new()
    {
        Procedure = r.Procedure, Parameters = r.Parameters, From = r.From, To = r.To, Table = r.Table, Tables = r.Tables, Findings = findings,
        Audit = r.Audit, Coverage = r.Coverage, Sql = r.Sql, Notes = notes,
    };
}
