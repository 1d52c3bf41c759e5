using System.Globalization;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// A counted journey as an OCSF 1.1.0 Network Activity event (<see cref="OcsfNetworkActivity"/>), the class Amazon
/// Security Lake stores VPC flow logs in ("Amazon VPC / Flowlogs / Network Activity", source version 2 = OCSF 1.1.0:
/// docs.aws.amazon.com/security-lake/latest/userguide/open-cybersecurity-schema-framework.html). Custom sources must
/// send one OCSF class per source, as Parquet (docs.aws.amazon.com/security-lake/latest/userguide/custom-sources.html).
/// </summary>
public static class OcsfMapping
{
    /// <summary>The OCSF version the events follow (metadata.version).</summary>
    public const string Version = "1.1.0";
    /// <summary>Network Activity: category "network" uid 4 (categories.json), class uid 1 in it → class_uid 4001.</summary>
    public const int CategoryUid = 4, ClassUid = 4001;
    /// <summary>activity_id 6 "Traffic: Network traffic report" (includes/network/network_activities.json): a flow record
    /// reports traffic of an aggregation interval, not the opening or closing of a connection.</summary>
    public const int TrafficActivity = 6;
    /// <summary>type_uid = class_uid * 100 + activity_id (includes/classification.json).</summary>
    public const long TrafficTypeUid = ClassUid * 100L + TrafficActivity;

    /// <summary>The event of one row of <see cref="CountedJourneys"/>.</summary>
    public static OcsfNetworkActivity Event(QueryRow r)
    {
        var start = r.TimeOrNull("start_time");
        var end = r.TimeOrNull("end_time");
        var action = r.TextOrNull("action");
        var observer = r.TextOrNull("observer");
        var (directionId, direction) = Direction(r.TextOrNull("flow_direction"), observer);
        // The interface, VPC, subnet and instance of a record are the observing interface's: the sender's endpoint when
        // the sender's interface logged it, the receiver's when the receiver's did; a relay's (a NAT gateway) is neither.
        var observed = new OcsfEndpoint
        {
            InterfaceUid = r.TextOrNull("interface_id"), InstanceUid = Id(r.TextOrNull("instance_id")),
            VpcUid = r.TextOrNull("vpc_id"), SubnetUid = r.TextOrNull("subnet_id"),
        };
        var src = observer == "sender" ? observed : new OcsfEndpoint();
        var dst = observer == "receiver" ? observed : new OcsfEndpoint();
        src.Ip = r.TextOrNull("src");
        src.Port = Port(r, "srcport");
        src.SvcName = r.TextOrNull("pkt_src_aws_service");
        dst.Ip = r.TextOrNull("dst");
        dst.Port = Port(r, "dstport");
        dst.SvcName = r.TextOrNull("pkt_dst_aws_service");
        var account = Id(r.TextOrNull("account_id"));
        return new OcsfNetworkActivity
        {
            ActivityId = TrafficActivity, ActivityName = "Traffic",
            CategoryUid = CategoryUid, CategoryName = "Network Activity",
            ClassUid = ClassUid, ClassName = "Network Activity",
            TypeUid = TrafficTypeUid, TypeName = "Network Activity: Traffic",
            // A flow record is a report of traffic, not an alert: 1 Informational.
            SeverityId = 1, Severity = "Informational",
            // time: when the traffic was seen, the record's start (the order the case and the timeline use).
            Time = Millis(start ?? end ?? DateTime.UnixEpoch),
            StartTime = start is { } s ? Millis(s) : null,
            EndTime = end is { } e ? Millis(e) : null,
            TimezoneOffset = 0,
            Message = JourneyText.Message(r),
            Metadata = new OcsfMetadata
            {
                Version = Version,
                Product = new OcsfProduct { Name = "FlowNotebooks", VendorName = "FlowNotebooks", Version = AuditRecord.ToolVersion },
                Profiles = ["cloud", "security_control"],
                LogName = "counted_journeys",
                Uid = $"{r.TextOrNull("evidence_sha256")}:{r["evidence_line"]}",
            },
            Cloud = new OcsfCloud { Provider = "AWS", Region = Id(r.TextOrNull("region")), Account = account is null ? null : new OcsfAccount { Uid = account } },
            SrcEndpoint = src,
            DstEndpoint = dst,
            ConnectionInfo = new OcsfConnectionInfo
            {
                DirectionId = directionId, Direction = direction,
                ProtocolNum = r.IsNull("protocol") ? null : r.Int("protocol"),
                TcpFlags = r.IsNull("tcp_flags") ? null : r.Int("tcp_flags"),
            },
            Traffic = new OcsfTraffic
            {
                Bytes = r.IsNull("bytes") ? null : r.Long("bytes"),
                Packets = r.IsNull("packets") ? null : r.Long("packets"),
            },
            // security_control profile: ACCEPT is 1 Allowed / disposition 1 Allowed, REJECT is 2 Denied / disposition 2 Blocked.
            ActionId = action switch { "ACCEPT" => 1, "REJECT" => 2, _ => 0 },
            Action = action switch { "ACCEPT" => "Allowed", "REJECT" => "Denied", _ => "Unknown" },
            DispositionId = action switch { "ACCEPT" => 1, "REJECT" => 2, _ => 0 },
            Disposition = action switch { "ACCEPT" => "Allowed", "REJECT" => "Blocked", _ => "Unknown" },
            Observables = [.. Observables(src.Ip, dst.Ip)],
            Unmapped = new OcsfUnmapped
            {
                EvidenceObject = r.TextOrNull("evidence_object"), EvidenceSha256 = r.TextOrNull("evidence_sha256"),
                EvidenceLine = r.IsNull("evidence_line") ? null : r.Long("evidence_line"),
                Observer = observer, Copies = r.IsNull("copies") ? null : r.Long("copies"),
            },
        };
    }

