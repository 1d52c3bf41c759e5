using System.Globalization;
using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>One statement sent to Athena: its name (the local table it fills) and its text, ready to run.</summary>
public sealed record RemoteStatement(string Name, string Description, string Sql);

/// <summary>
/// The statements that run where the records are (Athena, engine 3 or DuckDB), over the window padded by an hour (the
/// counting decisions at the window's edges see their neighbours). Each reads the flow-log table(s) once — no CTE is
/// referenced twice, none needs a table of its own — and returns what the local counting core (<see cref="CountedFlows"/>)
/// would otherwise derive from every record: the objects read, per interface-hour figures, per capture-minute delivery,
/// each interface's likeliest own address, and the records of the capture that counts per interface-hour (plus every
/// SKIPDATA record). The same text serves both engines but for <see cref="AthenaDialect"/>'s few spellings.
/// </summary>
public static class RemoteRollups
{
    /// <summary>What the rollups read of a record (the records statement reads every field of each source's format).</summary>
    static readonly string[] RollupFields =
        ["interface-id", "srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr", "bytes", "start", "end", "log-status", "vpc-id", "subnet-id", "instance-id"];

    /// <summary>The objects the window's records come from, with their records, time span and sums that tell a redelivered
    /// copy of an object (same capture, same figures) from the original; runs first.</summary>
    public static RemoteStatement Objects(IReadOnlyList<AthenaFlowSource> sources, AthenaEngine e, RemoteWindow w) =>
        new("athena_objects", "The S3 objects the window's records came from, with their records and time span.", $"""
            SELECT object, arbitrary(flow_log_id) AS flow_log_id, arbitrary(source_no) AS source_no, count(*) AS records,
                   min(start_s) AS first_start, max(end_s) AS last_end,
                   coalesce(sum(bytes), 0) AS bytes, coalesce(sum(start_s), 0) AS start_sum, coalesce(sum(end_s), 0) AS end_sum
            FROM ({AthenaFlowSource.Records(sources, Fields(RollupFields), e, w, [])}) r
            GROUP BY object
            """);

    /// <summary>The rollups, over every object but <paramref name="skipObjects"/> (redelivered copies), in the order they run.</summary>
    public static IReadOnlyList<RemoteStatement> Rollups(IReadOnlyList<AthenaFlowSource> sources, AthenaEngine e, RemoteWindow w,
        IReadOnlyCollection<string> skipObjects)
    {
        var r = "(" + AthenaFlowSource.Records(sources, Fields(RollupFields), e, w, skipObjects) + ") r";
        return
        [
            new("interface_hours", "Records per interface, capture and hour: by log status, bytes, time span, pkt-* use.", $"""
                SELECT interface_id, flow_log_id, {AthenaDialect.Div(e, "start_s", 3600)} * 3600 AS hour_s,
                       count(*) AS records,
                       count_if(coalesce(log_status, 'OK') = 'OK') AS ok,
                       count_if(log_status = 'NODATA') AS nodata,
                       count_if(log_status = 'SKIPDATA') AS skipdata,
                       coalesce(sum(bytes), 0) AS bytes,
                       min(start_s) AS first_start, max(start_s) AS last_start, max(end_s) AS last_end,
                       coalesce(bool_or(pkt_srcaddr IS NOT NULL OR pkt_dstaddr IS NOT NULL), false) AS has_pkt,
                       coalesce(bool_or(pkt_dstaddr <> dstaddr OR pkt_srcaddr <> srcaddr), false) AS relays,
                       arbitrary(vpc_id) AS vpc_id, arbitrary(subnet_id) AS subnet_id, arbitrary(instance_id) AS instance_id
                FROM {r}
                GROUP BY 1, 2, 3
                """),
            // A record spans at most its aggregation interval (10 minutes); a longer span is clipped to an hour, as locally.
            new("capture_minutes", "Minutes each capture delivered records of an interface.", $"""
                SELECT interface_id, capture, m AS minute, bool_or(skipped) AS skipped, bool_or(NOT skipped) AS logged,
                       sum(records) FILTER (WHERE m = m0 AND NOT skipped) AS records
                FROM (
                  SELECT interface_id, flow_log_id AS capture, coalesce(log_status, 'OK') = 'SKIPDATA' AS skipped,
                         {AthenaDialect.Div(e, "start_s", 60)} AS m0, {AthenaDialect.Div(e, "coalesce(end_s, start_s)", 60)} AS m1, count(*) AS records
                  FROM {r}
                  WHERE interface_id IS NOT NULL AND start_s IS NOT NULL
                  GROUP BY 1, 2, 3, 4, 5) s
                CROSS JOIN UNNEST({AthenaDialect.Sequence(e, "m0", "least(greatest(m1, m0), m0 + 60)")}) AS t(m)
                GROUP BY 1, 2, 3
                """),
            new("interface_own_address", "Per interface, the address most often its records' srcaddr (its own, for an interface the inventory lacks).", $"""
                SELECT interface_id, srcaddr AS ip
                FROM (
                  SELECT interface_id, srcaddr, row_number() OVER (PARTITION BY interface_id ORDER BY count(*) DESC, srcaddr) AS rn
                  FROM {r}
                  WHERE srcaddr IS NOT NULL AND interface_id IS NOT NULL
                  GROUP BY 1, 2) s
                WHERE rn = 1
                """),
        ];
    }

