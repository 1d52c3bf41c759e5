using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>
/// Administrators SSH from the office to the bastion and from there to servers, on weekdays in office hours: the
/// legitimate admin traffic a lateral-movement hunt must tell apart from the attacker's.
/// </summary>
public sealed class BastionAdmin(Workload bastion, uint office, IReadOnlyList<Workload> servers) : ITrafficSource
{
    public void Emit(TrafficHour hour)
    {
        if (!hour.OfficeHours) return;
        var r = hour.Random("bastion-admin");
        if (!r.Chance(0.4)) return;
        var minutes = 10 + r.Next(0, 40);
        var start = hour.At(r, minutes * 60 + 5);
        var end = start + minutes * 60;
        Ssh(hour, r, null, office, bastion, start, end);
        var hops = 1 + r.Next(0, 2);
        for (var i = 0; i < hops; i++)
        {
            var s = start + 30 + r.Next(0, Math.Max(1, (end - start) / 2));
            Ssh(hour, r, bastion, 0, r.Pick(servers), s, Math.Min(end - 5, s + 60 + r.Next(0, 600)));
        }
    }

    static void Ssh(TrafficHour hour, ScenarioRandom r, Workload? client, uint clientIp, Workload server, long start, long end) =>
        new Conversation
        {
            Client = client, ClientIp = clientIp, Server = server, ClientPort = r.EphemeralPort(), ServerPort = 22,
            Start = start, End = Math.Max(start, end), RequestBytes = 4_000 + (end - start) * 40, ResponseBytes = 6_000 + (end - start) * 220,
            RequestPacketSize = 90, ResponsePacketSize = 240, Key = r.NextU64(),
        }.Emit(hour.Sink, hour.Start, hour.End);
}
