using System.Globalization;

namespace FlowNotebooks.Ingest;

/// <summary>What a load summary says about record times that are not the records' own (one wording for CLI and notebook).</summary>
public static class IngestNotes
{
    public static IEnumerable<string> Times(IngestSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var (source, records, seconds) in s.BoundedTimes)
            yield return string.Create(c, $"Times bounded from the {source}: {records:N0} records have no start/end; their start_time/end_time are a bound up to {seconds:N0} s wide (flows.time_source, flows.time_bound_seconds).");
        if (s.ImplausibleTimes > 0)
            yield return string.Create(c, $"Implausible times: {s.ImplausibleTimes:N0} records start before {Formats.FlowLogsLaunch.Date:yyyy-MM-dd} (VPC Flow Logs launch) or end more than a day after their delivery; kept, flagged in the manifest (evidence.implausible_times), left out of the time span.");
    }
}
