namespace FlowNotebooks;

/// <summary>What a case holds, for the card a notebook shows after opening or loading.</summary>
public sealed record CaseSummary(string? Path, long EvidenceObjects, long Flows, long Rejects, long Interfaces,
    DateTime? FirstTime, DateTime? LastTime, long FlowLogs)
{
    /// <inheritdoc />
    public override string ToString() => Presentation.Html.SummaryCards.CaseText(this);
}
