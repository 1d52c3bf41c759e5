using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>What a procedure run returns: its main table, named side tables, and findings (sorted, stable).</summary>
public sealed class ProcedureResult
{
    public required string Procedure { get; init; }
    /// <summary>Every parameter with the value used (defaults included), as text, by name.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    /// <summary>The window analysed (null when the case holds no records).</summary>
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    /// <summary>The main table.</summary>
    public required QueryResult Table { get; init; }
    /// <summary>Side tables (timeline, top talkers, scan sources, …) by name.</summary>
    public IReadOnlyDictionary<string, QueryResult> Tables { get; init; } = new SortedDictionary<string, QueryResult>(StringComparer.Ordinal);
    public required IReadOnlyList<Finding> Findings { get; init; }
    /// <summary>The audit record: statements as they ran with their values (<see cref="Sql"/> holds them written in, to paste
    /// into the DuckDB CLI), how the derived tables were built, versions, case state, what was computed outside SQL.</summary>
    public AuditRecord? Audit { get; init; }
    /// <summary>The coverage statement of the window.</summary>
    public required string Coverage { get; init; }
    /// <summary>The SQL that ran (rendered, in order), for the appendix.</summary>
    public IReadOnlyList<string> Sql { get; init; } = [];
    /// <summary>What was assumed reading the analyst's input, e.g. a time without a zone read as UTC (empty when nothing was).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Findings and the parameters as JSON (with <paramref name="includeTable"/>, the main and side tables; with
    /// <paramref name="includeAudit"/>, the audit record): same case and parameters give the same bytes.</summary>
    public string FindingsJson(bool includeTable = false, bool includeAudit = false)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("procedure", Procedure);
            w.WriteStartObject("parameters");
            foreach (var (k, v) in Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteString("from", Show(From));
            w.WriteString("to", Show(To));
            w.WriteString("coverage", Coverage);
            // Only when something was assumed: results of fully specified input keep their bytes.
            if (Notes.Count > 0)
            {
                w.WriteStartArray("notes");
                foreach (var n in Notes) w.WriteStringValue(n);
                w.WriteEndArray();
            }
            w.WriteStartArray("findings");
            foreach (var f in Findings) f.WriteJson(w);
            w.WriteEndArray();
            if (includeTable)
            {
                w.WritePropertyName("table");
                WriteTable(w, Table);
                w.WriteStartObject("tables");
                foreach (var (name, t) in Tables.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(name);
                    WriteTable(w, t);
                }
                w.WriteEndObject();
            }
            if (includeAudit && Audit is not null)
            {
                w.WritePropertyName("audit");
                Audit.WriteJson(w);
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    static void WriteTable(Utf8JsonWriter w, QueryResult t)
    {
        w.WriteStartObject();
        w.WriteStartArray("columns");
        foreach (var c in t.Columns) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var r in t.Rows)
        {
            w.WriteStartArray();
            foreach (var v in r) WriteValue(w, v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteBoolean("truncated", t.Truncated);
        w.WriteEndObject();
    }

    internal static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int or long or short or byte or uint or ushort or sbyte: w.WriteNumberValue(Convert.ToInt64(v, CultureInfo.InvariantCulture)); break;
            case ulong u: w.WriteNumberValue(u); break;
            case double d: w.WriteNumberValue(Math.Round(d, 6)); break;
            case float f: w.WriteNumberValue(Math.Round(f, 6)); break;
            case decimal m: w.WriteNumberValue(m); break;
            case DateTime t: w.WriteStringValue(Show(t)); break;
            case System.Collections.IEnumerable e when v is not string:
                w.WriteStartArray();
                foreach (var x in e) WriteValue(w, x);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
        }
    }

    static string Show(DateTime? t) => t is { } v ? v.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