    // objects/observable.json: type_id 2 "IP Address" is the observable of ip_t (dictionary.json types).
    static IEnumerable<OcsfObservable> Observables(string? src, string? dst)
    {
        if (src is not null) yield return new OcsfObservable { Name = "src_endpoint.ip", TypeId = 2, Type = "IP Address", Value = src };
        if (dst is not null) yield return new OcsfObservable { Name = "dst_endpoint.ip", TypeId = 2, Type = "IP Address", Value = dst };
    }

    // direction_id (objects/network_connection_info.json): 1 Inbound, 2 Outbound, 0 Unknown. The record's flow-direction
    // (relative to the capturing interface) when the format has it, else whose interface logged it.
    static (int, string) Direction(string? flowDirection, string? observer) => (flowDirection, observer) switch
    {
        ("ingress", _) => (1, "Inbound"),
        ("egress", _) => (2, "Outbound"),
        (null, "receiver") => (1, "Inbound"),
        (null, "sender") => (2, "Outbound"),
        _ => (0, "Unknown"),
    };

    // AWS writes '-' or 'unknown' for a value it does not have: no id.
    static string? Id(string? v) => v is null or "-" or "unknown" or "" ? null : v;

    static int? Port(QueryRow r, string column) => r.IsNull(column) ? null : r.Int(column);

    static long Millis(DateTime t) => (long)(DateTime.SpecifyKind(t, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
}

/// <summary>How a journey reads in one line (OCSF <c>message</c>, the Timesketch <c>message</c>).</summary>
internal static class JourneyText
{
    public static string Message(QueryRow r)
    {
        var protocol = r.IsNull("protocol") ? "?" : r.Int("protocol") switch { 6 => "TCP", 17 => "UDP", 1 => "ICMP", 58 => "ICMPv6", var n => n.ToString(CultureInfo.InvariantCulture) };
        var bytes = r.IsNull("bytes") ? "?" : r.Long("bytes").ToString("N0", CultureInfo.InvariantCulture);
        var packets = r.IsNull("packets") ? "?" : r.Long("packets").ToString("N0", CultureInfo.InvariantCulture);
        return $"{r.TextOrNull("action") ?? "-"} {protocol} {r.TextOrNull("src")}:{r["srcport"]} -> {r.TextOrNull("dst")}:{r["dstport"]}, "
             + $"{packets} packets, {bytes} bytes ({r.TextOrNull("interface_id")}, {r.TextOrNull("observer")})";
    }
}
