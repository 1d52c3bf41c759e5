using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>One statement that built the derived tables, with the values it was built with written in.</summary>
public sealed record DerivedStatement(string Name, string Sql);

/// <summary>
/// How the case's derived tables (<c>counted_flows</c> and its side tables, which decide what counts) were built: their
/// version, the tool that built them, the window of the build and every statement with its values.
/// </summary>
public sealed record DerivedTablesBuild(string Version, string Tool, DateTime? From, DateTime? To, IReadOnlyList<DerivedStatement> Statements);

/// <summary>
/// Keeps <see cref="DerivedTablesBuild"/> in <c>case_info</c> when <see cref="CountedFlows"/> builds, because the build
/// happens once and every later run's audit record must still say how its input was made.
/// </summary>
public static partial class DerivedTablesRecord
{
    /// <summary>The case_info key of the build record (JSON).</summary>
    public const string Key = "counted_flows_build";
    /// <summary>The case_info key of the derived tables' version alone (what an audit script checks).</summary>
    public const string VersionKey = "counted_flows_version";

    /// <summary>Records the statements the build ran (<paramref name="ran"/>, in order, with their values) and the window of
    /// the build (<paramref name="values"/>: from, to).</summary>
    internal static void Save(CaseStore store, IReadOnlyList<(string Sql, object?[] Parameters)> ran, IReadOnlyDictionary<string, object?> values) =>
        Write(store, Statements(ran), values);

    /// <summary>Adds the statements of an update (days recounted after evidence was added) to the build's: run in order, the
    /// whole list makes the tables the case holds.</summary>
    internal static void Append(CaseStore store, IReadOnlyList<(string Sql, object?[] Parameters)> ran, IReadOnlyDictionary<string, object?> values) =>
        Write(store, [.. Load(store)?.Statements ?? [], .. Statements(ran)], values);

    static IEnumerable<DerivedStatement> Statements(IReadOnlyList<(string Sql, object?[] Parameters)> ran) =>
        ran.Select(r => new DerivedStatement(NameOf(r.Sql), SqlLiteral.Inline(r.Sql, r.Parameters)));

    static void Write(CaseStore store, IEnumerable<DerivedStatement> statements, IReadOnlyDictionary<string, object?> values)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("version", CountedFlows.Version);
            w.WriteString("tool", AuditRecord.ToolVersion);
            w.WriteString("from", ProcedureParameter.Show(values.GetValueOrDefault("from")));
            w.WriteString("to", ProcedureParameter.Show(values.GetValueOrDefault("to")));
            w.WriteStartArray("statements");
            foreach (var s in statements)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("sql", s.Sql);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        store.Execute("INSERT OR REPLACE INTO case_info VALUES ($1, $2)", Key, System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        store.Execute("INSERT OR REPLACE INTO case_info VALUES ($1, $2)", VersionKey, CountedFlows.Version);
    }

    // The table (or view) a statement builds or fills names it.
    static string NameOf(string sql) =>
        TableOf().Match(sql) is { Success: true } m ? m.Groups["table"].Value : "statement";

    [GeneratedRegex(@"^\s*(?:CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE|CREATE\s+(?:TEMP\s+)?TABLE|CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+)?VIEW|INSERT\s+INTO|DELETE\s+FROM)\s+(?<table>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex TableOf();

    /// <summary>The build record of the case; null when its tables were built before builds were recorded.</summary>
    public static DerivedTablesBuild? Load(CaseStore store)
    {
        if (store.Scalar<string>("SELECT value FROM case_info WHERE key = $1", Key) is not { } json) return null;
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        DateTime? Time(string name) => r.GetProperty(name).GetString() is { Length: > 0 } t
            ? DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;
        return new DerivedTablesBuild(r.GetProperty("version").GetString()!, r.GetProperty("tool").GetString()!, Time("from"), Time("to"),
            r.GetProperty("statements").EnumerateArray().Select(s => new DerivedStatement(s.GetProperty("name").GetString()!, s.GetProperty("sql").GetString()!)).ToList());
    }
}
