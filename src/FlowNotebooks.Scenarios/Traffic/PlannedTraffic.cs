namespace FlowNotebooks.Scenarios.Traffic;

/// <summary>
/// Conversations fixed in advance (the attack, scheduled jobs): the answer key is computed from the same list, so the
/// key and the records cannot disagree. Each hour emits the windows of the conversations that overlap it.
/// </summary>
public sealed class PlannedTraffic(IEnumerable<Conversation> conversations) : ITrafficSource
{
    readonly Conversation[] conversations = conversations.OrderBy(c => c.Start).ToArray();

    public IReadOnlyList<Conversation> Conversations => conversations;

    public void Emit(TrafficHour hour)
    {
        foreach (var c in conversations)
        {
            if (c.Start >= hour.End) break;
            if (c.End < hour.Start) continue;
            c.Emit(hour.Sink, hour.Start, hour.End);
        }
    }
}
