using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Traffic;

/// <summary>What became of the client's packets.</summary>
public enum Reply : byte
{
    /// <summary>The server answered (both directions logged).</summary>
    Answered,
    /// <summary>The server's security group dropped the request: the server interface logs a REJECT, nothing comes back.</summary>
    Rejected,
    /// <summary>Nobody answered (no host at that address, or the remote ignores us): only the client side logs.</summary>
    Silent,
}

/// <summary>
/// Both directions of one conversation within one aggregation window, before routing decides which interfaces log it
/// (client, server, NAT gateway). Endpoints are workloads inside the VPC, or bare addresses outside it.
/// </summary>
public struct FlowWindow
{
    public Workload? Client;
    /// <summary>The client's address when <see cref="Client"/> is outside the VPC.</summary>
    public uint ClientIp;
    public Workload? Server;
    /// <summary>The address the client talked to when <see cref="Server"/> is outside the VPC.</summary>
    public uint ServerIp;
    public ushort ClientPort, ServerPort;
    public byte Protocol;
    public long Start, End;
    public long RequestPackets, RequestBytes, ResponsePackets, ResponseBytes;
    public byte RequestFlags, ResponseFlags;
    public Reply Reply;

    public readonly uint ClientAddress => Client?.PrivateIp ?? ClientIp;
    public readonly uint ServerAddress => Server?.PrivateIp ?? ServerIp;
}
