using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowNotebooks.Scenarios;

/// <summary>
/// The ground truth of a generated incident (<c>answer-key.json</c>): what happened, where, when and how many bytes,
/// and which coverage gaps the evidence has. Tests and training exercises check findings against it.
/// All times are UTC; byte figures are sums of the <c>bytes</c> field of the records that carry that traffic on the
/// sending workload's own interface (egress), which equals what the NAT gateway's interface logged for it.
/// </summary>
public sealed record AnswerKey
{
    public required string Scenario { get; init; }
    public required int Seed { get; init; }
    public required string Scale { get; init; }
    public required string Story { get; init; }
    public required string AccountId { get; init; }
    public required string Region { get; init; }
    public required string VpcId { get; init; }
    public required string VpcCidr { get; init; }
    public required TimeWindow Window { get; init; }
    public required IReadOnlyList<KeyHost> Hosts { get; init; }
    public required IReadOnlyList<string> Iocs { get; init; }
    public KeyInitialAccess? InitialAccess { get; init; }
    public KeyScan? DiscoveryScan { get; init; }
    /// <summary>Lateral hops in the order they happened.</summary>
    public IReadOnlyList<KeyHop> LateralPath { get; init; } = [];
    public KeyExfiltration? Exfiltration { get; init; }
    public KeyBeacon? Beacon { get; init; }
    public KeyUnmanagedHost? UnmanagedHost { get; init; }
    public required KeyCoverage Coverage { get; init; }
    /// <summary>How long the evidence still exists and what was done to it: retention, a failed delivery, a deleted object.</summary>
    public KeyEvidenceWindow? EvidenceWindow { get; init; }
    /// <summary>Extra facts a scenario states (for example a mining pool's bytes), by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = new Dictionary<string, JsonElement>();

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static AnswerKey Load(string path) =>
        JsonSerializer.Deserialize<AnswerKey>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"Empty answer key {path}.");
}

public sealed record TimeWindow(DateTime Start, DateTime End);

/// <summary>A workload of the scenario. <c>Managed</c> false = in no inventory.</summary>
public sealed record KeyHost(string Name, string Role, string? InterfaceId, string PrivateIp, string? PublicIp, string? SubnetId, string? InstanceId, bool Managed = true);

public sealed record KeyInitialAccess(string AttackerIp, string TargetIp, int Port, string Protocol, DateTime Time);

public sealed record KeyScan(string SourceIp, IReadOnlyList<string> TargetIps, IReadOnlyList<int> Ports, TimeWindow Window);

/// <summary>One lateral hop: the attacker's first connection from <c>SourceIp</c> to <c>DestinationIp</c> on an admin port (an
/// admin path, such as a bastion's, may carry legitimate sessions before it).</summary>
public sealed record KeyHop(string SourceIp, string DestinationIp, int Port, string Service, DateTime FirstSeen);

public sealed record KeyExfilDestination(string Ip, int Port, long Bytes, TimeWindow Window);

public sealed record KeyExfiltration(
    string SourceIp, string SourceInterfaceId, string Via, string? NatInterfaceId, string? NatPrivateIp, string? NatPublicIp,
    IReadOnlyList<KeyExfilDestination> Destinations, long TotalBytes);

public sealed record KeyBeacon(string SourceIp, string DestinationIp, int Port, int PeriodSeconds, TimeWindow Window);

public sealed record KeyUnmanagedHost(string Ip, IReadOnlyList<string> Contacted);

public sealed record KeySubnet(string SubnetId, string Cidr);

public sealed record KeyGap(string? InterfaceId, string? FlowLogId, TimeWindow Window);

public sealed record KeyCoverage(IReadOnlyList<KeySubnet> UnloggedSubnets, IReadOnlyList<KeyGap> SkipdataWindows, IReadOnlyList<KeyGap> MissingDeliveryWindows)
{
    /// <summary>Interfaces more than one flow log records (subnet-level and interface-level): their traffic appears once per flow log.</summary>
    public IReadOnlyList<KeyOverlap> OverlappingCaptures { get; init; } = [];

    /// <summary>Flow logs created after the evidence window began: nothing before their CreationTime (window = window start to creation).</summary>
    public IReadOnlyList<KeyGap> LoggingStartedLate { get; init; } = [];
}

/// <summary>
/// The evidence window of a case as its configuration states it, read at <see cref="CollectedAt"/>: the bucket's
/// lifecycle (objects expire <see cref="ExpireDays"/> days after delivery, move to <see cref="TransitionClass"/> after
/// <see cref="TransitionDays"/>, at the next midnight UTC as AWS documents), the log group's retention, a capture whose
/// delivery FAILED, and an object deleted after delivery whose earlier version the case holds.
/// </summary>
public sealed record KeyEvidenceWindow(
    DateTime CollectedAt, string Bucket, string Versioning, int ExpireDays, DateTime OldestExpiresAt, int TransitionDays, string TransitionClass,
    DateTime TransitionAt, string? LogGroup, int? LogGroupRetentionDays, DateTime? LogGroupOldestExpiresAt, KeyFailedDelivery? FailedDelivery,
    KeyDeletedObject? DeletedObject);

/// <summary>A capture describe-flow-logs reports with DeliverLogsStatus FAILED and this message.</summary>
public sealed record KeyFailedDelivery(string FlowLogId, string Message);

/// <summary>An object deleted after delivery (delete marker at <see cref="DeletedAt"/>); its earlier version is in the case.</summary>
public sealed record KeyDeletedObject(string Key, string VersionId, DateTime DeletedAt, string FlowLogId);

/// <summary>An interface and the flow logs that each record all of its traffic.</summary>
public sealed record KeyOverlap(string InterfaceId, IReadOnlyList<string> FlowLogIds);
