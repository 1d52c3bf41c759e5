using System.Reflection;
using System.Text.Json;

namespace FlowNotebooks.Procedures;

/// <summary>
/// What a run rests on, so that it can be re-run and checked: every statement as it ran with its bound values, which of
/// them returned the procedure's table, how the derived tables were built and their version, the tool and DuckDB
/// versions, the case state (the evidence SHA-256 set) and what was computed outside SQL, with its formula.
/// <see cref="AuditScript"/> writes it as a script for the DuckDB CLI.
/// </summary>
public sealed class AuditRecord
{
    /// <summary>flownb's informational version (with the commit when built from a clone).</summary>
    public static string ToolVersion { get; } =
        typeof(AuditRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The case state as SQL: evidence objects, and the SHA-256 of their SHA-256s sorted and joined by newlines
    /// (the same statement gives the record's figures and, in an audit script, lets anyone check them).</summary>
    public const string EvidenceSetSql =
        "SELECT count(*) AS objects, sha256(coalesce(string_agg(sha256, chr(10) ORDER BY sha256), '')) AS sha256_set FROM evidence";

    /// <summary>What every procedure leaves outside SQL.</summary>
    static readonly string[] Always =
    [
        "Coverage (gaps, blind windows, the coverage statement of negative findings): computed in C# (CoverageGaps) from "
        + "interface_hours, skipdata_records, evidence and flow_logs for the window; its queries are not in this script.",
        "Findings: chosen and worded in C# from the rows of the statements above (thresholds are the parameters); the "
        + "evidence lines they cite are the rows of the statements named 'cite: …' in this script.",
    ];

    public required string Procedure { get; init; }
    /// <summary>The case file's name (no folder); null for an in-memory case.</summary>
    public string? CaseFile { get; init; }
    public required string Tool { get; init; }
    public required string DuckDb { get; init; }
    /// <summary><see cref="CountedFlows.Version"/> of the tables the run read.</summary>
    public required string DerivedTablesVersion { get; init; }
    /// <summary>How the derived tables were built (null for a case built before builds were recorded).</summary>
    public DerivedTablesBuild? DerivedTables { get; init; }
    public required long EvidenceObjects { get; init; }
    public required string EvidenceSha256Set { get; init; }
    /// <summary>Parameters as used, by name; files by their name only (no machine paths).</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public required DateTime From { get; init; }
    public required DateTime To { get; init; }
    public required IReadOnlyList<ExecutedStatement> Statements { get; init; }
    /// <summary>Index in <see cref="Statements"/> of the statement whose rows are the procedure's table; null when the
    /// table was assembled outside SQL.</summary>
    public int? TableStatement { get; init; }
    /// <summary>What was computed outside SQL, each with how.</summary>
    public required IReadOnlyList<string> OutsideSql { get; init; }

    internal static AuditRecord Of(ProcedureRun run, IReadOnlyDictionary<string, string> parameters, IReadOnlyList<ExecutedStatement> statements,
        int? table, IReadOnlyList<string> notes)
    {
        var store = run.Store;
        var evidence = store.Query(EvidenceSetSql).Rows[0];
        var files = run.Procedure.Parameters.Where(p => p.Kind == ParameterKind.File).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return new AuditRecord
        {
            Procedure = run.Procedure.Name,
            CaseFile = store.Path is { } file ? Path.GetFileName(file) : null,
            Tool = ToolVersion,
            DuckDb = store.Scalar<string>("SELECT library_version FROM pragma_version()") ?? "?",
            DerivedTablesVersion = CountedFlows.Version,
            DerivedTables = DerivedTablesRecord.Load(store),
            EvidenceObjects = Convert.ToInt64(evidence[0], System.Globalization.CultureInfo.InvariantCulture),
            EvidenceSha256Set = (string)evidence[1]!,
            Parameters = parameters.ToDictionary(p => p.Key, p => files.Contains(p.Key) && p.Value.Length > 0 ? Path.GetFileName(p.Value) : p.Value, StringComparer.Ordinal),
            From = run.From,
            To = run.To,
            Statements = [.. statements],
            TableStatement = table,
            OutsideSql = [.. run.Procedure.OutsideSql, .. notes, .. Always],
        };
    }

    /// <summary>The record as a DuckDB script (<see cref="AuditScript"/>).</summary>
    public string Script() => AuditScript.Write(this);

    /// <summary>The record as a JSON object.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("tool", Tool);
        w.WriteString("duckdb", DuckDb);
        w.WriteStartObject("case");
        if (CaseFile is null) w.WriteNull("file");
        else w.WriteString("file", CaseFile);
        w.WriteNumber("evidence_objects", EvidenceObjects);
        w.WriteString("evidence_sha256_set", EvidenceSha256Set);
        w.WriteString("evidence_sha256_set_sql", EvidenceSetSql);
        w.WriteEndObject();
        w.WriteStartObject("derived_tables");
        w.WriteString("version", DerivedTablesVersion);
        w.WriteBoolean("recorded", DerivedTables is not null);
        if (DerivedTables is { } d)
        {
            w.WriteString("built_by", d.Tool);
            w.WriteString("from", ProcedureParameter.Show(d.From));
            w.WriteString("to", ProcedureParameter.Show(d.To));
            w.WriteStartArray("statements");
            foreach (var s in d.Statements)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("sql", s.Sql);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartArray("statements");
        foreach (var s in Statements)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("sql", s.Sql);
            w.WriteStartArray("parameters");
            foreach (var v in s.Parameters) ProcedureResult.WriteValue(w, v);
            w.WriteEndArray();
            w.WriteString("inlined", s.Inlined);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (TableStatement is { } t) w.WriteNumber("table_statement", t + 1);
        else w.WriteNull("table_statement");
        w.WriteStartArray("outside_sql");
        foreach (var n in OutsideSql) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
