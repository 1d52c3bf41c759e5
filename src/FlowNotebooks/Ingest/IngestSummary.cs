using FlowNotebooks.Parsing;

namespace FlowNotebooks.Ingest;

/// <summary>What a load read: the figures an analyst writes in the intake section of a case.</summary>
public sealed record IngestSummary
{
    /// <summary>Objects read in this load (new evidence).</summary>
    public int Objects { get; init; }
    /// <summary>Objects skipped because the same bytes (SHA-256) were already in the case.</summary>
    public int Duplicates { get; init; }
    /// <summary>Files passed over because they are not flow-log evidence (name and reason).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
    /// <summary>AWS calls throttled (and retried) while streaming s3:// evidence.</summary>
    public int Throttles { get; init; }
    /// <summary>Flow records stored.</summary>
    public long Records { get; init; }
    /// <summary>Lines or objects rejected.</summary>
    public long Rejects { get; init; }
    /// <summary>Reject counts by reason (most frequent first).</summary>
    public IReadOnlyList<(string Reason, long Count)> RejectReasons { get; init; } = [];
    /// <summary>The first ten rejects of this load (in evidence and line order), to show an analyst what was refused.</summary>
    public IReadOnlyList<Reject> FirstRejects { get; init; } = [];
    /// <summary>Earliest start time (records with implausible times left out).</summary>
    public DateTime? FirstTime { get; init; }
    /// <summary>Latest end time (records with implausible times left out).</summary>
    public DateTime? LastTime { get; init; }
    /// <summary>Records whose times lie before VPC Flow Logs existed or more than a day after their delivery: kept, flagged, outside the span.</summary>
    public long ImplausibleTimes { get; init; }
    /// <summary>Records without start/end whose times are bounds from their delivery, by where the bound came from.</summary>
    public IReadOnlyList<(string Source, long Records, long Seconds)> BoundedTimes { get; init; } = [];
    /// <summary>Distinct interfaces seen.</summary>
    public long Interfaces { get; init; }
    /// <summary>Layouts read (field lists) with object counts.</summary>
    public IReadOnlyList<(string Format, long Objects)> Formats { get; init; } = [];
    /// <summary>Uncompressed+compressed bytes read.</summary>
    public long Bytes { get; init; }
    /// <summary>Wall time.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Evidence ids assigned in this load.</summary>
    public IReadOnlyList<int> EvidenceIds { get; init; } = [];
}