    /// <summary>The capture that counts for an interface over consecutive hours (hour numbers are epoch hours).</summary>
    public sealed record CountedRun(string InterfaceId, string Capture, long FirstHour, long LastHour);

    /// <summary>The records the per-record decisions and citations need: every record of the capture that counts per
    /// interface-hour (<paramref name="counted"/>, decided locally from <c>capture_minutes</c>) and every SKIPDATA record;
    /// every field of the sources' formats.</summary>
    public static RemoteStatement Records(IReadOnlyList<AthenaFlowSource> sources, AthenaEngine e, RemoteWindow w,
        IReadOnlyCollection<string> skipObjects, IReadOnlyList<CountedRun> counted)
    {
        var fields = Fields(RollupFields.Concat(sources.SelectMany(s => s.Format.Fields.Select(f => f.Name))));
        var runs = counted.Count == 0
            ? "(CAST(NULL AS varchar), CAST(NULL AS varchar), CAST(NULL AS bigint), CAST(NULL AS bigint))"
            : string.Join(",\n    ", counted.Select(c => string.Create(CultureInfo.InvariantCulture,
                $"({AthenaFlowSource.Text(c.InterfaceId)}, {AthenaFlowSource.Text(c.Capture)}, {c.FirstHour}, {c.LastHour})")));
        var columns = string.Join(", ", fields.Select(f => "r." + AthenaFlowSource.Alias(f)).Append("r.flow_log_id").Append("r.object").Append("r.source_no"));
        return new("athena_records", "The records of the capture that counts per interface and hour, and every SKIPDATA record.", $"""
            SELECT {columns}
            FROM ({AthenaFlowSource.Records(sources, fields, e, w, skipObjects)}) r
            LEFT JOIN (VALUES
                {runs}) AS p(interface_id, capture, h0, h1)
              ON p.interface_id = r.interface_id AND p.capture = r.flow_log_id AND {AthenaDialect.Div(e, "r.start_s", 3600)} BETWEEN p.h0 AND p.h1
            WHERE p.capture IS NOT NULL OR r.log_status = 'SKIPDATA'
            """);
    }

    static List<FlowField> Fields(IEnumerable<string> names) =>
        names.Distinct(StringComparer.Ordinal).Select(n => FieldCatalog.Find(n) ?? throw new InvalidOperationException($"Unknown field {n}.")).ToList();

    /// <summary>Athena's limit on a query string (bytes of UTF-8).</summary>
    public const int MaxQueryBytes = 262_144;

    /// <summary>Refuses a statement Athena would reject for its length, saying why.</summary>
    public static RemoteStatement Checked(RemoteStatement s) => Encoding.UTF8.GetByteCount(s.Sql) <= MaxQueryBytes ? s
        : throw new InvalidOperationException($"{s.Name}: {Encoding.UTF8.GetByteCount(s.Sql):N0} bytes of SQL, above Athena's {MaxQueryBytes:N0}; narrow the window.");
}
