using System.Text;
using System.Text.Json;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// Where an export comes from, so anyone holding it can check it against the case: the source and parameters as used,
/// the window, the tool and DuckDB versions, the case state (evidence objects and the SHA-256 of their SHA-256s, as the
/// audit record gives it, and the counted tables' version), the evidence objects the rows come from or the findings cite
/// (object and SHA-256) and, for journeys, the statement that selected them with its values. No clock: the same case and
/// parameters give the same bytes. The sidecar adds the file's name, format, rows and SHA-256; Parquet files carry the
/// rest in their key-value metadata (<c>flownb.provenance</c>).
/// </summary>
public sealed class ExportProvenance
{
    readonly string source;
    readonly string? procedure;
    readonly string? table;
    readonly string schema;
    readonly IReadOnlyDictionary<string, string> parameters;
    readonly DateTime? from, to;
    readonly IReadOnlyList<string> notes;
    readonly string? coverage;
    readonly ExecutedStatement? statement;
    readonly CaseState state;
    readonly IReadOnlyList<(int Id, string Object, string Sha256)> evidence;

    ExportProvenance(string source, string? procedure, string? table, string schema, IReadOnlyDictionary<string, string> parameters,
        DateTime? from, DateTime? to, IReadOnlyList<string> notes, string? coverage, ExecutedStatement? statement, CaseState state,
        IEnumerable<(int, string, string)> evidence, long? bytes, long? packets)
    {
        (this.source, this.procedure, this.table, this.schema, this.parameters) = (source, procedure, table, schema, parameters);
        (this.from, this.to, this.notes, this.coverage, this.statement, this.state) = (from, to, notes, coverage, statement, state);
        this.evidence = evidence.Distinct().OrderBy(e => e.Item1).ToList();
        (Bytes, Packets) = (bytes, packets);
    }

    /// <summary>Bytes of the journeys exported (null for other sources).</summary>
    public long? Bytes { get; }
    /// <summary>Packets of the journeys exported (null for other sources).</summary>
    public long? Packets { get; }

    internal static ExportProvenance OfJourneys(CaseStore store, JourneySelection journeys, ExportFormat format)
    {
        var rows = journeys.Rows.RowsByName.ToList();
        long Sum(string column) => rows.Sum(r => r.IsNull(column) ? 0 : r.Long(column));
        return new ExportProvenance("counted journeys", null, null, Schema(format), journeys.Parameters, journeys.From, journeys.To,
            journeys.Notes, null, journeys.Statement, CaseState.Of(store),
            rows.Select(r => (r.Int("evidence_id"), r.Text("evidence_object"), r.Text("evidence_sha256"))), Sum("bytes"), Sum("packets"));
    }

    internal static ExportProvenance OfResult(CaseStore store, ProcedureResult result, ExportRequest request, ExportFormat format) =>
        new(request.Findings ? "findings" : "procedure table", result.Procedure, request.Findings ? null : request.Table ?? "main", Schema(format),
            result.Audit?.Parameters ?? result.Parameters, result.From, result.To, result.Notes, result.Coverage, null, CaseState.Of(store),
            result.Findings.SelectMany(f => f.Evidence).Select(e => (e.EvidenceId, e.Object, e.Sha256)), null, null);

    static string Schema(ExportFormat format) => format switch
    {
        ExportFormat.OcsfJsonLines or ExportFormat.OcsfParquet =>
            $"OCSF {OcsfMapping.Version} Network Activity (category_uid {OcsfMapping.CategoryUid}, class_uid {OcsfMapping.ClassUid}, activity_id {OcsfMapping.TrafficActivity} Traffic, type_uid {OcsfMapping.TrafficTypeUid})",
        ExportFormat.TimesketchCsv or ExportFormat.TimesketchJsonLines => "Timesketch timeline: message, datetime (ISO 8601), timestamp (microseconds), timestamp_desc, then the fields",
        _ => "table: the columns as named, with the evidence references",
    };

    /// <summary>The provenance without the file's own facts, compact (Parquet key-value metadata).</summary>
    public string BodyJson() => Write(indented: false, w => WriteBody(w));

    /// <summary>The sidecar: the file's name, format, rows and SHA-256, then the body.</summary>
    public string SidecarJson(string file, string format, long rows, string sha256) => Write(indented: true, w =>
    {
        w.WriteStartObject("export");
        w.WriteString("file", file);
        w.WriteString("format", format);
        w.WriteNumber("rows", rows);
        w.WriteString("sha256", sha256);
        w.WriteEndObject();
        WriteBody(w);
    }) + "\n";

    static string Write(bool indented, Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, NewLine = "\n", Encoder = ExportJson.Encoder }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    void WriteBody(Utf8JsonWriter w)
    {
        w.WriteString("source", source);
        if (procedure is not null) w.WriteString("procedure", procedure);
        if (table is not null) w.WriteString("table", table);
        w.WriteString("schema", schema);
        w.WriteStartObject("parameters");
        foreach (var (k, v) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteString("from", ProcedureParameter.Show(from));
        w.WriteString("to", ProcedureParameter.Show(to));
        if (notes.Count > 0)
        {
            w.WriteStartArray("notes");
            foreach (var n in notes) w.WriteStringValue(n);
            w.WriteEndArray();
        }
        if (Bytes is { } bytes && Packets is { } packets)
        {
            w.WriteStartObject("totals");
            w.WriteNumber("bytes", bytes);
            w.WriteNumber("packets", packets);
            w.WriteEndObject();
        }
        if (coverage is not null) w.WriteString("coverage", coverage);
        w.WriteString("tool", AuditRecord.ToolVersion);
        w.WriteString("duckdb", state.DuckDb);
        w.WriteStartObject("case");
        if (state.File is null) w.WriteNull("file"); else w.WriteString("file", state.File);
        w.WriteNumber("evidence_objects", state.Objects);
        w.WriteString("evidence_sha256_set", state.Sha256Set);
        w.WriteString("evidence_sha256_set_sql", AuditRecord.EvidenceSetSql);
        w.WriteString("derived_tables_version", CountedFlows.Version);
        w.WriteEndObject();
        if (statement is not null) w.WriteString("statement", statement.Inlined);
        w.WriteStartArray("evidence");
        foreach (var (id, obj, sha) in evidence)
        {
            w.WriteStartObject();
            w.WriteNumber("evidence_id", id);
            w.WriteString("object", obj);
            w.WriteString("sha256", sha);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The case as the audit record states it: file name, DuckDB version, evidence objects and their SHA-256 set.</summary>
    sealed record CaseState(string? File, string DuckDb, long Objects, string Sha256Set)
    {
        public static CaseState Of(CaseStore store)
        {
            var r = store.Query(AuditRecord.EvidenceSetSql).Rows[0];
            return new CaseState(store.Path is { } p ? Path.GetFileName(p) : null,
                store.Scalar<string>("SELECT library_version FROM pragma_version()") ?? "?",
                Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), (string)r[1]!);
        }
    }
}
