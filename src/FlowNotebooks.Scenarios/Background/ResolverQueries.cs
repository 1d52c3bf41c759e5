using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>
/// Hosts ask the VPC's own resolver (UDP 53, a fresh source port per query). The resolver's forwarding to the Amazon
/// DNS server is not logged by AWS, so only the client→resolver leg appears.
/// </summary>
public sealed class ResolverQueries(Workload resolver, IReadOnlyList<Workload> clients, double queriesPerHour = 6) : ITrafficSource
{
    public void Emit(TrafficHour hour)
    {
        var r = hour.Random("resolver-queries");
        foreach (var client in clients)
        {
            var n = r.Poisson(queriesPerHour * (0.5 + hour.Load));
            for (var i = 0; i < n; i++)
                Internet.Tcp(hour, r, client, 0, resolver, 0, 53, 0, 60 + r.Next(0, 30), 90 + r.Next(0, 200), protocol: 17).Emit(hour.Sink, hour.Start, hour.End);
        }
    }
}
