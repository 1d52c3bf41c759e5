namespace FlowNotebooks.Procedures;

/// <summary>
/// SQL shared by the procedures. <see cref="Counted"/> reads the window from <see cref="CountedFlows"/>, the heart of
/// "count a conversation once" (one capture per interface and hour, exact copies collapsed, pkt-* addresses, and of the
/// interfaces that logged a packet's journey only one kept: the sender's own if its capture delivered that minute whole,
/// else the receiver's, else a relay's such as the NAT gateway's). The NAT gateway's own legs (NAT address ↔ internet) are marked
/// <c>translated</c>: they repeat traffic already charged to the workload when pkt-* fields are present.
/// </summary>
public static class ProcedureSql
{
    /// <summary>
    /// CTEs <c>w</c>, <c>observed</c>, <c>counted</c> (start a query with it, then add ", name AS (…) SELECT …"). Not
    /// materialized: a filtered scan of the table is cheaper than DuckDB copying every column of the window once more.
    /// </summary>
    public const string Counted = """
        WITH w AS NOT MATERIALIZED (SELECT * FROM counted_flows WHERE end_time >= $from AND start_time < $to),
        observed AS NOT MATERIALIZED (SELECT * FROM w),
        counted AS NOT MATERIALIZED (SELECT * FROM w WHERE counts)
        """;

    const string TrafficCte = """
        traffic AS NOT MATERIALIZED (SELECT * FROM counted_traffic WHERE end_time >= $from AND start_time < $to)
        """;

    /// <summary>
    /// CTE <c>traffic</c> (start a query with it): the window's counted journeys from <c>counted_traffic</c>, the NAT
    /// gateway's translated legs left out, addresses as <c>src_id</c>/<c>dst_id</c> (<c>case_addresses</c>, text order) and
    /// <c>accepted</c> for action = ACCEPT. What aggregations over every record read.
    /// </summary>
    public const string Traffic = "WITH " + TrafficCte;

    /// <summary>The CTEs of <see cref="Counted"/> and of <see cref="Traffic"/>, for a query that needs both.</summary>
    public const string CountedAndTraffic = Counted + ",\n" + TrafficCte;

    /// <summary>
    /// CTE <c>outside</c> (after <see cref="Traffic"/> or <see cref="CountedAndTraffic"/>): traffic between one of ours and an external address, from our
    /// side: asset and peer ids, outbound (else inbound), ports, bytes, the observing interface.
    /// </summary>
    public const string Outside = """
        , outside AS NOT MATERIALIZED (
          -- One pass: each record's side tested once (a UNION of the two directions would read the window twice).
          SELECT CASE WHEN si THEN src_id ELSE dst_id END AS asset_id, CASE WHEN si THEN dst_id ELSE src_id END AS peer_id,
                 CASE WHEN si THEN dst_v4 ELSE src_v4 END AS peer_v4, CASE WHEN si THEN dst_v6 ELSE src_v6 END AS peer_v6,
                 si AS outbound, CASE WHEN si THEN srcport ELSE dstport END AS asset_port, CASE WHEN si THEN dstport ELSE srcport END AS peer_port,
                 protocol, packets, bytes, start_time, end_time, accepted, tcp_flags,
                 CASE WHEN si THEN pkt_dst_aws_service ELSE pkt_src_aws_service END AS aws_service, interface_id
          FROM (SELECT *, {src in internal_cidrs} AS si, {dst in internal_cidrs} AS di FROM traffic) WHERE si <> di)
        """;
}
