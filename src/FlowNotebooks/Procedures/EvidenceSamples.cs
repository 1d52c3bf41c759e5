using System.Collections;
using System.Globalization;
using System.Text;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// The sample records behind a run's findings, fetched together when the run ends: one pass over the records for every
/// finding rather than one per finding (on 10^8 records a pass costs about a second, and a procedure may state dozens of
/// findings). Each request keeps its own predicate, values and window; its lines are the earliest matching records.
/// </summary>
sealed class EvidenceSamples
{
    readonly List<(string Predicate, IReadOnlyDictionary<string, object?> Values, int Limit, string Source, Pending List)> requests = [];

    /// <summary>Registers a request; the list is filled by <see cref="Fetch"/>.</summary>
    public IReadOnlyList<EvidenceRef> Add(string predicate, IReadOnlyDictionary<string, object?> values, int limit, string source)
    {
        // The table name goes into the SQL text: only the two tables that carry evidence_id and line.
        if (source is not ("counted_flows" or "skipdata_records"))
            throw new ArgumentException($"No evidence sample from '{source}': counted_flows or skipdata_records.", nameof(source));
        var list = new Pending();
        requests.Add((predicate, values, limit, source, list));
        return list;
    }

    /// <summary>Fills every pending list: one query per source table and sample size.</summary>
    public void Fetch(CaseStore store)
    {
        foreach (var group in requests.Where(r => !r.List.Filled).GroupBy(r => (r.Source, r.Limit)).ToList())
        {
            var batch = group.ToList();
            var (sql, ps) = Query(group.Key.Source, group.Key.Limit, batch.Select(r => (r.Predicate, r.Values)).ToList());
            var found = new Dictionary<int, List<EvidenceRef>>();
            foreach (var r in store.Query(sql, ps).Rows)
            {
                var k = Convert.ToInt32(r[0], CultureInfo.InvariantCulture);
                if (!found.TryGetValue(k, out var refs)) found[k] = refs = [];
                refs.Add(new EvidenceRef(Convert.ToInt32(r[1], CultureInfo.InvariantCulture), (string)r[2]!, (string)r[3]!,
                    ((IEnumerable)r[4]!).Cast<object>().Select(l => Convert.ToInt64(l, CultureInfo.InvariantCulture)).ToList()));
            }
            for (var k = 0; k < batch.Count; k++) batch[k].List.Fill(found.GetValueOrDefault(k) ?? []);
        }
    }

    // Request k's placeholders are renamed name__k, so requests with different values share one statement.
    static (string Sql, IReadOnlyList<object?> Parameters) Query(string source, int limit, IReadOnlyList<(string Predicate, IReadOnlyDictionary<string, object?> Values)> batch)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var matches = new List<string>();
        for (var k = 0; k < batch.Count; k++)
        {
            var suffix = "__" + k.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, v) in batch[k].Values) values[name + suffix] = v;
            var predicate = ProcedureQuery.Placeholder().Replace(batch[k].Predicate, m =>
                m.Groups["name"].Success ? "$" + m.Groups["name"].Value + suffix
                : m.Groups["column"].Success ? "{" + m.Groups["column"].Value + " in " + m.Groups["cidrs"].Value + suffix + "}"
                : "{list " + m.Groups["list"].Value + suffix + "}");
            matches.Add($"(end_time >= $from{suffix} AND start_time < $to{suffix} AND ({predicate}))");
        }
        var sql = new StringBuilder("WITH m AS (\n  SELECT evidence_id, line, start_time, [");
        sql.AppendJoin(", ", matches.Select((p, k) => $"CASE WHEN {p} THEN {k.ToString(CultureInfo.InvariantCulture)} END"));
        sql.Append("] AS ks\n  FROM ").Append(source).Append("\n  WHERE ").AppendJoin("\n     OR ", matches).Append("),\n");
        sql.Append($$"""
            u AS (SELECT unnest(list_filter(ks, k -> k IS NOT NULL)) AS k, evidence_id, line, start_time FROM m),
            s AS (
              -- The earliest records per request (time, then object and line), as a top-n aggregate: no sort of every match.
              SELECT k, unnest(arg_min({'evidence_id': evidence_id, 'line': line}, {'t': start_time, 'e': evidence_id, 'l': line}, {{limit.ToString(CultureInfo.InvariantCulture)}})) AS r
              FROM u GROUP BY k)
            SELECT s.k, e.evidence_id, e.object, e.sha256, list(s.r.line ORDER BY s.r.line) AS lines
            FROM s JOIN evidence e ON e.evidence_id = s.r.evidence_id
            GROUP BY ALL ORDER BY s.k, e.evidence_id
            """);
        return new ProcedureQuery("evidence samples", "Sample records behind the findings.", sql.ToString()).Render(values);
    }

    /// <summary>A finding's evidence until the run ends, then its sample records.</summary>
    sealed class Pending : IReadOnlyList<EvidenceRef>
    {
        IReadOnlyList<EvidenceRef>? refs;
        public bool Filled => refs is not null;
        public void Fill(IReadOnlyList<EvidenceRef> found) => refs = found;
        IReadOnlyList<EvidenceRef> Refs => refs ?? throw new InvalidOperationException("Evidence samples are fetched when the run ends.");
        public EvidenceRef this[int index] => Refs[index];
        public int Count => Refs.Count;
        public IEnumerator<EvidenceRef> GetEnumerator() => Refs.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
