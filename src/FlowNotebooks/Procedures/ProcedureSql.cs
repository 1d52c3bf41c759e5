namespace FlowNotebooks.Procedures;

/// <summary>
/// SQL shared by the procedures. <see cref="Counted"/> reads the window from <see cref="CountedFlows"/>, the heart of
/// "count a conversation once" (one capture per interface and hour, exact copies collapsed, pkt-* addresses, and of the
/// interfaces that logged a packet's journey only one kept: the sender's own if it was logged that hour, else the
/// receiver's, else a relay's such as the NAT gateway's). The NAT gateway's own legs (NAT address ↔ internet) are marked
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

    /// <summary>
    /// CTE <c>outside</c> (after <see cref="Counted"/>): traffic between one of ours and an external address, from our
    /// side: asset, peer, direction (out/in), ports, bytes; the relay interface (NAT gateway) when the record came from it.
    /// </summary>
    public const string Outside = """
        , outside AS NOT MATERIALIZED (
          SELECT src AS asset, src_v4 AS asset_v4, src_v6 AS asset_v6, dst AS peer, dst_v4 AS peer_v4, dst_v6 AS peer_v6,
                 'out' AS direction, srcport AS asset_port, dstport AS peer_port, protocol, packets, bytes, start_time, end_time, action, tcp_flags,
                 pkt_dst_aws_service AS aws_service, interface_id, observer, CASE WHEN observer = 'relay' THEN interface_id END AS relay_interface, evidence_id
          FROM counted WHERE NOT translated AND {src in internal_cidrs} AND NOT {dst in internal_cidrs}
          UNION ALL
          SELECT dst, dst_v4, dst_v6, src, src_v4, src_v6,
                 'in', dstport, srcport, protocol, packets, bytes, start_time, end_time, action, tcp_flags,
                 pkt_src_aws_service, interface_id, observer, CASE WHEN observer = 'relay' THEN interface_id END, evidence_id
          FROM counted WHERE NOT translated AND {dst in internal_cidrs} AND NOT {src in internal_cidrs})
        """;
}
