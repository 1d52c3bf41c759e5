using System.Buffers.Text;
using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// Writes records in one flow log's field order: as text lines (S3 objects, CloudWatch messages) or as typed values
/// (Parquet). A field that does not apply is <c>-</c> (null in Parquet), as AWS writes it; fields the generator does
/// not model (sublocations, ECS, tags…) are always <c>-</c>.
/// </summary>
public sealed class RecordFields
{
    enum F : byte
    {
        Dash, Version, AccountId, InterfaceId, SrcAddr, DstAddr, SrcPort, DstPort, Protocol, Packets, Bytes, Start, End, Action, LogStatus,
        VpcId, SubnetId, InstanceId, TcpFlags, Type, PktSrcAddr, PktDstAddr, Region, AzId, PktSrcAwsService, PktDstAwsService,
        FlowDirection, TrafficPath,
    }

    readonly F[] fields;
    readonly byte[] version, account, vpcId, region;
    readonly byte[][] interfaceIds, subnetIds, instanceIds, azIds;

    public RecordFields(FlowLogFormat format, VpcTopology vpc)
    {
        Format = format;
        Account = vpc.AccountId;
        Region = vpc.Region;
        fields = format.Fields.Select(f => Code(f.Name)).ToArray();
        version = Ascii(format.HighestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        account = Ascii(vpc.AccountId);
        vpcId = Ascii(vpc.VpcId);
        region = Ascii(vpc.Region);
        interfaceIds = vpc.Workloads.Select(w => Ascii(w.InterfaceId ?? "-")).ToArray();
        subnetIds = vpc.Workloads.Select(w => Ascii(w.Subnet.Id)).ToArray();
        instanceIds = vpc.Workloads.Select(w => Ascii(w.InstanceId ?? "-")).ToArray();
        azIds = vpc.Workloads.Select(w => Ascii(w.Subnet.AzId)).ToArray();
    }

    public FlowLogFormat Format { get; }
    public string Account { get; }
    public string Region { get; }

    /// <summary>The S3 header line (field names, no <c>${}</c>).</summary>
    public string Header => Format.Signature;

    static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    static F Code(string name) => name switch
    {
        "version" => F.Version, "account-id" => F.AccountId, "interface-id" => F.InterfaceId, "srcaddr" => F.SrcAddr, "dstaddr" => F.DstAddr,
        "srcport" => F.SrcPort, "dstport" => F.DstPort, "protocol" => F.Protocol, "packets" => F.Packets, "bytes" => F.Bytes,
        "start" => F.Start, "end" => F.End, "action" => F.Action, "log-status" => F.LogStatus, "vpc-id" => F.VpcId,
        "subnet-id" => F.SubnetId, "instance-id" => F.InstanceId, "tcp-flags" => F.TcpFlags, "type" => F.Type,
        "pkt-srcaddr" => F.PktSrcAddr, "pkt-dstaddr" => F.PktDstAddr, "region" => F.Region, "az-id" => F.AzId,
        "pkt-src-aws-service" => F.PktSrcAwsService, "pkt-dst-aws-service" => F.PktDstAwsService,
        "flow-direction" => F.FlowDirection, "traffic-path" => F.TrafficPath,
        _ => F.Dash,
    };

    /// <summary>Writes the record as one line without the newline; the buffer must hold 1 KiB.</summary>
    public int WriteLine(in FlowRecord r, Span<byte> to)
    {
        var n = 0;
        var ok = r.Status == RecordStatus.Ok;
        var eni = r.Interface.Index;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) to[n++] = (byte)' ';
            switch (fields[i])
            {
                case F.Version: n += Copy(version, to[n..]); break;
                case F.AccountId: n += Copy(account, to[n..]); break;
                case F.InterfaceId: n += Copy(interfaceIds[eni], to[n..]); break;
                case F.VpcId: n += Copy(vpcId, to[n..]); break;
                case F.SubnetId: n += Copy(subnetIds[eni], to[n..]); break;
                case F.InstanceId: n += Copy(instanceIds[eni], to[n..]); break;
                case F.Region: n += Copy(region, to[n..]); break;
                case F.AzId: n += Copy(azIds[eni], to[n..]); break;
                case F.Start: n += Number(r.Start, to[n..]); break;
                case F.End: n += Number(r.End, to[n..]); break;
                case F.LogStatus: n += Copy(r.Status switch { RecordStatus.Ok => "OK"u8, RecordStatus.NoData => "NODATA"u8, _ => "SKIPDATA"u8 }, to[n..]); break;
                default:
                    if (!ok || !TryFlowValue(fields[i], r, to[n..], ref n)) to[n++] = (byte)'-';
                    break;
            }
        }
        return n;
    }

    static bool TryFlowValue(F field, in FlowRecord r, Span<byte> to, ref int n)
    {
        switch (field)
        {
            case F.SrcAddr: n += Ipv4.Write(r.SrcAddr, to); return true;
            case F.DstAddr: n += Ipv4.Write(r.DstAddr, to); return true;
            case F.PktSrcAddr: n += Ipv4.Write(r.PktSrcAddr, to); return true;
            case F.PktDstAddr: n += Ipv4.Write(r.PktDstAddr, to); return true;
            case F.SrcPort: n += Number(r.SrcPort, to); return true;
            case F.DstPort: n += Number(r.DstPort, to); return true;
            case F.Protocol: n += Number(r.Protocol, to); return true;
            case F.Packets: n += Number(r.Packets, to); return true;
            case F.Bytes: n += Number(r.Bytes, to); return true;
            case F.TcpFlags: n += Number(r.TcpFlags, to); return true;
            case F.Action: n += Copy(r.Rejected ? "REJECT"u8 : "ACCEPT"u8, to); return true;
            case F.Type: n += Copy("IPv4"u8, to); return true;
            case F.FlowDirection: n += Copy(r.Egress ? "egress"u8 : "ingress"u8, to); return true;
            case F.TrafficPath:
                if (r.TrafficPath == 0) return false;
                n += Number(r.TrafficPath, to);
                return true;
            case F.PktSrcAwsService: return Service(r.PktSrcService, to, ref n);
            case F.PktDstAwsService: return Service(r.PktDstService, to, ref n);
            default: return false;
        }
    }

    static bool Service(AwsService s, Span<byte> to, ref int n)
    {
        if (s == AwsService.None) return false;
        n += Copy(s switch { AwsService.S3 => "S3"u8, AwsService.Ec2 => "EC2"u8, _ => "AMAZON"u8 }, to);
        return true;
    }

    static int Copy(ReadOnlySpan<byte> value, Span<byte> to)
    {
        value.CopyTo(to);
        return value.Length;
    }

    static int Number(long value, Span<byte> to)
    {
        Utf8Formatter.TryFormat(value, to, out var written);
        return written;
    }

    /// <summary>The value of field <paramref name="index"/> as Parquet stores it: long for numbers, string for text, null for <c>-</c>.</summary>
    public object? Value(int index, in FlowRecord r)
    {
        Span<byte> buffer = stackalloc byte[64];
        var f = fields[index];
        var ok = r.Status == RecordStatus.Ok;
        switch (f)
        {
            case F.Version: return (long)Format.HighestVersion;
            case F.Start: return r.Start;
            case F.End: return r.End;
            case F.SrcPort: return ok ? r.SrcPort : null;
            case F.DstPort: return ok ? r.DstPort : null;
            case F.Protocol: return ok ? r.Protocol : null;
            case F.Packets: return ok ? r.Packets : null;
            case F.Bytes: return ok ? r.Bytes : null;
            case F.TcpFlags: return ok ? r.TcpFlags : null;
            case F.TrafficPath: return ok && r.TrafficPath != 0 ? r.TrafficPath : null;
        }
        var n = 0;
        switch (f)
        {
            case F.AccountId: return Encoding.ASCII.GetString(account);
            case F.InterfaceId: return Encoding.ASCII.GetString(interfaceIds[r.Interface.Index]);
            case F.VpcId: return Encoding.ASCII.GetString(vpcId);
            case F.SubnetId: return Encoding.ASCII.GetString(subnetIds[r.Interface.Index]);
            case F.InstanceId: return Encoding.ASCII.GetString(instanceIds[r.Interface.Index]);
            case F.Region: return Encoding.ASCII.GetString(region);
            case F.AzId: return Encoding.ASCII.GetString(azIds[r.Interface.Index]);
            case F.LogStatus: return r.Status switch { RecordStatus.Ok => "OK", RecordStatus.NoData => "NODATA", _ => "SKIPDATA" };
        }
        if (!ok || !TryFlowValue(f, r, buffer, ref n)) return "-";
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>True when the field is a number in Parquet (INT_32 or INT_64 per the field table).</summary>
    public static bool IsNumber(FlowField field) => field.Kind is FieldKind.Int32 or FieldKind.Int64 or FieldKind.EpochTime;
}
