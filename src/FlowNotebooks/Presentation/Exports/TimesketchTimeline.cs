using System.Globalization;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// A Timesketch timeline: one event per counted journey or per finding, with the columns Timesketch requires of a CSV or
/// JSONL import — <c>message</c>, <c>datetime</c> (ISO 8601 with an offset, e.g. 2015-07-24T19:01:01+00:00) and
/// <c>timestamp_desc</c> (what the time is) — plus the optional <c>timestamp</c> in microseconds since the epoch, then the
/// flow or finding fields as extra columns (Timesketch docs, "Create timeline from JSON/JSONL/CSV file":
/// github.com/google/timesketch docs/guides/user/import-from-json-csv.md). Importable as is: no header mapping needed.
/// </summary>
public static class TimesketchTimeline
{
    /// <summary>The columns every event starts with, in this order.</summary>
    public static readonly IReadOnlyList<string> Required = ["message", "datetime", "timestamp", "timestamp_desc"];

    /// <summary>One event per journey at its start ("Flow start"), the journey's fields after the required columns.</summary>
    public static QueryResult Journeys(QueryResult journeys)
    {
        var rows = journeys.RowsByName.Select((r, i) =>
        {
            var start = r.Time("start_time");
            return (object?[])[JourneyText.Message(r), DateTimeText(start), Micros(start), "Flow start", .. journeys.Rows[i]];
        }).ToList();
        return new QueryResult([.. Required, .. journeys.Columns], [.. RequiredTypes, .. journeys.Types], rows, journeys.Truncated);
    }

    /// <summary>One event per finding at the start of its span (its <c>from</c> fact), or of the window analysed when the
    /// finding names no span ("Analysis window start"); the finding's fields and evidence after the required columns.</summary>
    public static QueryResult Findings(ProcedureResult result)
    {
        var table = FindingsTable.Of(result, oneRowPerEvidence: false);
        var rows = result.Findings.Select((f, i) =>
        {
            var from = f.Facts.TryGetValue("from", out var t) ? DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : (DateTime?)null;
            var at = from ?? result.From ?? DateTime.UnixEpoch;
            var message = $"[{f.Severity.ToString().ToLowerInvariant()}]{(f.Technique is null ? "" : " " + f.Technique)} {f.Title}";
            return (object?[])[message, DateTimeText(at), Micros(at), from is null ? "Analysis window start" : "Finding start", .. table.Rows[i]];
        }).ToList();
        return new QueryResult([.. Required, .. table.Columns], [.. RequiredTypes, .. table.Types], rows, false);
    }

    static readonly string[] RequiredTypes = ["VARCHAR", "VARCHAR", "BIGINT", "VARCHAR"];

    /// <summary>ISO 8601 with the UTC offset written out (+00:00), as Timesketch's examples give it; fractions only when there are any.</summary>
    public static string DateTimeText(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'+00:00'", CultureInfo.InvariantCulture);

    static long Micros(DateTime t) => (DateTime.SpecifyKind(t, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10;
}
