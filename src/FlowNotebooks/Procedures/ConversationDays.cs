namespace FlowNotebooks.Procedures;

/// <summary>
/// The two directions of a flow summed as one pair (end <c>a</c> is the lower address id, or the lower port between an
/// address and itself), per day of start, kept as <c>conversation_days</c> beside the counted records. A window reads the
/// days it holds whole from it and only the records of the days it cuts: on a 10^8-record case the conversations of the
/// whole case add up a few million day rows instead of every record. Exact: a day is whole when every record starting
/// in it is inside the window (<c>traffic_days</c> keeps each day's earliest end and latest start).
/// </summary>
public static class ConversationDays
{
    /// <summary>A pair's ends over <see cref="Direction"/>'s columns: with <c>protocol</c>, what a pair is grouped by.</summary>
    internal const string PairEnds = """
        CASE WHEN fwd THEN src_id ELSE dst_id END AS a, CASE WHEN fwd THEN srcport ELSE dstport END AS a_port,
        CASE WHEN fwd THEN dst_id ELSE src_id END AS b, CASE WHEN fwd THEN dstport ELSE srcport END AS b_port
        """;

    /// <summary>A pair's sums over records with <c>fwd</c> (a→b) and <c>hint</c> (1: the sender is the client by
    /// tcp-flags SYN, 2: the server, SYN-ACK).</summary>
    const string Sums = """
        coalesce(sum(bytes) FILTER (WHERE fwd), 0)::BIGINT AS a2b, coalesce(sum(bytes) FILTER (WHERE NOT fwd), 0)::BIGINT AS b2a,
        coalesce(sum(packets), 0)::BIGINT AS packets,
        count(*) FILTER (WHERE (fwd AND hint = 1) OR (NOT fwd AND hint = 2)) AS a_votes,
        count(*) FILTER (WHERE (fwd AND hint = 2) OR (NOT fwd AND hint = 1)) AS b_votes,
        min(start_time) AS first_seen, max(end_time) AS last_seen, count(*) AS records,
        count(*) FILTER (WHERE NOT accepted) AS rejected
        """;

    /// <summary>A pair's ends, protocol and sums; the grouping is by the first five.</summary>
    internal const string PairSums = PairEnds + ", protocol,\n" + Sums;

    /// <summary>Each record's direction (<c>fwd</c>: a→b) and client hint, as columns over <c>counted_traffic</c> columns.</summary>
    internal const string Direction = """
        (src_id < dst_id OR (src_id = dst_id AND srcport <= dstport)) AS fwd,
        CASE WHEN tcp_flags & 18 = 18 THEN 2 WHEN tcp_flags & 2 = 2 THEN 1 END AS hint
        """;

    /// <summary>Builds <c>conversation_days</c> from <c>counted_traffic</c>.</summary>
    public static readonly ProcedureQuery Build = new("conversation_days", "Conversation pairs per day of start.",
        "CREATE OR REPLACE TABLE conversation_days AS " + BuildOf("true"));

    /// <summary>The records <paramref name="where"/> selects with their day and pair (<c>day, a, a_port, b, b_port,
    /// protocol</c>), direction and hint.</summary>
    static string Paired(string where) => $$"""
        (SELECT *, {{PairEnds}} FROM (
           SELECT *, time_bucket(INTERVAL 1 DAY, start_time) AS day, {{Direction}} FROM counted_traffic WHERE {{where}}))
        """;

    /// <summary>The rows of <c>conversation_days</c> for the records <paramref name="where"/> selects; with
    /// <paramref name="pairs"/> (a table of day and pair), only the pairs it names.</summary>
    internal static string BuildOf(string where, string? pairs = null) => $$"""
        SELECT day, a, a_port, b, b_port, protocol, {{Sums}},
               any_value(CASE WHEN fwd THEN src_v4 ELSE dst_v4 END) AS a_v4, any_value(CASE WHEN fwd THEN src_v6 ELSE dst_v6 END) AS a_v6,
               any_value(CASE WHEN fwd THEN dst_v4 ELSE src_v4 END) AS b_v4, any_value(CASE WHEN fwd THEN dst_v6 ELSE src_v6 END) AS b_v6
        FROM {{Paired(where)}} t
        {{(pairs is null ? "" : $"SEMI JOIN {pairs} p ON {SamePair("p", "t")}")}}
        GROUP BY day, a, a_port, b, b_port, protocol
        """;

    /// <summary>The pairs (per day) of the records <paramref name="where"/> selects: those whose sums it changes.</summary>
    internal static string PairsOf(string where) => $"SELECT DISTINCT day, a, a_port, b, b_port, protocol FROM {Paired(where)}";

    /// <summary>Rows <paramref name="x"/> and <paramref name="y"/> are the same pair on the same day (a custom format
    /// without ports or protocol leaves them NULL: still one pair).</summary>
    internal static string SamePair(string x, string y) => string.Join(" AND ",
        new[] { "day", "a", "a_port", "b", "b_port", "protocol" }.Select(c => $"{x}.{c} IS NOT DISTINCT FROM {y}.{c}"));

    /// <summary>Per day of start, the earliest end and the latest start of its records: whether a window holds the day whole.</summary>
    public static readonly ProcedureQuery Spans = new("traffic_days", "Earliest end and latest start per day.",
        "CREATE OR REPLACE TABLE traffic_days AS " + SpansOf("true"));

    /// <summary>The rows of <c>traffic_days</c> for the records <paramref name="where"/> selects.</summary>
    internal static string SpansOf(string where) => $"""
        SELECT time_bucket(INTERVAL 1 DAY, start_time) AS day, min(end_time) AS min_end, max(start_time) AS max_start
        FROM counted_traffic WHERE {where} GROUP BY day
        """;

    /// <summary>The days a window holds whole, as [from, to) of day starts; an empty range (both far in the future) when
    /// none, or when a cut day lies between whole ones (then every record is read).</summary>
    public static readonly ProcedureQuery WholeDays = new("whole_days", "Days the window holds whole.", """
        WITH d AS (SELECT day, min_end >= $from AND max_start < $to AS whole FROM traffic_days WHERE day IS NOT NULL),
        r AS (SELECT min(day) FILTER (WHERE whole) AS lo, max(day) FILTER (WHERE whole) AS hi FROM d)
        SELECT CASE WHEN cut = 0 THEN lo END AS days_from, CASE WHEN cut = 0 THEN hi + INTERVAL 1 DAY END AS days_to
        FROM r, (SELECT count(*) AS cut FROM d, r WHERE NOT d.whole AND d.day BETWEEN r.lo AND r.hi)
        """);

    /// <summary>Past any record: the range used when no day is whole.</summary>
    internal static readonly DateTime Never = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Parameters <c>days_from</c>, <c>days_to</c> of a run's window.</summary>
    internal static (DateTime From, DateTime To) Of(ProcedureRun run)
    {
        var r = run.Query(WholeDays).Row(0);
        return r.TimeOrNull("days_from") is { } f && r.TimeOrNull("days_to") is { } t ? (f, t) : (Never, Never);
    }
}
