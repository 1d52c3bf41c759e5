using System.Globalization;
using FlowNotebooks.Enrichment;
using FlowNotebooks.Input;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// One run of a procedure: bound parameter values, the resolved window, the SQL run so far, the tables and findings
/// collected, and the coverage of the window (computed once, on first use).
/// </summary>
public sealed class ProcedureRun : IDisposable
{
    readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);
    readonly List<string> sqlLog = [];
    readonly List<Finding> findings = [];
    readonly List<string> inputNotes = [];
    readonly SortedDictionary<string, QueryResult> tables = new(StringComparer.Ordinal);
    CoverageGaps? gaps;
    readonly GeoIpDatabases? geoIp;

    internal ProcedureRun(CaseStore store, Procedure procedure, IReadOnlyDictionary<string, object?> given)
    {
        Store = store;
        Procedure = procedure;
        var known = procedure.Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var name in given.Keys.Where(k => !known.ContainsKey(k.Replace('-', '_'))))
            throw new ArgumentException($"{procedure.Name} has no parameter '{name}'. Parameters: {string.Join(", ", procedure.Parameters.Select(p => p.Name))}.");
        foreach (var p in procedure.Parameters)
        {
            var supplied = given.FirstOrDefault(kv => string.Equals(kv.Key.Replace('-', '_'), p.Name, StringComparison.OrdinalIgnoreCase));
            values[p.Name] = p.Convert(supplied.Key is null ? p.Default : supplied.Value, inputNotes);
        }
        // The case's counted records, rebuilt only when the evidence or inventory changed since the last run.
        CountedFlows.EnsureCurrent(store);
        // The window defaults to the records in the case: a procedure always states exactly what it looked at.
        var span = store.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        HasRecords = span[0] is DateTime;
        From = Get<DateTime?>("from") ?? span[0] as DateTime? ?? DateTime.UnixEpoch;
        To = Get<DateTime?>("to") ?? (span[1] as DateTime?)?.AddSeconds(1) ?? DateTime.UnixEpoch;
        WindowGiven = Get<DateTime?>("from") is not null || Get<DateTime?>("to") is not null;
        // A window that can hold no record would come back as "nothing found": refused here, for every face at once.
        TimeWindow.CheckAnalysis(From, To, span[0] as DateTime?, span[1] as DateTime?, Get<DateTime?>("from") is not null, Get<DateTime?>("to") is not null);
        if (Get<DateTime?>("baseline_from") is { } baselineFrom && Get<DateTime?>("baseline_to") is { } baselineTo)
            TimeWindow.CheckOrder(baselineFrom, baselineTo, "baseline_from", "baseline_to");
        values["from"] = From;
        values["to"] = To;
        values["internal_cidrs"] = values.GetValueOrDefault("internal_cidrs") ?? CidrList.Private;
        CaseInterfaces.Prepare(store, values, sqlLog);
        // Opened before any analysis query: a missing or unreadable database fails the run at once.
        geoIp = GeoIpDatabases.Open(Get<string>(CommonParameters.GeoIpDatabase.Name), Get<string>(CommonParameters.AsnDatabase.Name));
    }

    public CaseStore Store { get; }
    public Procedure Procedure { get; }
    /// <summary>Start of the window (inclusive).</summary>
    public DateTime From { get; }
    /// <summary>End of the window (exclusive).</summary>
    public DateTime To { get; }
    /// <summary>True when the analyst set from or to.</summary>
    public bool WindowGiven { get; }
    /// <summary>False for a case without flow records.</summary>
    public bool HasRecords { get; }
    /// <summary>The main table.</summary>
    public QueryResult? Table { get; set; }

    /// <summary>A bound parameter value.</summary>
    public T Get<T>(string name) => values.TryGetValue(name, out var v) && v is T t ? t : default!;

    /// <summary>The coverage of the window.</summary>
    public CoverageGaps Coverage => gaps ??= CoverageGaps.Compute(this);

    /// <summary>Runs one of the procedure's queries with the bound values plus <paramref name="extra"/>.</summary>
    public QueryResult Query(string name, IReadOnlyDictionary<string, object?>? extra = null, int maxRows = int.MaxValue) =>
        Query(Procedure.Query(name), extra, maxRows);

    /// <summary>Runs a query with the bound values plus <paramref name="extra"/>.</summary>
    public QueryResult Query(ProcedureQuery query, IReadOnlyDictionary<string, object?>? extra = null, int maxRows = int.MaxValue)
    {
        var (sql, ps) = query.Render(With(extra));
        sqlLog.Add($"-- {query.Name}\n{sql}");
        return Store.Query(sql, ps, maxRows);
    }

    /// <summary>Runs a statement (a temporary table) with the bound values.</summary>
    public void Execute(ProcedureQuery query, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var (sql, ps) = query.Render(With(extra));
        sqlLog.Add($"-- {query.Name}\n{sql}");
        Store.Execute(sql, [.. ps]);
    }

    IReadOnlyDictionary<string, object?> With(IReadOnlyDictionary<string, object?>? extra)
    {
        if (extra is null) return values;
        var all = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        foreach (var (k, v) in extra) all[k] = v;
        return all;
    }

    /// <summary>
    /// The table with <c>country</c>, <c>country_name</c>, <c>asn</c> and <c>as_org</c> inserted after its external-address
    /// column, from the <c>geoip_database</c> and <c>asn_database</c> parameters; the table itself when neither was given.
    /// </summary>
    public QueryResult WithGeoIp(QueryResult table, string addressColumn) =>
        geoIp?.Enrich(table, addressColumn, Get<CidrList>("internal_cidrs")) ?? table;

    public void Dispose() => geoIp?.Dispose();

    /// <summary>Adds a side table.</summary>
    public void AddTable(string name, QueryResult table) => tables[name] = table;

    /// <summary>Adds a finding; negative findings get the window's coverage statement.</summary>
    public void Add(Finding finding) =>
        findings.Add(finding.Negative && finding.Coverage is null ? finding with { Coverage = Coverage.Statement } : finding);

    /// <summary>
    /// Sample records behind a finding: up to <paramref name="limit"/> lines of the window's counted records (the ones its
    /// figures add up) matching a predicate over <c>counted_flows</c> columns (a template, values by name), grouped by
    /// evidence object with its SHA-256. <paramref name="source"/> may name another table with evidence_id and line
    /// (<c>skipdata_records</c>).
    /// </summary>
    public IReadOnlyList<EvidenceRef> Sample(string predicate, IReadOnlyDictionary<string, object?>? extra = null, int limit = 5, string source = "counted_flows")
    {
        // The table name goes into the SQL text: only the two tables that carry evidence_id and line.
        if (source is not ("counted_flows" or "skipdata_records"))
            throw new ArgumentException($"No evidence sample from '{source}': counted_flows or skipdata_records.", nameof(source));
        var query = new ProcedureQuery("evidence sample", "Sample records behind a finding.", $"""
            SELECT e.evidence_id, e.object, e.sha256, list(s.line ORDER BY s.line) AS lines
            FROM (SELECT evidence_id, line FROM {source}
                  WHERE end_time >= $from AND start_time < $to AND ({predicate})
                  ORDER BY start_time, evidence_id, line LIMIT {limit.ToString(CultureInfo.InvariantCulture)}) s
            JOIN evidence e USING (evidence_id)
            GROUP BY ALL ORDER BY e.evidence_id
            """);
        var (sql, ps) = query.Render(With(extra));
        return Store.Query(sql, ps).Rows
            .Select(r => new EvidenceRef(Convert.ToInt32(r[0], CultureInfo.InvariantCulture), (string)r[1]!, (string)r[2]!,
                ((System.Collections.IEnumerable)r[3]!).Cast<object>().Select(l => Convert.ToInt64(l, CultureInfo.InvariantCulture)).ToList()))
            .ToList();
    }

    internal ProcedureResult Result()
    {
        findings.Sort(Finding.Compare);
        return new ProcedureResult
        {
            Procedure = Procedure.Name,
            Parameters = Procedure.Parameters.ToDictionary(p => p.Name, p => ProcedureParameter.Show(values.GetValueOrDefault(p.Name)), StringComparer.Ordinal),
            From = HasRecords || WindowGiven ? From : null,
            To = HasRecords || WindowGiven ? To : null,
            Table = Table ?? throw new InvalidOperationException($"{Procedure.Name} set no table."),
            Tables = tables,
            Findings = findings.ToList(),
            Coverage = Coverage.Statement,
            Sql = sqlLog.ToList(),
            Notes = inputNotes.ToList(),
        };
    }

    /// <summary>Time as findings show it.</summary>
    public static string Show(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Bytes as findings show them: exact, with a readable size.</summary>
    public static string Bytes(long b) => string.Create(CultureInfo.InvariantCulture, $"{b:N0} bytes ({b / 1048576.0:N1} MiB)");
}
