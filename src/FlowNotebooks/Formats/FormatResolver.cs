namespace FlowNotebooks.Formats;

/// <summary>
/// Decides the layout of an object that has no header line: the analyst's <c>--format</c>, else the LogFormat of the
/// flow log named in the S3 key (or the log group) per describe-flow-logs, else the default v2 format.
/// A header line in the object always wins over this (the reader applies it).
/// </summary>
public sealed class FormatResolver(IEnumerable<FlowLogConfig>? configs = null, FlowLogFormat? explicitFormat = null)
{
    readonly List<FlowLogConfig> configs = configs?.ToList() ?? [];
    // Asked once per record of a CloudWatch page (its stream decides), from every lane: the answers are kept, not worked
    // out again (a format parsed per record was a fifth of reading CloudWatch JSON).
    readonly System.Collections.Concurrent.ConcurrentDictionary<(string?, string?), FlowLogFormat> formats = new();
    readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string?), string?> groupWriters = new();

    /// <summary>The configurations known to this resolver.</summary>
    public IReadOnlyList<FlowLogConfig> Configs => configs;

    /// <summary>The analyst's explicit format, if any.</summary>
    public FlowLogFormat? ExplicitFormat { get; } = explicitFormat;

    /// <summary>Adds describe-flow-logs entries (later ones with the same id replace earlier ones).</summary>
    public void Add(IEnumerable<FlowLogConfig> more)
    {
        foreach (var c in more)
        {
            configs.RemoveAll(x => x.FlowLogId == c.FlowLogId);
            configs.Add(c);
        }
        formats.Clear();
        groupWriters.Clear();
    }

    /// <summary>The layout for an object of that flow-log id or log group.</summary>
    public FlowLogFormat Resolve(string? flowLogId, string? logGroup = null) =>
        ExplicitFormat ?? formats.GetOrAdd((flowLogId, logGroup), k => Configured(k.Item1, k.Item2));

    FlowLogFormat Configured(string? flowLogId, string? logGroup)
    {
        if (flowLogId is not null && configs.FirstOrDefault(c => c.FlowLogId == flowLogId) is { } byId) return byId.Format;
        if (logGroup is not null)
        {
            var byGroup = configs.Where(c => c.LogGroupName == logGroup || (c.LogDestination?.EndsWith(":log-group:" + logGroup, StringComparison.Ordinal) ?? false)).ToList();
            // Several flow logs can write one group; they share a layout only if their formats agree.
            if (byGroup.Count > 0 && byGroup.Select(c => c.Format.Signature).Distinct().Count() == 1) return byGroup[0].Format;
        }
        return FlowLogFormat.Default;
    }

    /// <summary>
    /// The flow log that wrote a log group's stream: the one logging that interface itself, else the only one writing
    /// the group. Null when that cannot be told (several subnet- or VPC-level flow logs share the group).
    /// </summary>
    public string? FlowLogIdForGroup(string? logGroup, string? interfaceId = null) =>
        logGroup is null ? null : groupWriters.GetOrAdd((logGroup, interfaceId), k => Writer(k.Item1, k.Item2));

    string? Writer(string logGroup, string? interfaceId)
    {
        var writers = configs.Where(c => c.LogGroupName == logGroup).ToList();
        if (interfaceId is not null && writers.Where(c => c.ResourceId == interfaceId).Select(c => c.FlowLogId).Distinct().ToList() is [var own])
            return own;
        var ids = writers.Select(c => c.FlowLogId).Distinct().ToList();
        return ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>A log group some flow log writes to, named by a folder of the object's path (how exports are filed).</summary>
    public string? LogGroupInPath(string objectName)
    {
        var folders = objectName.Split('/')[..^1];
        return folders.Reverse().FirstOrDefault(f => configs.Any(c => c.LogGroupName == f));
    }
}
