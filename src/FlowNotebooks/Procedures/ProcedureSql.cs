namespace FlowNotebooks.Procedures;

/// <summary>
/// SQL shared by the procedures. <see cref="Counted"/> is the heart of "count a conversation once": the window's OK
/// records, one capture per interface and hour (so an ENI-level and a subnet-level capture do not double it), exact copies collapsed, addresses taken from pkt-* when present (so the NAT gateway's
/// interface shows the workload and the internet host, not itself), and of the interfaces that logged a packet's
/// journey only one kept: the sender's own interface if it was logged, else the receiver's, else a relay's (the NAT
/// gateway's). The NAT gateway's own legs (NAT address ↔ internet) are marked <c>translated</c>: they repeat traffic
/// already charged to the workload when pkt-* fields are present.
/// </summary>
public static class ProcedureSql
{
    /// <summary>CTEs <c>w</c>, <c>observed</c>, <c>counted</c> (start a query with it, then add ", name AS (…) SELECT …").</summary>
    public const string Counted = """
        WITH ev AS (
          -- The capture that wrote a record: its flow-log id, or (CloudWatch exports carry none) the log group folder it came from.
          SELECT evidence_id, coalesce(flow_log_id, 'group:' || regexp_extract(object, '([^/]+)/[^/]+$', 1)) AS capture FROM evidence),
        fc AS (
          SELECT f.*, coalesce(f.flow_log_id, ev.capture) AS capture, time_bucket(INTERVAL 1 HOUR, f.start_time) AS hour
          FROM flows f JOIN ev USING (evidence_id)
          WHERE f.end_time >= $from AND f.start_time < $to),
        pick AS (
          -- Two captures of one interface (ENI-level and subnet-level, often with different aggregation intervals) log the
          -- same traffic in records that do not match one for one: per interface and hour, keep the capture with the most records.
          SELECT interface_id, hour, capture FROM (SELECT interface_id, hour, capture, count(*) AS n FROM fc GROUP BY ALL)
          QUALIFY row_number() OVER (PARTITION BY interface_id, hour ORDER BY n DESC, capture) = 1),
        w AS (
          SELECT interface_id,
                 coalesce(pkt_srcaddr, srcaddr) AS src, coalesce(pkt_srcaddr_v4, srcaddr_v4) AS src_v4, coalesce(pkt_srcaddr_v6, srcaddr_v6) AS src_v6,
                 coalesce(pkt_dstaddr, dstaddr) AS dst, coalesce(pkt_dstaddr_v4, dstaddr_v4) AS dst_v4, coalesce(pkt_dstaddr_v6, dstaddr_v6) AS dst_v6,
                 srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start_time, end_time, action, tcp_flags,
                 pkt_src_aws_service, pkt_dst_aws_service, min(evidence_id) AS evidence_id, count(*) AS copies
          FROM fc SEMI JOIN pick ON fc.interface_id = pick.interface_id AND fc.hour = pick.hour AND fc.capture = pick.capture
          WHERE coalesce(log_status, 'OK') = 'OK' AND srcaddr IS NOT NULL
          GROUP BY ALL),
        logged_ip AS (SELECT own_ip, min(interface_id) AS interface_id FROM fnb_interfaces WHERE logged AND own_ip IS NOT NULL GROUP BY own_ip),
        observed AS (
          SELECT w.*, i.role AS observer_role, i.own_ip AS observer_ip,
                 CASE WHEN w.src = i.own_ip THEN 'sender' WHEN w.dst = i.own_ip THEN 'receiver' ELSE 'relay' END AS observer,
                 s.interface_id AS src_interface, d.interface_id AS dst_interface,
                 coalesce(i.role = 'nat_gateway' AND i.has_pkt AND (w.src = i.own_ip OR w.dst = i.own_ip), false) AS translated
          FROM w LEFT JOIN fnb_interfaces i ON i.interface_id = w.interface_id
          LEFT JOIN logged_ip s ON s.own_ip = w.src
          LEFT JOIN logged_ip d ON d.own_ip = w.dst),
        counted AS (
          SELECT * FROM observed
          WHERE observer = 'sender' OR (observer = 'receiver' AND src_interface IS NULL)
             OR (observer = 'relay' AND src_interface IS NULL AND dst_interface IS NULL))
        """;

    /// <summary>
    /// CTE <c>outside</c> (after <see cref="Counted"/>): traffic between one of ours and an external address, from our
    /// side: asset, peer, direction (out/in), ports, bytes; the relay interface (NAT gateway) when the record came from it.
    /// </summary>
    public const string Outside = """
        , outside AS (
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
