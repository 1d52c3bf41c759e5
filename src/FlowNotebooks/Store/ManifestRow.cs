using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;

namespace FlowNotebooks.Store;

/// <summary>One evidence object's row in the manifest (table <c>evidence</c>) and the rejects stored with it.</summary>
internal sealed record ManifestRow
{
    public required int EvidenceId { get; init; }
    public required string Object { get; init; }
    public required string Kind { get; init; }
    public required long Size { get; init; }
    public required string Sha256 { get; init; }
    public required string Status { get; init; }
    public string? Format { get; init; }
    public long Records { get; init; }
    public long Rejected { get; init; }
    public long HeaderLines { get; init; }
    public long BlankLines { get; init; }
    public DateTime? FirstTime { get; init; }
    public DateTime? LastTime { get; init; }
    public string? FlowLogId { get; init; }
    public string? AccountId { get; init; }
    public string? Region { get; init; }
    public DateTime? DeliveryTime { get; init; }
    public string? KeyLayout { get; init; }
    public string? Notes { get; init; }
    /// <summary>The CloudWatch log group its records came from (the capture, when no flow-log id is known).</summary>
    public string? LogGroup { get; init; }
    /// <summary>Records whose times lie before VPC Flow Logs existed or more than a day after delivery (kept, flagged).</summary>
    public long ImplausibleTimes { get; init; }
    /// <summary>What of its content contradicts what its name claims (another account, records long before the delivery it
    /// claims), or null: an object an attacker who can write to the log bucket may have put there.</summary>
    public string? NameContradicted { get; init; }

    /// <summary>The rejects kept with their raw text (the manifest's <see cref="Rejected"/> counts them all).</summary>
    public IReadOnlyList<Reject> Rejects { get; init; } = [];
}
