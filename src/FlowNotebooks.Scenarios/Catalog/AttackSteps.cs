using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>Builds an attacker's conversations; the list becomes both traffic and the answer key.</summary>
internal sealed class AttackSteps(ScenarioRandom random)
{
    public ScenarioRandom Random { get; } = random;
    public List<Conversation> Conversations { get; } = [];

    public static long Unix(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalSeconds;
    public static DateTime Time(long unix) => DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(unix), DateTimeKind.Utc);

    /// <summary>A TCP (or UDP) conversation from <paramref name="start"/> lasting <paramref name="seconds"/>.</summary>
    public Conversation Session(Workload? client, uint clientIp, Workload? server, uint serverIp, ushort port, long start, long seconds,
        long requestBytes, long responseBytes, int requestPacketSize = 600, int responsePacketSize = 1100, byte protocol = 6)
    {
        var c = new Conversation
        {
            Client = client, ClientIp = clientIp, Server = server, ServerIp = serverIp, ClientPort = Random.EphemeralPort(), ServerPort = port,
            Protocol = protocol, Start = start, End = start + seconds, RequestBytes = requestBytes, ResponseBytes = responseBytes,
            RequestPacketSize = requestPacketSize, ResponsePacketSize = responsePacketSize, Key = Random.NextU64(),
        };
        Conversations.Add(c);
        return c;
    }

    /// <summary>
    /// One SYN-scan probe: an open port answers SYN-ACK and the scanner resets (flags 6 / 18); a port the security group
    /// drops, or an address with no host, sees the SYN and its retry (2 packets, flags 2).
    /// </summary>
    public Conversation Probe(Workload? client, uint clientIp, Workload? server, uint serverIp, ushort port, long at, Reply reply)
    {
        var answered = reply == Reply.Answered;
        var c = new Conversation
        {
            Client = client, ClientIp = clientIp, Server = server, ServerIp = serverIp, ClientPort = Random.EphemeralPort(), ServerPort = port,
            Start = at, End = at + (answered ? 0 : 1), RequestBytes = answered ? 84 : 88, ResponseBytes = 44,
            RequestPacketSize = 44, ResponsePacketSize = 44, OpeningFlags = answered ? (byte)6 : (byte)2, Closes = false, Reply = reply,
            Key = Random.NextU64(),
        };
        Conversations.Add(c);
        return c;
    }

    /// <summary>
    /// A bulk upload in back-to-back connections of about <paramref name="minutesEach"/> minutes, starting at
    /// <paramref name="start"/>; returns the connections (their RequestBytes sum to what left).
    /// </summary>
    public List<Conversation> Upload(Workload client, uint serverIp, ushort port, long start, int connections, int minutesEach, double megabytesEach)
    {
        var list = new List<Conversation>();
        var t = start;
        for (var i = 0; i < connections; i++)
        {
            var seconds = minutesEach * 60 + Random.Next(-90, 90);
            var bytes = Random.LogNormal(megabytesEach * 1_000_000, 0.12);
            list.Add(Session(client, 0, null, serverIp, port, t, seconds, bytes, bytes / 38, 1_448, 52));
            t += seconds + 20 + Random.Next(0, 40);
        }
        return list;
    }

    /// <summary>Short HTTPS check-ins every <paramref name="period"/> s (±2 s jitter) from <paramref name="first"/> until <paramref name="until"/>.</summary>
    public List<Conversation> Beacon(Workload client, uint serverIp, ushort port, long first, long until, int period)
    {
        var list = new List<Conversation>();
        for (var t = first; t < until; t += period + Random.Next(-2, 3))
            list.Add(Session(client, 0, null, serverIp, port, t, 1 + Random.Next(0, 2), 1_500 + Random.Next(0, 800),
                Random.Chance(0.05) ? Random.LogNormal(60_000, 0.8) : 2_000 + Random.Next(0, 4_000), 300, 700));
        return list;
    }
}
