using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

public static partial class CountedFlows
{
    /// <summary>Packet journeys counted in the case (each journey once, however many interfaces logged it).</summary>
    public static long JourneyCount(CaseStore store) => store.Scalar<long>("SELECT count(*) FROM counted_journeys");
}
