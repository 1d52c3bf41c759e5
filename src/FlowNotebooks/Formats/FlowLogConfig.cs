using System.Text.Json;

namespace FlowNotebooks.Formats;

/// <summary>One flow log (a capture) as <c>aws ec2 describe-flow-logs</c> prints it.</summary>
public sealed record FlowLogConfig(
    string FlowLogId,
    string? ResourceId,
    string? TrafficType,
    string? LogDestinationType,
    string? LogDestination,
    string? LogGroupName,
    string LogFormat,
    int? MaxAggregationInterval,
    string? FileFormat,
    bool HiveCompatiblePartitions,
    bool PerHourPartition,
    DateTime? CreationTime,
    string? FlowLogStatus,
    string? DeliverLogsStatus)
{
    /// <summary>Why delivery fails when <see cref="DeliverLogsStatus"/> is FAILED ("Access error", "Rate limited", "Unknown error").</summary>
    public string? DeliverLogsErrorMessage { get; init; }

    /// <summary>The layout this flow log writes.</summary>
    public FlowLogFormat Format => FlowLogFormat.Parse(LogFormat, $"LogFormat of {FlowLogId}");

    /// <summary>Reads <c>{"FlowLogs":[…]}</c> (the CLI output) from JSON text.</summary>
    /// <exception cref="JsonException">The JSON is malformed or has no FlowLogs array.</exception>
    public static IReadOnlyList<FlowLogConfig> ParseDescribeFlowLogs(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        return FromElement(doc.RootElement);
    }

    /// <summary>Reads the <c>FlowLogs</c> array of a parsed describe-flow-logs document.</summary>
    public static IReadOnlyList<FlowLogConfig> FromElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("FlowLogs", out var logs) || logs.ValueKind != JsonValueKind.Array)
            throw new JsonException("Not describe-flow-logs output: no \"FlowLogs\" array.");
        var list = new List<FlowLogConfig>();
        foreach (var f in logs.EnumerateArray())
        {
            var options = f.TryGetProperty("DestinationOptions", out var o) ? o : default;
            list.Add(new FlowLogConfig(
                Str(f, "FlowLogId") ?? throw new JsonException("A FlowLogs entry has no FlowLogId."),
                Str(f, "ResourceId"),
                Str(f, "TrafficType"),
                Str(f, "LogDestinationType"),
                Str(f, "LogDestination"),
                Str(f, "LogGroupName"),
                Str(f, "LogFormat") ?? FlowLogFormat.DefaultLogFormat,
                f.TryGetProperty("MaxAggregationInterval", out var mai) && mai.TryGetInt32(out var i) ? i : null,
                options.ValueKind == JsonValueKind.Object ? Str(options, "FileFormat") : null,
                options.ValueKind == JsonValueKind.Object && Bool(options, "HiveCompatiblePartitions"),
                options.ValueKind == JsonValueKind.Object && Bool(options, "PerHourPartition"),
                f.TryGetProperty("CreationTime", out var ct) && ct.TryGetDateTime(out var dt) ? dt.ToUniversalTime() : null,
                Str(f, "FlowLogStatus"),
                Str(f, "DeliverLogsStatus")) { DeliverLogsErrorMessage = Str(f, "DeliverLogsErrorMessage") });
        }
        return list;
    }

    static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True;
}
