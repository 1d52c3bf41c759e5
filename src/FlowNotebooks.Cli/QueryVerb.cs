using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Presentation.Exports;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb query --case FILE "SQL" [--csv|--json]</c>.</summary>
internal static class QueryVerb
{
    public static Command Create(TextWriter output)
    {
        var sql = new Argument<string>("sql") { Description = "The SQL to run against the case store." };
        var caseFile = CaseOption.Create(required: true);
        var csv = new Option<bool>("--csv") { Description = "CSV with a header row." };
        var json = new Option<bool>("--json") { Description = "JSON lines, one object per row." };
        var command = new Command("query", "Run SQL over a case store.") { sql, caseFile, csv, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(caseFile)!;
            if (!File.Exists(path)) throw new CliException($"No case file '{path}'.");
            using var store = CaseStore.Open(path);
            // counted_journeys reflects the evidence, even when a load was interrupted before it could count.
            CountedFlows.EnsureCurrent(store);
            Action<CaseStore, string, TextWriter> writer = parse.GetValue(json) ? ResultWriter.JsonLines : parse.GetValue(csv) ? ResultWriter.Csv : ResultWriter.Text;
            writer(store, parse.GetValue(sql)!, output);
            return 0;
        });
        return command;
    }
}

/// <summary>Writes a query's rows as CSV, JSON lines or an aligned text table, streaming from DuckDB.</summary>
internal static class ResultWriter
{
    public static void Csv(CaseStore store, string sql, TextWriter o) =>
        store.Stream(sql, null,
            row => CsvText.Line(o, Enumerable.Range(0, row.FieldCount).Select(i => Format(QueryResult.Value(row, i)))),
            header => CsvText.Line(o, Enumerable.Range(0, header.FieldCount).Select(header.GetName)));

    public static void JsonLines(CaseStore store, string sql, TextWriter o) =>
        store.Stream(sql, null, row =>
        {
            var dict = new Dictionary<string, object?>();
            for (var i = 0; i < row.FieldCount; i++) dict[row.GetName(i)] = JsonValue(QueryResult.Value(row, i));
            o.WriteLine(JsonSerializer.Serialize(dict));
        });

    public static void Text(CaseStore store, string sql, TextWriter o)
    {
        var result = store.Query(sql, null, 1000);
        var cells = result.Rows.Select(r => r.Select(Format).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Min(60, Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length)))).ToArray();
        o.WriteLine(string.Join("  ", result.Columns.Select((c, i) => c.PadRight(widths[i]))));
        foreach (var r in cells) o.WriteLine(string.Join("  ", r.Select((v, i) => (v.Length > 60 ? v[..57] + "..." : v).PadRight(widths[i]))));
        o.WriteLine(result.Truncated ? "(first 1,000 rows; use --csv or --json for all)" : $"({result.Rows.Count} rows)");
    }

    internal static string Format(object? v) => v switch
    {
        null => "",
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        byte[] b => Hex(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    static object? JsonValue(object? v) => v switch
    {
        System.Numerics.BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        UInt128 u => u.ToString(CultureInfo.InvariantCulture),
        Int128 i => i.ToString(CultureInfo.InvariantCulture),
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        byte[] b => Hex(b),
        _ => v,
    };

    /// <summary>A BLOB as hex (0x…): its bytes, not the name of the stream DuckDB hands it in.</summary>
    static string Hex(byte[] b) => "0x" + Convert.ToHexStringLower(b);
}
