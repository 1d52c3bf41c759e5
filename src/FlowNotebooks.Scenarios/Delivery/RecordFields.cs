using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        /// <summary>A run of fields whose text in an OK record depends only on the interface (see <see cref="okFields"/>).</summary>
        Run,
    }

    readonly F[] fields;
    /// <summary>
    /// The fields of an OK record with each run of interface-constant fields (version, account, ids, region, the
    /// always-dash ones, type, log status) folded into one <see cref="F.Run"/>, whose text per interface is in
    /// <see cref="runs"/>: the version-5 layouts start with seven of them, about a hundred bytes in one copy.
    /// </summary>
    readonly F[] okFields;
    /// <summary>Per interface index, the text of each run in field order.</summary>
    readonly AsciiText[][] runs;
    /// <summary>True when <see cref="okFields"/> are those of the default format (see <see cref="DefaultOkLine"/>).</summary>
    readonly bool defaultLayout;
    static readonly F[] DefaultOkFields = [F.Run, F.SrcAddr, F.DstAddr, F.SrcPort, F.DstPort, F.Protocol, F.Packets, F.Bytes, F.Start, F.End, F.Action, F.Run];
    readonly AsciiText version, account, vpcId, region;
    readonly AsciiText[] interfaceIds, subnetIds, instanceIds, azIds;

    static readonly AsciiText Ok = new("OK"), NoData = new("NODATA"), SkipData = new("SKIPDATA"), Accept = new("ACCEPT"), Reject = new("REJECT"),
        IPv4 = new("IPv4"), Egress = new("egress"), Ingress = new("ingress"), S3 = new("S3"), Ec2 = new("EC2"), Amazon = new("AMAZON");

    /// <summary>Bytes <see cref="WriteLine"/> needs: a line is a few hundred bytes, the writers store past its end.</summary>
    public const int LineBuffer = 1024;

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
        (okFields, runs) = FoldRuns(vpc.Workloads.Count);
        defaultLayout = okFields.SequenceEqual(DefaultOkFields);
    }

    (F[] Fields, AsciiText[][] Runs) FoldRuns(int interfaces)
    {
        var folded = new List<F>();
        var texts = new List<AsciiText[]>();
        for (var i = 0; i < fields.Length;)
        {
            if (!InRun(fields[i]))
            {
                folded.Add(fields[i++]);
                continue;
            }
            var first = i;
            while (i < fields.Length && InRun(fields[i])) i++;
            folded.Add(F.Run);
            var range = fields[first..i];
            texts.Add([.. Enumerable.Range(0, interfaces).Select(eni => Ascii(string.Join(' ', range.Select(f => OkText(f, eni)))))]);
        }
        return ([.. folded], [.. Enumerable.Range(0, interfaces).Select(eni => texts.Select(run => run[eni]).ToArray())]);
    }

    static bool InRun(F field) => field is F.Version or F.AccountId or F.InterfaceId or F.VpcId or F.SubnetId or F.InstanceId or F.Region
        or F.AzId or F.Dash or F.Type or F.LogStatus;

    /// <summary>The text of a field in an OK record when it depends on the interface alone (<see cref="InRun"/>).</summary>
    string OkText(F field, int eni) => field switch
    {
        F.Version => Text(version), F.AccountId => Text(account), F.InterfaceId => Text(interfaceIds[eni]), F.VpcId => Text(vpcId),
        F.SubnetId => Text(subnetIds[eni]), F.InstanceId => Text(instanceIds[eni]), F.Region => Text(region), F.AzId => Text(azIds[eni]),
        F.Dash => "-", F.Type => Text(IPv4), F.LogStatus => Text(Ok),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public FlowLogFormat Format { get; }
    public string Account { get; }
    public string Region { get; }

    /// <summary>The S3 header line (field names, no <c>${}</c>).</summary>
    public string Header => Format.Signature;

    static AsciiText Ascii(string s) => new(s);

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

    /// <summary>
    /// Writes the record as one line without the newline; the buffer must hold <see cref="LineBuffer"/> bytes (checked
    /// once, so the field writers can store unchecked and past the value, see <see cref="AsciiWriter"/>).
    /// </summary>
    public int WriteLine(in FlowRecord r, Span<byte> to)
    {
        if (to.Length < LineBuffer) throw new ArgumentException($"A line needs a {LineBuffer}-byte buffer.", nameof(to));
        ref var line = ref MemoryMarshal.GetReference(to);
        if (r.Status != RecordStatus.Ok) return GapLine(r, ref line);
        return defaultLayout ? DefaultOkLine(r, ref line) : OkLine(r, ref line);
    }

    /// <summary>
    /// An OK record (all but a few): interface-constant runs copied whole, one switch for the rest. Each field is
    /// followed by a space, the last one's cut off by the returned length, so the loop has no first-field test.
    /// </summary>
    int OkLine(in FlowRecord r, ref byte line)
    {
        var n = 0;
        var run = 0;
        var texts = runs[r.Interface.Index];
        foreach (var field in okFields)
        {
            ref var at = ref Unsafe.Add(ref line, n);
            switch (field)
            {
                case F.Run: n += AsciiWriter.Copy(texts[run++], ref at); break;
                case F.SrcAddr: n += AsciiWriter.Ipv4(r.SrcAddr, ref at); break;
                case F.DstAddr: n += AsciiWriter.Ipv4(r.DstAddr, ref at); break;
                case F.PktSrcAddr: n += AsciiWriter.Ipv4(r.PktSrcAddr, ref at); break;
                case F.PktDstAddr: n += AsciiWriter.Ipv4(r.PktDstAddr, ref at); break;
                case F.SrcPort: n += AsciiWriter.Number(r.SrcPort, ref at); break;
                case F.DstPort: n += AsciiWriter.Number(r.DstPort, ref at); break;
                case F.Protocol: n += AsciiWriter.Number(r.Protocol, ref at); break;
                case F.Packets: n += AsciiWriter.Number(r.Packets, ref at); break;
                case F.Bytes: n += AsciiWriter.Number(r.Bytes, ref at); break;
                case F.Start: n += AsciiWriter.Number(r.Start, ref at); break;
                case F.End: n += AsciiWriter.Number(r.End, ref at); break;
                case F.Action: n += AsciiWriter.Copy(r.Rejected ? Reject : Accept, ref at); break;
                case F.TcpFlags: n += AsciiWriter.Number(r.TcpFlags, ref at); break;
                case F.FlowDirection: n += AsciiWriter.Copy(r.Egress ? Egress : Ingress, ref at); break;
                default:
                    var written = FlowValue(field, r, ref at);
                    if (written < 0)
                    {
                        at = (byte)'-';
                        written = 1;
                    }
                    n += written;
                    break;
            }
            Unsafe.Add(ref line, n++) = (byte)' ';
        }
        return Math.Max(n - 1, 0);
    }

    /// <summary>
    /// An OK record in the default format's layout, which most flow logs use: the fields of <see cref="OkLine"/> in
    /// straight-line code, with no loop and no switch to dispatch on (about a third of the cost of formatting it).
    /// </summary>
    int DefaultOkLine(in FlowRecord r, ref byte line)
    {
        var texts = runs[r.Interface.Index];
        var n = AsciiWriter.Copy(texts[0], ref line);
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Ipv4(r.SrcAddr, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Ipv4(r.DstAddr, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Number(r.SrcPort, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Number(r.DstPort, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Number(r.Protocol, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Number(r.Packets, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Number(r.Bytes, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Number(r.Start, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Number(r.End, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        n += AsciiWriter.Copy(r.Rejected ? Reject : Accept, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)' ';
        return n + AsciiWriter.Copy(texts[1], ref Unsafe.Add(ref line, n));
    }

    /// <summary>A NODATA or SKIPDATA record: field by field, flow fields as <c>-</c>.</summary>
    int GapLine(in FlowRecord r, ref byte line)
    {
        var n = 0;
        var eni = r.Interface.Index;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) Unsafe.Add(ref line, n++) = (byte)' ';
            ref var at = ref Unsafe.Add(ref line, n);
            switch (fields[i])
            {
                case F.Version: n += AsciiWriter.Copy(version, ref at); break;
                case F.AccountId: n += AsciiWriter.Copy(account, ref at); break;
                case F.InterfaceId: n += AsciiWriter.Copy(interfaceIds[eni], ref at); break;
                case F.VpcId: n += AsciiWriter.Copy(vpcId, ref at); break;
                case F.SubnetId: n += AsciiWriter.Copy(subnetIds[eni], ref at); break;
                case F.InstanceId: n += AsciiWriter.Copy(instanceIds[eni], ref at); break;
                case F.Region: n += AsciiWriter.Copy(region, ref at); break;
                case F.AzId: n += AsciiWriter.Copy(azIds[eni], ref at); break;
                case F.Start: n += AsciiWriter.Number(r.Start, ref at); break;
                case F.End: n += AsciiWriter.Number(r.End, ref at); break;
                case F.LogStatus: n += AsciiWriter.Copy(r.Status == RecordStatus.NoData ? NoData : SkipData, ref at); break;
                default:
                    at = (byte)'-';
                    n++;
                    break;
            }
        }
        return n;
    }

    /// <summary>Writes a flow field's value and returns its length, or -1 when the field is <c>-</c> for this record.</summary>
    static int FlowValue(F field, in FlowRecord r, ref byte to) => field switch
    {
        F.SrcAddr => AsciiWriter.Ipv4(r.SrcAddr, ref to),
        F.DstAddr => AsciiWriter.Ipv4(r.DstAddr, ref to),
        F.PktSrcAddr => AsciiWriter.Ipv4(r.PktSrcAddr, ref to),
        F.PktDstAddr => AsciiWriter.Ipv4(r.PktDstAddr, ref to),
        F.SrcPort => AsciiWriter.Number(r.SrcPort, ref to),
        F.DstPort => AsciiWriter.Number(r.DstPort, ref to),
        F.Protocol => AsciiWriter.Number(r.Protocol, ref to),
        F.Packets => AsciiWriter.Number(r.Packets, ref to),
        F.Bytes => AsciiWriter.Number(r.Bytes, ref to),
        F.TcpFlags => AsciiWriter.Number(r.TcpFlags, ref to),
        F.Action => AsciiWriter.Copy(r.Rejected ? Reject : Accept, ref to),
        F.Type => AsciiWriter.Copy(IPv4, ref to),
        F.FlowDirection => AsciiWriter.Copy(r.Egress ? Egress : Ingress, ref to),
        F.TrafficPath => r.TrafficPath == 0 ? -1 : AsciiWriter.Number(r.TrafficPath, ref to),
        F.PktSrcAwsService => Service(r.PktSrcService, ref to),
        F.PktDstAwsService => Service(r.PktDstService, ref to),
        _ => -1,
    };

    static int Service(AwsService s, ref byte to) => s == AwsService.None ? -1 : AsciiWriter.Copy(s switch { AwsService.S3 => S3, AwsService.Ec2 => Ec2, _ => Amazon }, ref to);

    /// <summary>The value of field <paramref name="index"/> as Parquet stores it: long for numbers, string for text, null for <c>-</c>.</summary>
    public object? Value(int index, in FlowRecord r)
    {
        Span<byte> buffer = stackalloc byte[64 + AsciiWriter.Slack];
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
        switch (f)
        {
            case F.AccountId: return Text(account);
            case F.InterfaceId: return Text(interfaceIds[r.Interface.Index]);
            case F.VpcId: return Text(vpcId);
            case F.SubnetId: return Text(subnetIds[r.Interface.Index]);
            case F.InstanceId: return Text(instanceIds[r.Interface.Index]);
            case F.Region: return Text(region);
            case F.AzId: return Text(azIds[r.Interface.Index]);
            case F.LogStatus: return r.Status switch { RecordStatus.Ok => "OK", RecordStatus.NoData => "NODATA", _ => "SKIPDATA" };
        }
        var n = ok ? FlowValue(f, r, ref MemoryMarshal.GetReference(buffer)) : -1;
        return n < 0 ? "-" : Encoding.ASCII.GetString(buffer[..n]);
    }

    static string Text(AsciiText t) => Encoding.ASCII.GetString(t.Bytes, 0, t.Length);

    /// <summary>True when the field is a number in Parquet (INT_32 or INT_64 per the field table).</summary>
    public static bool IsNumber(FlowField field) => field.Kind is FieldKind.Int32 or FieldKind.Int64 or FieldKind.EpochTime;
}
