using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Charts;

/// <summary>Charts straight from a case. <c>filter</c> is a SQL predicate over <c>flows</c> (the analyst's own, like
/// <see cref="FlowCase.Flows(string?, object?[])"/>); column names are checked against the table, never pasted blind.</summary>
public static class CaseCharts
{
    static readonly Dictionary<string, string> Measures = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bytes"] = "sum(bytes)", ["packets"] = "sum(packets)", ["flows"] = "count(*)",
    };

    static readonly (TimeSpan Width, string Sql)[] Buckets =
    [
        (TimeSpan.FromMinutes(1), "1 minute"), (TimeSpan.FromMinutes(5), "5 minutes"), (TimeSpan.FromMinutes(15), "15 minutes"),
        (TimeSpan.FromHours(1), "1 hour"), (TimeSpan.FromHours(6), "6 hours"), (TimeSpan.FromDays(1), "1 day"), (TimeSpan.FromDays(7), "7 days"),
    ];

    /// <summary>Bytes (or packets, flows) per time bucket; the bucket is picked for about 200 points unless given.</summary>
    public static FlowChart Timeline(FlowCase flowCase, string? filter = null, string measure = "bytes", TimeSpan? bucket = null)
    {
        var (expr, where) = (Measure(measure), Where(filter));
        var range = flowCase.Store.Query($"SELECT min(start_time), max(start_time) FROM flows{where}").Rows[0];
        var span = range[0] is DateTime a && range[1] is DateTime b ? b - a : TimeSpan.Zero;
        var width = bucket ?? Buckets.Select(x => x.Width).FirstOrDefault(w => span / w <= 200, Buckets[^1].Width);
        var rows = flowCase.Store.Query(
            $"SELECT time_bucket(to_microseconds({(long)(width.Ticks / 10)}), start_time) AS t, CAST({expr} AS DOUBLE) AS v " +
            $"FROM flows{where} GROUP BY ALL ORDER BY t").Rows.Where(r => r[0] is not null).ToList();
        return FlowCharts.Timeline(rows.Select(r => (DateTime)r[0]!), rows.Select(r => Convert.ToDouble(r[1])),
            $"{measure} per {Label(width)}", measure);
    }

    /// <summary>The top <paramref name="n"/> values of a column (e.g. srcaddr, dstport, interface_id) by a measure.</summary>
    public static FlowChart Top(FlowCase flowCase, string by = "srcaddr", string measure = "bytes", int n = 10, string? filter = null)
    {
        var column = Column(flowCase, by);
        var rows = flowCase.Store.Query(
            $"SELECT CAST({column} AS VARCHAR), CAST({Measure(measure)} AS DOUBLE) AS v FROM flows{Where(filter)} GROUP BY ALL ORDER BY v DESC NULLS LAST LIMIT {Math.Max(1, n)}").Rows;
        return FlowCharts.Bars(rows.Select(r => (string?)r[0] ?? "(none)"), rows.Select(r => Convert.ToDouble(r[1])),
            $"Top {rows.Count} {by} by {measure}", measure);
    }

    /// <summary>Hour of day (UTC) × host for the busiest <paramref name="hosts"/> hosts: when does each one talk?</summary>
    public static FlowChart HourByHost(FlowCase flowCase, string host = "srcaddr", string measure = "bytes", int hosts = 20, string? filter = null)
    {
        var (column, expr, where) = (Column(flowCase, host), Measure(measure), Where(filter));
        var rows = flowCase.Store.Query($"""
            WITH top AS (SELECT {column} AS h FROM flows{where} GROUP BY ALL ORDER BY {expr} DESC NULLS LAST LIMIT {Math.Max(1, hosts)})
            SELECT CAST({column} AS VARCHAR), hour(start_time), CAST({expr} AS DOUBLE)
            FROM flows{(where.Length == 0 ? " WHERE" : where + " AND")} {column} IN (SELECT h FROM top) AND start_time IS NOT NULL
            GROUP BY ALL
            """).Rows;
        var names = rows.Select(r => (string?)r[0] ?? "(none)").Distinct().Order(StringComparer.Ordinal).ToList();
        var z = names.Select(_ => new double[24]).ToList();
        foreach (var r in rows) z[names.IndexOf((string?)r[0] ?? "(none)")][Convert.ToInt32(r[1])] = Convert.ToDouble(r[2]);
        return FlowCharts.Heatmap(z, Enumerable.Range(0, 24).Select(h => h.ToString("00")), names,
            $"{measure} by hour (UTC) and {host}", "hour (UTC)", host);
    }

    static string Measure(string measure) => Measures.TryGetValue(measure, out var sql) ? sql
        : throw new ArgumentException($"Unknown measure '{measure}': use {string.Join(", ", Measures.Keys)}.", nameof(measure));

    static string Where(string? filter) => string.IsNullOrWhiteSpace(filter) ? "" : $" WHERE ({filter})";

    static string Column(FlowCase flowCase, string name)
    {
        var known = flowCase.Store.Query("SELECT column_name FROM information_schema.columns WHERE table_name = 'flows'").Rows.Select(r => (string)r[0]!);
        return known.Contains(name, StringComparer.Ordinal) ? SqlText.Identifier(name)
            : throw new ArgumentException($"The flows table has no column '{name}'.", nameof(name));
    }

    static string Label(TimeSpan w) => w.TotalDays >= 1 ? $"{w.TotalDays:0} day(s)" : w.TotalHours >= 1 ? $"{w.TotalHours:0} hour(s)" : $"{w.TotalMinutes:0} minute(s)";
}
