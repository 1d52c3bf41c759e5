using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// A procedure's findings as a table: severity, technique, title, statement, negative, span (<c>from</c>/<c>to</c> facts),
/// coverage and the evidence each cites — object, SHA-256 and lines, as the findings JSON gives them.
/// </summary>
public static class FindingsTable
{
    static readonly string[] Columns =
        ["procedure", "severity", "technique", "title", "statement", "negative", "from", "to", "coverage", "evidence_object", "evidence_sha256", "evidence_lines"];
    static readonly string[] Types =
        ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"];

    /// <summary>With <paramref name="oneRowPerEvidence"/>, one row per finding and cited object (a finding citing nothing
    /// has one row without evidence); else one row per finding, its objects and lines joined by ';'.</summary>
    public static QueryResult Of(ProcedureResult result, bool oneRowPerEvidence = true)
    {
        var rows = new List<object?[]>();
        foreach (var f in result.Findings)
        {
            object?[] Row(string? obj, string? sha, string? lines) =>
            [
                result.Procedure, f.Severity.ToString().ToLowerInvariant(), f.Technique, f.Title, f.Statement, f.Negative,
                f.Facts.GetValueOrDefault("from"), f.Facts.GetValueOrDefault("to"), f.Coverage, obj, sha, lines,
            ];
            var evidence = f.Evidence.OrderBy(e => e.EvidenceId).ToList();
            if (!oneRowPerEvidence || evidence.Count == 0)
                rows.Add(Row(Join(evidence.Select(e => e.Object)), Join(evidence.Select(e => e.Sha256)), Join(evidence.Select(Lines))));
            else
                rows.AddRange(evidence.Select(e => Row(e.Object, e.Sha256, Lines(e))));
        }
        return new QueryResult(Columns, Types, rows, false);
    }

    static string Lines(EvidenceRef e) => string.Join(",", e.Lines.Order());

    static string? Join(IEnumerable<string> items) => items.ToList() is { Count: > 0 } list ? string.Join(";", list) : null;
}
