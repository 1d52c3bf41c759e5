using FlowNotebooks.Ingest;
using FlowNotebooks.Presentation.DataFrames;
using FlowNotebooks.Presentation.Exports;
using FlowNotebooks.Procedures;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;
using Microsoft.Data.Analysis;

namespace FlowNotebooks;

/// <summary>
/// A case for notebook and script use: open it, load evidence, get DataFrames back. A thin layer over
/// <see cref="CaseStore"/>, <see cref="EvidenceIntake"/> (files and s3:// locations; the journeys counted after each load)
/// and the exports; the kernel extension's #!flow-case and #!flow-load hold one of these and call the same methods.
/// </summary>
public sealed class FlowCase : IDisposable
{
    FlowCase(CaseStore store) => Store = store;

    /// <summary>Opens (or creates) a case file; null or ":memory:" gives an in-memory case.</summary>
    public static FlowCase Open(string? path = null) => new(CaseStore.Open(path));

    /// <summary>The underlying store, for SQL that returns no DataFrame or for streaming.</summary>
    public CaseStore Store { get; }

    /// <summary>The case file, or null when in memory.</summary>
    public string? Path => Store.Path;

    /// <summary>A short name for headings.</summary>
    public string Name => Path is null ? "in-memory case" : System.IO.Path.GetFileName(Path);

    /// <summary>Loads files and directory trees with default options.</summary>
    public IngestSummary Load(params string[] paths) => Load(paths, null);

    /// <summary>Loads files and directory trees; <c>s3://BUCKET/PREFIX</c> locations are streamed with the default AWS credentials.</summary>
    public IngestSummary Load(IEnumerable<string> paths, IngestOptions? options, IProgress<IngestProgress>? progress = null, CancellationToken cancel = default) =>
        Load(paths, options, null, progress, cancel);

    /// <summary>Loads files and directory trees and streams <c>s3://BUCKET/PREFIX</c> locations with <paramref name="aws"/>'s
    /// profiles, role, accounts and regions (the window is <paramref name="options"/>' From/To), like <c>flownb ingest s3://</c>.</summary>
    public IngestSummary Load(IEnumerable<string> paths, IngestOptions? options, AwsAccess? aws, IProgress<IngestProgress>? progress = null,
        CancellationToken cancel = default) =>
        Counted(EvidenceIntake.LoadAsync(Store, paths, options, aws, progress, cancel: cancel).GetAwaiter().GetResult());

    // A load ends with the counted journeys built, so ad-hoc SQL on counted_journeys works at once.
    IngestSummary Counted(IngestSummary summary)
    {
        CountedFlows.EnsureCurrent(Store);
        return summary;
    }

    /// <summary>Runs SQL (positional parameters <c>$1</c>, <c>$2</c>…) into a DataFrame of at most
    /// <see cref="FlowDataFrames.DefaultMaxRows"/> rows; more throws <see cref="RowLimitExceededException"/>.</summary>
    public DataFrame Query(string sql, params object?[] parameters) => Query(sql, parameters, FlowDataFrames.DefaultMaxRows);

    /// <summary>Runs SQL into a DataFrame with an explicit row cap (0 for none).</summary>
    public DataFrame Query(string sql, IReadOnlyList<object?> parameters, int maxRows)
    {
        // counted_journeys always reflects the evidence loaded, even into a case file another process filled.
        CountedFlows.EnsureCurrent(Store);
        return FlowDataFrames.Query(Store, sql, parameters, maxRows);
    }

    /// <summary>Flow records matching a SQL predicate (e.g. <c>"dstport = $1 AND action = 'REJECT'"</c>), in time order,
    /// with the fields this case's evidence carries (absent ones are left out) and their provenance (evidence id, line).</summary>
    public DataFrame Flows(string? filter = null, params object?[] parameters) => Flows(filter, parameters, FlowDataFrames.DefaultMaxRows);

    /// <summary><see cref="Flows(string?, object?[])"/> with an explicit row cap (0 for none).</summary>
    public DataFrame Flows(string? filter, IReadOnlyList<object?> parameters, int maxRows)
    {
        var where = string.IsNullOrWhiteSpace(filter) ? "" : $" WHERE {filter}";
        return Query($"SELECT {string.Join(", ", PopulatedFlowColumns())} FROM flows{where} ORDER BY start_time, evidence_id, line", parameters, maxRows);
    }

    /// <summary>Writes an export (OCSF, Timesketch, CSV or Parquet of the counted journeys, a procedure's table or its
    /// findings) to <paramref name="path"/> with its provenance sidecar, like <c>flownb export</c>.</summary>
    public ExportSummary Export(ExportRequest request, string path) => CaseExport.Write(Store, request, path);

    /// <summary>What the case holds (its time range from the manifest: records with implausible times are left out).</summary>
    public CaseSummary Summary()
    {
        var r = Store.Query("""
            SELECT (SELECT count(*) FROM evidence), (SELECT count(*) FROM flows), (SELECT count(*) FROM rejects),
                   (SELECT count(DISTINCT interface_id) FROM flows), (SELECT min(first_time) FROM evidence),
                   (SELECT max(last_time) FROM evidence), (SELECT count(*) FROM flow_logs)
            """).Rows[0];
        return new CaseSummary(Path, Convert.ToInt64(r[0]), Convert.ToInt64(r[1]), Convert.ToInt64(r[2]), Convert.ToInt64(r[3]),
            r[4] as DateTime?, r[5] as DateTime?, Convert.ToInt64(r[6]));
    }

    /// <summary>The flows columns with at least one value, without the numeric address helpers (<c>*_v4</c>, <c>*_v6</c>).</summary>
    IReadOnlyList<string> PopulatedFlowColumns()
    {
        var columns = Store.Query("SELECT column_name FROM information_schema.columns WHERE table_name = 'flows' ORDER BY ordinal_position")
            .Rows.Select(r => (string)r[0]!).Where(c => !c.EndsWith("_v4", StringComparison.Ordinal) && !c.EndsWith("_v6", StringComparison.Ordinal)).ToList();
        var counts = Store.Query($"SELECT {string.Join(", ", columns.Select(c => $"count({SqlText.Identifier(c)})"))} FROM flows").Rows[0];
        var populated = columns.Where((c, i) => Convert.ToInt64(counts[i]) > 0).ToList();
        return populated.Count > 0 ? populated.Select(SqlText.Identifier).ToList() : columns.Select(SqlText.Identifier).ToList();
    }

    /// <inheritdoc />
    public void Dispose() => Store.Dispose();

    /// <inheritdoc />
    public override string ToString() => Name;
}
