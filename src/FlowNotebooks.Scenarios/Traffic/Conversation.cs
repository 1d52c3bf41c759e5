using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Traffic;

/// <summary>
/// A TCP, UDP or ICMP conversation over any length of time, cut into the 60-second aggregation windows flow logs use.
/// Byte totals are exact: the per-window shares always add up to <see cref="RequestBytes"/> and <see cref="ResponseBytes"/>,
/// which is what lets an answer key state exfiltrated bytes that the records must sum to.
/// </summary>
public sealed class Conversation
{
    public const int Window = 60;

    public Workload? Client { get; init; }
    public uint ClientIp { get; init; }
    public Workload? Server { get; init; }
    public uint ServerIp { get; init; }
    public ushort ClientPort { get; init; }
    public ushort ServerPort { get; init; }
    public byte Protocol { get; init; } = 6;
    /// <summary>Unix seconds of the first packet.</summary>
    public long Start { get; init; }
    /// <summary>Unix seconds of the last packet (inclusive).</summary>
    public long End { get; init; }
    public long RequestBytes { get; init; }
    public long ResponseBytes { get; init; }
    /// <summary>Average packet sizes (bytes per packet, headers included).</summary>
    public int RequestPacketSize { get; init; } = 600;
    public int ResponsePacketSize { get; init; } = 1100;
    public Reply Reply { get; init; } = Reply.Answered;
    /// <summary>Flags the client's first window carries (2 = SYN; a SYN scan is 6 = SYN+RST).</summary>
    public byte OpeningFlags { get; init; } = 2;
    /// <summary>False for connections still open when the evidence ends.</summary>
    public bool Closes { get; init; } = true;
    /// <summary>Varies the split between windows; any stable number.</summary>
    public ulong Key { get; init; }

    public long WindowCount => End / Window - Start / Window + 1;

    /// <summary>Sends the windows that start in [from, to) to the sink.</summary>
    public void Emit(IFlowSink sink, long from = long.MinValue, long to = long.MaxValue)
    {
        var first = Start / Window;
        var last = End / Window;
        long totalWeight = 0;
        for (var m = first; m <= last; m++) totalWeight += Weight(m);
        long cumulative = 0;
        for (var m = first; m <= last; m++)
        {
            var w = Weight(m);
            var before = cumulative;
            cumulative += w;
            var ws = Math.Max(Start, m * Window);
            if (ws < from) continue;
            if (ws >= to) break;
            var we = Math.Min(End, m * Window + Window - 1);
            var req = Share(RequestBytes, before, cumulative, totalWeight);
            var resp = Reply == Reply.Answered ? Share(ResponseBytes, before, cumulative, totalWeight) : 0;
            var window = new FlowWindow
            {
                Client = Client, ClientIp = ClientIp, Server = Server, ServerIp = ServerIp,
                ClientPort = ClientPort, ServerPort = ServerPort, Protocol = Protocol,
                Start = ws, End = we, Reply = Reply,
                RequestBytes = req, RequestPackets = Packets(req, RequestPacketSize),
                ResponseBytes = resp, ResponsePackets = Packets(resp, ResponsePacketSize),
            };
            if (Protocol == 6)
            {
                if (m == first)
                {
                    window.RequestFlags |= OpeningFlags;
                    if (Reply == Reply.Answered) window.ResponseFlags |= 18;
                }
                if (m == last && Closes && Reply == Reply.Answered)
                {
                    window.RequestFlags |= 1;
                    window.ResponseFlags |= 1;
                }
            }
            sink.Flow(window);
        }
    }

    long Weight(long minute)
    {
        var seconds = Math.Min(End, minute * Window + Window - 1) - Math.Max(Start, minute * Window) + 1;
        return seconds * (750 + (long)(ScenarioRandom.Mix(Key ^ (ulong)minute) % 500));
    }

    static long Share(long total, long before, long after, long totalWeight)
    {
        // The same exact quotients in 64 bits when the larger product fits (nearly always): 128-bit arithmetic is a
        // software routine, twice per share and two shares per window.
        var high = Math.BigMul(total, after, out var low);
        if (high == 0 && low >= 0 && total >= 0 && before >= 0 && before <= after) return low / totalWeight - total * before / totalWeight;
        return (long)((Int128)total * after / totalWeight - (Int128)total * before / totalWeight);
    }

    /// <summary>Packets for a byte count: about one per <paramref name="size"/> bytes, never fewer bytes than 40 per packet.</summary>
    static long Packets(long bytes, int size)
    {
        if (bytes <= 0) return 0;
        var p = (bytes + size - 1) / size;
        return Math.Clamp(p, 1, Math.Max(1, bytes / 40));
    }
}
