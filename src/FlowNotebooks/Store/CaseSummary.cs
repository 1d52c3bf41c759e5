namespace FlowNotebooks.Store;

/// <summary>What a case holds, for the card a notebook shows after opening or loading (Presentation draws the card).</summary>
public sealed record CaseSummary(string? Path, long EvidenceObjects, long Flows, long Rejects, long Interfaces,
    DateTime? FirstTime, DateTime? LastTime, long FlowLogs)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var holds = FormattableString.Invariant(
            $"Case: {Path ?? "in memory"}: {EvidenceObjects:N0} evidence objects, {Flows:N0} flow records, {Rejects:N0} rejected lines, {Interfaces:N0} interfaces, {FlowLogs:N0} flow logs described");
        return FirstTime is { } first && LastTime is { } last
            ? holds + FormattableString.Invariant($", {first:yyyy-MM-dd HH:mm:ss} – {last:yyyy-MM-dd HH:mm:ss} UTC")
            : holds;
    }
}
