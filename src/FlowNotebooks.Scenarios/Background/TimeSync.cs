using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>
/// chrony polling public NTP servers every 1024 s from the few hosts not using Amazon Time Sync (169.254.169.123,
/// which flow logs never show). Same source port each time (chrony binds 123).
/// </summary>
public sealed class TimeSync(IReadOnlyList<Workload> hosts, IReadOnlyList<uint> servers) : ITrafficSource
{
    public void Emit(TrafficHour hour)
    {
        foreach (var host in hosts)
            for (var s = 0; s < servers.Count; s++)
            {
                var phase = (long)(ScenarioRandom.Key(hour.Seed, host.Name + "ntp", s) % 1024);
                var first = hour.Start + ((phase - hour.Start) % 1024 + 1024) % 1024;
                for (var t = first; t < hour.End; t += 1024)
                    new Conversation
                    {
                        Client = host, ServerIp = servers[s], ClientPort = 123, ServerPort = 123, Protocol = 17,
                        Start = t, End = t, RequestBytes = 76, ResponseBytes = 76, RequestPacketSize = 76, ResponsePacketSize = 76,
                    }.Emit(hour.Sink, hour.Start, hour.End);
            }
    }
}
