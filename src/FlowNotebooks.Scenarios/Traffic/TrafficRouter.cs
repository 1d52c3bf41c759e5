using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Traffic;

/// <summary>
/// Turns conversation windows into the records each interface on the path logs, the way AWS documents it: both ends
/// inside the VPC log two records each; a private instance talking to the internet is logged on its own interface and
/// four times on the NAT gateway's (srcaddr/dstaddr = NAT private IP, pkt-srcaddr/pkt-dstaddr = the real ends);
/// public instances and the S3 gateway endpoint bypass the NAT gateway. An AWS service reached over the internet path
/// (S3 in another region, which a gateway endpoint does not serve) is named in pkt-*-aws-service on every record whose
/// pkt-srcaddr or pkt-dstaddr it is, the NAT gateway's included.
/// </summary>
public sealed class TrafficRouter(VpcTopology vpc, IRecordSink sink) : IFlowSink
{
    const byte SameVpc = 1, InternetGateway = 2, GatewayEndpoint = 7, InternetGatewayNitro = 8;

    public void Record(in FlowRecord record) => sink.Write(record);

    public void Flow(in FlowWindow w)
    {
        var c = w.Client;
        var s = w.Server;
        if (c is not null && s is not null) Inside(w, c, s);
        else if (c is not null) Outbound(w, c);
        else if (s is not null) Inbound(w, s);
    }

    void Inside(in FlowWindow w, Workload c, Workload s)
    {
        Log(c, true, w.ClientAddress, w.ServerAddress, w.ClientAddress, w.ServerAddress, w.ClientPort, w.ServerPort, w, request: true, SameVpc);
        if (w.Reply == Reply.Answered)
        {
            Log(c, false, w.ServerAddress, w.ClientAddress, w.ServerAddress, w.ClientAddress, w.ServerPort, w.ClientPort, w, request: false, 0);
            Log(s, false, w.ClientAddress, w.ServerAddress, w.ClientAddress, w.ServerAddress, w.ClientPort, w.ServerPort, w, request: true, 0);
            Log(s, true, w.ServerAddress, w.ClientAddress, w.ServerAddress, w.ClientAddress, w.ServerPort, w.ClientPort, w, request: false, SameVpc);
        }
        else if (w.Reply == Reply.Rejected)
        {
            Log(s, false, w.ClientAddress, w.ServerAddress, w.ClientAddress, w.ServerAddress, w.ClientPort, w.ServerPort, w, request: true, 0, rejected: true);
        }
    }

    void Outbound(in FlowWindow w, Workload c)
    {
        var local = w.ClientAddress;
        var remote = w.ServerIp;
        var answered = w.Reply == Reply.Answered;
        if (vpc.IsS3(remote))
        {
            Log(c, true, local, remote, local, remote, w.ClientPort, w.ServerPort, w, true, GatewayEndpoint, dstService: AwsService.S3);
            if (answered) Log(c, false, remote, local, remote, local, w.ServerPort, w.ClientPort, w, false, 0, srcService: AwsService.S3);
            return;
        }
        var service = vpc.ServiceOf(remote);
        if (c.PublicIp != 0 || vpc.Nat is null)
        {
            var path = c.InstanceId is not null ? InternetGatewayNitro : InternetGateway;
            Log(c, true, local, remote, local, remote, w.ClientPort, w.ServerPort, w, true, path, dstService: service);
            if (answered) Log(c, false, remote, local, remote, local, w.ServerPort, w.ClientPort, w, false, 0, srcService: service);
            return;
        }
        var nat = vpc.Nat;
        var natIp = nat.PrivateIp;
        var natPort = NatPort(local, w.ClientPort, remote, w.ServerPort);
        Log(c, true, local, remote, local, remote, w.ClientPort, w.ServerPort, w, true, SameVpc, dstService: service);
        Log(nat, false, local, natIp, local, remote, w.ClientPort, w.ServerPort, w, true, 0, dstService: service);
        Log(nat, true, natIp, remote, natIp, remote, natPort, w.ServerPort, w, true, InternetGateway, dstService: service);
        if (!answered) return;
        Log(nat, false, remote, natIp, remote, natIp, w.ServerPort, natPort, w, false, 0, srcService: service);
        Log(nat, true, natIp, local, remote, local, w.ServerPort, w.ClientPort, w, false, SameVpc, srcService: service);
        Log(c, false, remote, local, remote, local, w.ServerPort, w.ClientPort, w, false, 0, srcService: service);
    }

    void Inbound(in FlowWindow w, Workload s)
    {
        var remote = w.ClientIp;
        var local = s.PrivateIp;
        Log(s, false, remote, local, remote, local, w.ClientPort, w.ServerPort, w, true, 0, rejected: w.Reply == Reply.Rejected);
        if (w.Reply == Reply.Answered)
            Log(s, true, local, remote, local, remote, w.ServerPort, w.ClientPort, w, false, s.InstanceId is not null ? InternetGatewayNitro : InternetGateway);
    }

    /// <summary>The NAT gateway's source port for a flow: stable for the 5-tuple, like a real translation table entry.</summary>
    static ushort NatPort(uint local, ushort localPort, uint remote, ushort remotePort) =>
        (ushort)(1024 + ScenarioRandom.Mix(((ulong)local << 32 | remote) ^ ((ulong)localPort << 16 | remotePort)) % 64000);

    void Log(Workload eni, bool egress, uint src, uint dst, uint pktSrc, uint pktDst, ushort srcPort, ushort dstPort, in FlowWindow w,
        bool request, byte path, bool rejected = false, AwsService srcService = AwsService.None, AwsService dstService = AwsService.None)
    {
        if (eni.InterfaceId is null) return;
        var packets = request ? w.RequestPackets : w.ResponsePackets;
        if (packets <= 0) return;
        sink.Write(new FlowRecord
        {
            Interface = eni,
            SrcAddr = src, DstAddr = dst, PktSrcAddr = pktSrc, PktDstAddr = pktDst,
            SrcPort = srcPort, DstPort = dstPort, Protocol = w.Protocol,
            TcpFlags = w.Protocol == 6 ? (request ? w.RequestFlags : w.ResponseFlags) : (byte)0,
            Packets = packets, Bytes = request ? w.RequestBytes : w.ResponseBytes,
            Start = w.Start, End = w.End,
            Rejected = rejected, Egress = egress, TrafficPath = egress ? path : (byte)0,
            PktSrcService = srcService, PktDstService = dstService,
        });
    }
}
