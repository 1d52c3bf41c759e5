using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>Every load balancer node checks every target with a fresh connection (GET /health), so each check is its own 5-tuple.</summary>
public sealed class AlbHealthChecks(IReadOnlyList<Workload> nodes, IReadOnlyList<Workload> targets, ushort port = 80, int intervalSeconds = 120) : ITrafficSource
{
    public void Emit(TrafficHour hour)
    {
        var r = hour.Random("alb-health-checks");
        foreach (var node in nodes)
            foreach (var target in targets)
            {
                var phase = (int)(ScenarioRandom.Key(hour.Seed, node.Name + target.Name) % (ulong)intervalSeconds);
                for (var t = hour.Start + phase; t < hour.End - 1; t += intervalSeconds)
                    new Conversation
                    {
                        Client = node, Server = target, ClientPort = r.EphemeralPort(), ServerPort = port,
                        Start = t, End = t + (r.Chance(0.9) ? 0 : 1), RequestBytes = 5 * 52 + 120 + r.Next(0, 40), ResponseBytes = 4 * 52 + 310 + r.Next(0, 60),
                        RequestPacketSize = 80, ResponsePacketSize = 120, Key = r.NextU64(),
                    }.Emit(hour.Sink, hour.Start, hour.End);
            }
    }
}
