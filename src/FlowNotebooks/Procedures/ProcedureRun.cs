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
    // Every statement as it ran (SQL with $n and the values bound), for the audit record.
    readonly List<ExecutedStatement> sqlLog = [];
    readonly List<Finding> findings = [];
    readonly List<string> inputNotes = [];
    readonly SortedDictionary<string, QueryResult> tables = new(StringComparer.Ordinal);
    CoverageGaps? gaps;
    readonly GeoIpDatabases? geoIp;
    // Which logged statement a result's rows came from (by reference): the audit script ends with the table's statement.
    readonly Dictionary<IReadOnlyList<object?[]>, int> producedBy = new(ReferenceEqualityComparer.Instance);
    // Columns or figures this run added outside SQL (GeoIP), stated in the audit record.
    readonly List<string> outsideSql = [];

    internal ProcedureRun(CaseStore store, Procedure procedure, IReadOnlyDictionary<string, object?> given)
    {
        Store = store;
        Procedure = procedure;
        foreach (var (name, value) in ProcedureParameter.Bind(procedure.Parameters, given, procedure.Name, inputNotes)) values[name] = value;
        // The case's counted records, rebuilt only when the evidence or inventory changed since the last run.
        CountedFlows.EnsureCurrent(store);
        // The window defaults to the records in the case: a procedure always states exactly what it looked at.
        // A window that can hold no record would come back as "nothing found": refused here, for every face at once.
        var window = CaseWindow.Of(store, Get<DateTime?>("from"), Get<DateTime?>("to"));
        HasRecords = window.HasRecords;
        ImplausibleTimes = window.ImplausibleTimes;
        From = window.From;
        To = window.To;
        WindowGiven = window.Given;
        // A reversed baseline would read as "every destination is new".
        TimeWindow.CheckOrder(Get<DateTime?>("baseline_from"), Get<DateTime?>("baseline_to"), "baseline_from", "baseline_to");
        values["from"] = From;
        values["to"] = To;
        values["internal_cidrs"] = values.GetValueOrDefault("internal_cidrs") ?? CidrList.Private;
        CaseInterfaces.Prepare(store, values, sqlLog);
        // Opened before any analysis query: a missing or unreadable database fails the run at once.
        geoIp = GeoIpDatabases.Open(Get<string>(CommonParameters.GeoIpDatabase.Name), Get<string>(CommonParameters.AsnDatabase.Name));
    }

    public CaseStore Store { get; }
    public Procedure Procedure { get; }

    /// <summary>Records of the case whose times are implausible (kept; outside the default window).</summary>
    public long ImplausibleTimes { get; }
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

    /// <summary>What of the window can no longer be seen, and until when the rest can (retention, lifecycle, deletions, custody).</summary>
    public EvidenceClock Clock => clock ??= EvidenceClock.Compute(Store, From, To);
    EvidenceClock? clock;

    /// <summary>Runs one of the procedure's queries with the bound values plus <paramref name="extra"/>.</summary>
    public QueryResult Query(string name, IReadOnlyDictionary<string, object?>? extra = null, int maxRows = int.MaxValue) =>
        Query(Procedure.Query(name), extra, maxRows);

    /// <summary>Runs a query with the bound values plus <paramref name="extra"/>.</summary>
    public QueryResult Query(ProcedureQuery query, IReadOnlyDictionary<string, object?>? extra = null, int maxRows = int.MaxValue)
    {
        var statement = ExecutedStatement.Of(query, With(extra));
        sqlLog.Add(statement);
        var result = Store.Query(statement.Sql, statement.Parameters, maxRows);
        producedBy[result.Rows] = sqlLog.Count - 1;
        return result;
    }

    /// <summary>Runs a statement (a temporary table) with the bound values.</summary>
    public void Execute(ProcedureQuery query, IReadOnlyDictionary<string, object?>? extra = null) =>
        Execute(ExecutedStatement.Of(query, With(extra)));

    /// <summary>Runs a statement the procedure rendered itself (rows of values as parameters), logged like the others.</summary>
    public void Execute(ExecutedStatement statement)
    {
        sqlLog.Add(statement);
        Store.Execute(statement.Sql, [.. statement.Parameters]);
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
    public QueryResult WithGeoIp(QueryResult table, string addressColumn)
    {
        if (geoIp?.Enrich(table, addressColumn, Get<CidrList>("internal_cidrs")) is not { } enriched) return table;
        // Still that statement's table, with columns SQL did not compute: the audit record says which.
        if (producedBy.TryGetValue(table.Rows, out var at)) producedBy[enriched.Rows] = at;
        var added = string.Join(", ", enriched.Columns.Except(table.Columns));
        var files = string.Join(" and ", new[] { Get<string>(CommonParameters.GeoIpDatabase.Name), Get<string>(CommonParameters.AsnDatabase.Name) }
            .Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => System.IO.Path.GetFileName(f!)));
        var note = $"Columns {added} (after {addressColumn}): looked up in C# in {files} (MaxMind); empty for internal_cidrs and unknown addresses. Not in the SQL.";
        if (!outsideSql.Contains(note)) outsideSql.Add(note);
        return enriched;
    }

    public void Dispose() => geoIp?.Dispose();

    /// <summary>Adds a side table.</summary>
    public void AddTable(string name, QueryResult table) => tables[name] = table;

    /// <summary>Adds a finding; negative findings get the window's coverage statement.</summary>
    public void Add(Finding finding) =>
        findings.Add(finding.Negative && finding.Coverage is null ? finding with { Coverage = Coverage.Statement } : finding);

    /// <summary>
    /// The evidence a finding cites: the lines <paramref name="records"/> picks (one of <see cref="Citations"/>, over the
    /// records the finding's figures are made of), with the run's values plus <paramref name="values"/> (the finding's own
    /// span and parties as <c>$cited_*</c>), grouped by evidence object with its SHA-256.
    /// </summary>
    public IReadOnlyList<EvidenceRef> Cite(ProcedureQuery records, IReadOnlyDictionary<string, object?> values)
    {
        // Through the logged path: the audit record shows which lines were cited and by which query.
        return Query(new ProcedureQuery("cite: " + records.Name, records.Description, $"""
            SELECT e.evidence_id, e.object, e.sha256, list(c.line ORDER BY c.line) AS lines
            FROM ({records.Sql}) c JOIN evidence e USING (evidence_id)
            GROUP BY ALL ORDER BY e.evidence_id
            """), values).RowsByName.Select(Cited).ToList();
    }

    /// <summary>
    /// <see cref="Cite"/> for many findings in one query: <paramref name="records"/> also returns <c>cited_for</c>, the item
    /// each line is cited for; the evidence of each item, by item (an item with no line is absent).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EvidenceRef>> CiteEach(ProcedureQuery records, IReadOnlyDictionary<string, object?> values)
    {
        return Query(new ProcedureQuery("cite: " + records.Name, records.Description, $"""
            SELECT c.cited_for, e.evidence_id, e.object, e.sha256, list(c.line ORDER BY c.line) AS lines
            FROM ({records.Sql}) c JOIN evidence e USING (evidence_id)
            GROUP BY ALL ORDER BY c.cited_for, e.evidence_id
            """), values).RowsByName
            .GroupBy(r => r.Text("cited_for"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<EvidenceRef>)g.Select(Cited).ToList(), StringComparer.Ordinal);
    }

    static EvidenceRef Cited(QueryRow r) => new(r.Int("evidence_id"), r.Text("object"), r.Text("sha256"),
        r.List("lines").Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToList());

    internal ProcedureResult Result()
    {
        findings.Sort(Finding.Compare);
        var parameters = Procedure.Parameters.ToDictionary(p => p.Name, p => ProcedureParameter.Show(values.GetValueOrDefault(p.Name)), StringComparer.Ordinal);
        return new ProcedureResult
        {
            Procedure = Procedure.Name,
            Parameters = parameters,
            From = HasRecords || WindowGiven ? From : null,
            To = HasRecords || WindowGiven ? To : null,
            Table = Table ?? throw new InvalidOperationException($"{Procedure.Name} set no table."),
            Tables = tables,
            Findings = findings.ToList(),
            Coverage = Coverage.Statement,
            Sql = sqlLog.Select(q => $"-- {q.Name}\n{q.Inlined}").ToList(),
            Audit = AuditRecord.Of(this, parameters, sqlLog, Table is { } t && producedBy.TryGetValue(t.Rows, out var at) ? at : null, outsideSql),
            Notes = inputNotes.ToList(),
        };
    }

    /// <summary>Time as findings show it.</summary>
    public static string Show(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Bytes as findings show them: exact, with a readable size.</summary>
    public static string Bytes(long b) => string.Create(CultureInfo.InvariantCulture, $"{b:N0} bytes ({b / 1048576.0:N1} MiB)");
}
