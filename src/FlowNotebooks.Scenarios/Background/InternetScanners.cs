using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>
/// The internet's constant probing of public addresses: single SYNs from random hosts to common ports. The security
/// group drops most (REJECT on the interface, nothing back); ports it allows answer and the scanner resets.
/// </summary>
public sealed class InternetScanners(IReadOnlyList<(Workload Target, ushort[] OpenPorts)> targets, double probesPerHourPerTarget = 25) : ITrafficSource
{
    static readonly ushort[] Ports = [22, 23, 80, 443, 445, 1433, 2375, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 9200, 11211, 27017];

    public void Emit(TrafficHour hour)
    {
        var r = hour.Random("internet-scanners");
        foreach (var (target, open) in targets)
        {
            var n = r.Poisson(probesPerHourPerTarget);
            for (var i = 0; i < n; i++)
            {
                var port = r.Pick(Ports);
                var isOpen = open.Contains(port);
                var start = hour.At(r, 3);
                new Conversation
                {
                    ClientIp = Internet.RandomHost(r), Server = target, ClientPort = r.EphemeralPort(), ServerPort = port,
                    Start = start, End = start + (isOpen ? 0 : r.Next(0, 3)), RequestBytes = isOpen ? 84 : 44 * (1 + r.Next(0, 2)), ResponseBytes = 44,
                    RequestPacketSize = 44, ResponsePacketSize = 44, OpeningFlags = isOpen ? (byte)6 : (byte)2, Closes = false,
                    Reply = isOpen ? Reply.Answered : Reply.Rejected, Key = r.NextU64(),
                }.Emit(hour.Sink, hour.Start, hour.End);
            }
        }
    }
}
