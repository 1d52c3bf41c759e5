using FlowNotebooks.Scenarios.Delivery;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>The coverage facts of a shop case: unlogged subnets, SKIPDATA windows, missing deliveries, overlapping flow logs.</summary>
internal static class Coverage
{
    public static KeyCoverage Of(ShopVpc shop, IReadOnlyList<Capture> captures, IEnumerable<SkipWindow> skips, IEnumerable<MissingDelivery> missing, DateTime windowStart)
    {
        var unlogged = shop.Vpc.Subnets.Where(s => !captures.Any(c => c.ResourceId == s.Id || c.ResourceId == shop.Vpc.VpcId))
            .Select(s => new KeySubnet(s.Id, s.Cidr)).ToList();
        var overlaps = shop.Vpc.Workloads
            .Select(w => (w, ids: captures.Where(c => c.Watches(w)).Select(c => c.FlowLogId).ToList()))
            .Where(x => x.ids.Count > 1)
            .Select(x => new KeyOverlap(x.w.InterfaceId!, x.ids)).ToList();
        return new KeyCoverage(
            unlogged,
            skips.Select(s => new KeyGap(s.Interface.InterfaceId, s.Capture.FlowLogId, new TimeWindow(s.Start, s.End))).ToList(),
            missing.Select(m => new KeyGap(null, m.Capture.FlowLogId, new TimeWindow(m.Start, m.End))).ToList())
        {
            OverlappingCaptures = overlaps,
            LoggingStartedLate = captures.Where(c => c.CreationTime > windowStart)
                .Select(c => new KeyGap(null, c.FlowLogId, new TimeWindow(windowStart, c.CreationTime))).ToList(),
        };
    }
}
