using System.Text.Json.Serialization;

namespace FlowNotebooks.Presentation.Exports;

// The shape of an OCSF 1.1.0 Network Activity event (class 4001) as far as a flow record fills it. Attribute names,
// types and requirements are the schema's own, at tag v1.1.0 of github.com/ocsf/ocsf-schema:
//   events/network/network_activity.json (uid 1 in category "network", uid 4 in categories.json: class_uid 4001),
//   events/network/network.json (src_endpoint, dst_endpoint required; connection_info recommended; traffic optional),
//   events/base_event.json + includes/classification.json + includes/occurrence.json (activity_id, category_uid,
//   class_uid, type_uid, severity_id, time, metadata required), profiles/cloud.json (cloud required),
//   profiles/security_control.json (action_id required, disposition_id recommended), objects/metadata.json (product,
//   version required), objects/product.json (vendor_name required), objects/cloud.json (provider required),
//   objects/network_connection_info.json (direction_id required), objects/network_traffic.json, objects/endpoint.json,
//   objects/observable.json (name, type_id required). Types (dictionary.json): timestamp_t is milliseconds since the
//   epoch (long), port_t an integer 0-65535, ip_t a string, type_uid a long; the rest integers or strings.
// Property order is the order written (JSON and Parquet), so the bytes are stable. Nulls are left out of the JSON.

/// <summary>One OCSF 1.1.0 Network Activity event.</summary>
public sealed class OcsfNetworkActivity
{
    [JsonPropertyName("activity_id")] public int ActivityId { get; set; }
    [JsonPropertyName("activity_name")] public string? ActivityName { get; set; }
    [JsonPropertyName("category_uid")] public int CategoryUid { get; set; }
    [JsonPropertyName("category_name")] public string? CategoryName { get; set; }
    [JsonPropertyName("class_uid")] public int ClassUid { get; set; }
    [JsonPropertyName("class_name")] public string? ClassName { get; set; }
    [JsonPropertyName("type_uid")] public long TypeUid { get; set; }
    [JsonPropertyName("type_name")] public string? TypeName { get; set; }
    [JsonPropertyName("severity_id")] public int SeverityId { get; set; }
    [JsonPropertyName("severity")] public string? Severity { get; set; }
    [JsonPropertyName("time")] public long Time { get; set; }
    [JsonPropertyName("start_time")] public long? StartTime { get; set; }
    [JsonPropertyName("end_time")] public long? EndTime { get; set; }
    [JsonPropertyName("timezone_offset")] public int? TimezoneOffset { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("metadata")] public OcsfMetadata Metadata { get; set; } = new();
    [JsonPropertyName("cloud")] public OcsfCloud Cloud { get; set; } = new();
    [JsonPropertyName("src_endpoint")] public OcsfEndpoint SrcEndpoint { get; set; } = new();
    [JsonPropertyName("dst_endpoint")] public OcsfEndpoint DstEndpoint { get; set; } = new();
    [JsonPropertyName("connection_info")] public OcsfConnectionInfo ConnectionInfo { get; set; } = new();
    [JsonPropertyName("traffic")] public OcsfTraffic Traffic { get; set; } = new();
    [JsonPropertyName("action_id")] public int ActionId { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("disposition_id")] public int DispositionId { get; set; }
    [JsonPropertyName("disposition")] public string? Disposition { get; set; }
    [JsonPropertyName("observables")] public List<OcsfObservable> Observables { get; set; } = [];
    [JsonPropertyName("unmapped")] public OcsfUnmapped Unmapped { get; set; } = new();
}

/// <summary>objects/metadata.json: product and version required.</summary>
public sealed class OcsfMetadata
{
    [JsonPropertyName("version")] public string Version { get; set; } = "";
    [JsonPropertyName("product")] public OcsfProduct Product { get; set; } = new();
    [JsonPropertyName("profiles")] public List<string> Profiles { get; set; } = [];
    [JsonPropertyName("log_name")] public string? LogName { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
}

/// <summary>objects/product.json: vendor_name required.</summary>
public sealed class OcsfProduct
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("vendor_name")] public string VendorName { get; set; } = "";
    [JsonPropertyName("version")] public string? Version { get; set; }
}

/// <summary>objects/cloud.json: provider required; account (objects/account.json) by uid.</summary>
public sealed class OcsfCloud
{
    [JsonPropertyName("provider")] public string Provider { get; set; } = "";
    [JsonPropertyName("region")] public string? Region { get; set; }
    [JsonPropertyName("account")] public OcsfAccount? Account { get; set; }
}

/// <summary>objects/account.json.</summary>
public sealed class OcsfAccount
{
    [JsonPropertyName("uid")] public string? Uid { get; set; }
}

/// <summary>objects/network_endpoint.json (extends endpoint): at least one of ip, uid, name, hostname, svc_name, instance_uid, interface_uid, interface_name.</summary>
public sealed class OcsfEndpoint
{
    [JsonPropertyName("ip")] public string? Ip { get; set; }
    [JsonPropertyName("port")] public int? Port { get; set; }
    [JsonPropertyName("svc_name")] public string? SvcName { get; set; }
    [JsonPropertyName("interface_uid")] public string? InterfaceUid { get; set; }
    [JsonPropertyName("instance_uid")] public string? InstanceUid { get; set; }
    [JsonPropertyName("vpc_uid")] public string? VpcUid { get; set; }
    [JsonPropertyName("subnet_uid")] public string? SubnetUid { get; set; }
}

/// <summary>objects/network_connection_info.json: direction_id required.</summary>
public sealed class OcsfConnectionInfo
{
    [JsonPropertyName("direction_id")] public int DirectionId { get; set; }
    [JsonPropertyName("direction")] public string? Direction { get; set; }
    [JsonPropertyName("protocol_num")] public int? ProtocolNum { get; set; }
    [JsonPropertyName("tcp_flags")] public int? TcpFlags { get; set; }
}

/// <summary>objects/network_traffic.json.</summary>
public sealed class OcsfTraffic
{
    [JsonPropertyName("bytes")] public long? Bytes { get; set; }
    [JsonPropertyName("packets")] public long? Packets { get; set; }
}

/// <summary>objects/observable.json: name and type_id required (type_id 2 is "IP Address", the observable of ip_t).</summary>
public sealed class OcsfObservable
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("type_id")] public int TypeId { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

/// <summary>What OCSF has no attribute for (base_event's <c>unmapped</c>): where the record is in the evidence and how it was counted.</summary>
public sealed class OcsfUnmapped
{
    [JsonPropertyName("evidence_object")] public string? EvidenceObject { get; set; }
    [JsonPropertyName("evidence_sha256")] public string? EvidenceSha256 { get; set; }
    [JsonPropertyName("evidence_line")] public long? EvidenceLine { get; set; }
    [JsonPropertyName("observer")] public string? Observer { get; set; }
    [JsonPropertyName("copies")] public long? Copies { get; set; }
}
