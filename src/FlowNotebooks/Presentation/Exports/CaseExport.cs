using System.Security.Cryptography;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// Writes an export of a case (<see cref="ExportRequest"/>) and its provenance sidecar <c>FILE.provenance.json</c>
/// (<see cref="ExportProvenance"/>). The same case and parameters give the same bytes: rows in a stable order, no clock
/// in either file. The faces (<c>flownb export</c>, <c>#!flow-export</c>, <see cref="FlowCase.Export"/>) only translate.
/// </summary>
public static class CaseExport
{
    /// <summary>The sidecar of an export file.</summary>
    public static string ProvenancePath(string path) => path + ".provenance.json";

    /// <summary>Writes the export to <paramref name="path"/> (its folder created when missing) and the sidecar beside it.</summary>
    /// <exception cref="ArgumentException">A format that does not fit the source, an unknown procedure, table or parameter, or a window that holds no record.</exception>
    /// <exception cref="FormatException">A parameter value that does not fit its kind.</exception>
    public static ExportSummary Write(CaseStore store, ExportRequest request, string path)
    {
        var (table, provenance, ocsf) = Prepare(store, request);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            var metadata = new Dictionary<string, string> { ["flownb.provenance"] = provenance.BodyJson() };
            switch (request.Format)
            {
                case ExportFormat.OcsfJsonLines: OcsfFiles.JsonLines(ocsf!, file); break;
                case ExportFormat.OcsfParquet: OcsfFiles.Parquet(ocsf!, file, metadata); break;
                case ExportFormat.TimesketchJsonLines: TableFiles.JsonLines(table, file); break;
                case ExportFormat.TimesketchCsv or ExportFormat.Csv: TableFiles.Csv(table, file); break;
                case ExportFormat.Parquet: TableFiles.Parquet(table, file, metadata); break;
            }
        }
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var rows = ocsf?.Count ?? table.Rows.Count;
        var sidecar = ProvenancePath(path);
        File.WriteAllText(sidecar, provenance.SidecarJson(Path.GetFileName(path), ExportFormats.Name(request.Format), rows, sha256));
        return new ExportSummary(path, sidecar, rows, sha256, provenance.Bytes, provenance.Packets);
    }

    static (QueryResult Table, ExportProvenance Provenance, List<OcsfNetworkActivity>? Ocsf) Prepare(CaseStore store, ExportRequest request)
    {
        var format = request.Format;
        if (request.IsJourneys)
        {
            if (request.Findings || request.Table is not null)
                throw new ArgumentException("The counted journeys have no findings or side tables: name a procedure to export those.");
            var journeys = CountedJourneys.Read(store, request.Parameters);
            var provenance = ExportProvenance.OfJourneys(store, journeys, format);
            return format switch
            {
                ExportFormat.OcsfJsonLines or ExportFormat.OcsfParquet => (journeys.Rows, provenance, journeys.Rows.RowsByName.Select(OcsfMapping.Event).ToList()),
                ExportFormat.TimesketchCsv or ExportFormat.TimesketchJsonLines => (TimesketchTimeline.Journeys(journeys.Rows), provenance, null),
                _ => (journeys.Rows, provenance, null),
            };
        }
        var procedure = ProcedureRegistry.Find(request.Source)
            ?? throw new ArgumentException($"No export source '{request.Source}'. Sources: {ExportRequest.Journeys}, {string.Join(", ", ProcedureRegistry.All.Select(p => p.Name))}.");
        if (format is ExportFormat.OcsfJsonLines or ExportFormat.OcsfParquet)
            throw new ArgumentException($"OCSF Network Activity events are counted journeys (source {ExportRequest.Journeys}); {procedure.Name}'s table and findings export as timesketch-csv, timesketch-jsonl (findings), csv or parquet.");
        if (format is ExportFormat.TimesketchCsv or ExportFormat.TimesketchJsonLines && !request.Findings)
            throw new ArgumentException($"A Timesketch timeline has one event per journey or per finding: export {procedure.Name}'s findings (--findings) or the journeys.");
        if (request.Findings && request.Table is not null)
            throw new ArgumentException("Give either the findings or a table, not both.");
        var result = procedure.Run(store, request.Parameters);
        var table = request.Findings
            ? format is ExportFormat.TimesketchCsv or ExportFormat.TimesketchJsonLines ? TimesketchTimeline.Findings(result) : FindingsTable.Of(result)
            : request.Table is null ? result.Table
            : result.Tables.TryGetValue(request.Table, out var side) ? side
            : throw new ArgumentException($"{procedure.Name} has no table '{request.Table}'. Tables: {string.Join(", ", result.Tables.Keys)}.");
        return (table, ExportProvenance.OfResult(store, result, request, format), null);
    }
}
