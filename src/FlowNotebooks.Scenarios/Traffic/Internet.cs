using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Traffic;

/// <summary>Addresses on the internet for background traffic: never private, reserved, or documentation (TEST-NET) ranges, which scenarios keep for attackers.</summary>
public static class Internet
{
    public static uint RandomHost(ScenarioRandom r)
    {
        while (true)
        {
            var ip = (uint)r.NextU64();
            var a = ip >> 24;
            var b = (ip >> 16) & 255;
            if (a is 0 or 10 or 127 or >= 224 || a == 100 && b is >= 64 and < 128 || a == 169 && b == 254 || a == 172 && b is >= 16 and < 32
                || a == 192 && b == 168 || a == 192 && b == 0 || a == 198 && b is 18 or 19 or 51 || a == 203 && b == 0)
                continue;
            if ((ip & 255) is 0 or 255) continue;
            return ip;
        }
    }

    /// <summary>A conversation that fits in the hour and closes normally.</summary>
    public static Conversation Tcp(TrafficHour hour, ScenarioRandom r, Workload? client, uint clientIp, Workload? server, uint serverIp,
        ushort port, long seconds, long requestBytes, long responseBytes, Reply reply = Reply.Answered, byte protocol = 6)
    {
        var start = hour.At(r, seconds + 1);
        return new Conversation
        {
            Client = client, ClientIp = clientIp, Server = server, ServerIp = serverIp,
            ClientPort = protocol == 1 ? (ushort)0 : r.EphemeralPort(), ServerPort = port, Protocol = protocol,
            Start = start, End = start + seconds, RequestBytes = requestBytes, ResponseBytes = responseBytes, Reply = reply,
            Key = r.NextU64(),
        };
    }
}
