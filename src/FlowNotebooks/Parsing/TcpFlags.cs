namespace FlowNotebooks.Parsing;

/// <summary>Decodes the <c>tcp-flags</c> bitmask (flags are OR-ed over the aggregation interval).</summary>
public static class TcpFlags
{
    /// <summary>FIN.</summary>
    public const int Fin = 1;
    /// <summary>SYN.</summary>
    public const int Syn = 2;
    /// <summary>RST.</summary>
    public const int Rst = 4;
    /// <summary>PSH (not reported by VPC flow logs; decoded for completeness).</summary>
    public const int Psh = 8;
    /// <summary>ACK (reported only together with SYN, as SYN-ACK = 18).</summary>
    public const int Ack = 16;
    /// <summary>URG.</summary>
    public const int Urg = 32;

    /// <summary>Names of the flags in the mask, e.g. 19 → "SYN-ACK FIN", 3 → "SYN FIN".</summary>
    public static string Describe(int? mask)
    {
        if (mask is null) return "-";
        var m = mask.Value;
        if (m == 0) return "none";
        var parts = new List<string>();
        if ((m & (Syn | Ack)) == (Syn | Ack)) { parts.Add("SYN-ACK"); m &= ~(Syn | Ack); }
        if ((m & Syn) != 0) parts.Add("SYN");
        if ((m & Ack) != 0) parts.Add("ACK");
        if ((m & Fin) != 0) parts.Add("FIN");
        if ((m & Rst) != 0) parts.Add("RST");
        if ((m & Psh) != 0) parts.Add("PSH");
        if ((m & Urg) != 0) parts.Add("URG");
        return string.Join(' ', parts);
    }

    /// <summary>The side that sent SYN without ACK opened the connection (the client).</summary>
    public static bool IsClientOpening(int? mask) => mask is { } m && (m & Syn) != 0 && (m & Ack) == 0;

    /// <summary>The side that sent SYN-ACK answered the connection (the server).</summary>
    public static bool IsServerAnswer(int? mask) => mask is { } m && (m & (Syn | Ack)) == (Syn | Ack);
}
