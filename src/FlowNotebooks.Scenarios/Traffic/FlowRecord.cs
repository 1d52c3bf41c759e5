using FlowNotebooks.Scenarios.Network;

namespace FlowNotebooks.Scenarios.Traffic;

public enum RecordStatus : byte { Ok, NoData, SkipData }

/// <summary>One flow-log record as one interface logs it (one direction of one 5-tuple in one aggregation window).</summary>
public struct FlowRecord
{
    /// <summary>The interface that logged it.</summary>
    public Workload Interface;
    public uint SrcAddr, DstAddr, PktSrcAddr, PktDstAddr;
    public ushort SrcPort, DstPort;
    public byte Protocol;
    public byte TcpFlags;
    public long Packets, Bytes;
    /// <summary>Unix seconds.</summary>
    public long Start, End;
    public bool Rejected;
    public RecordStatus Status;
    public bool Egress;
    /// <summary>traffic-path code for egress (0 = not applicable).</summary>
    public byte TrafficPath;
    public AwsService PktSrcService, PktDstService;

    /// <summary>A NODATA or SKIPDATA record: only the interface and the interval are known.</summary>
    public static FlowRecord Gap(Workload eni, long start, long end, RecordStatus status) =>
        new() { Interface = eni, Start = start, End = end, Status = status };
}

/// <summary>pkt-src-aws-service / pkt-dst-aws-service values the scenarios use.</summary>
public enum AwsService : byte { None, S3, Amazon, Ec2 }
