using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// Prepares small per-run tables every procedure's SQL joins to: <c>fnb_window_hours</c> (the window's share of
/// <c>interface_hours</c>),
/// <c>fnb_interfaces</c> (each interface seen in the inventory or in the window's records: its own address, what it is,
/// its Name tag, whether it was logged, whether its records carry pkt-* fields) and <c>fnb_assets</c> (every inventory
/// address with the interface it belongs to). Temporary: they live on the case connection only.
/// </summary>
public static class CaseInterfaces
{
    /// <summary>
    /// <c>interface_hours</c> of the window: hours whose every record is inside it as they are, and the records of hours the
    /// window cuts through counted again from <c>flows</c> (none when the window is the whole case or hour-aligned).
    /// </summary>
    public static readonly ProcedureQuery WindowHours = new("fnb_window_hours", "Records per interface, capture and hour, in the window.", $$"""
        CREATE OR REPLACE TEMP TABLE fnb_window_hours AS
        WITH cut AS (
          SELECT interface_id, flow_log_id, hour FROM interface_hours
          WHERE NOT (first_start >= $from AND last_start < $to) AND last_end >= $from AND first_start < $to)
        SELECT * FROM interface_hours WHERE first_start >= $from AND last_start < $to
        UNION ALL BY NAME
        SELECT {{CountedFlows.HourColumns}}
        FROM flows f SEMI JOIN cut ON cut.interface_id IS NOT DISTINCT FROM f.interface_id AND cut.flow_log_id IS NOT DISTINCT FROM f.flow_log_id
                                      AND cut.hour = time_bucket(INTERVAL 1 HOUR, f.start_time)
        WHERE f.end_time >= $from AND f.start_time < $to
        GROUP BY ALL
        """);

    public static readonly ProcedureQuery Interfaces = new("fnb_interfaces", "Interfaces of the inventory and of the window's records.", """
        CREATE OR REPLACE TEMP TABLE fnb_interfaces AS
        WITH inv AS (
          SELECT DISTINCT ON (interface_id) interface_id, private_ip, role, name, instance_id, subnet_id, vpc_id, public_ip, description
          FROM interfaces ORDER BY interface_id, evidence_id DESC),
        seen AS (
          SELECT interface_id, sum(records)::BIGINT AS records, bool_or(has_pkt) AS has_pkt, bool_or(relays) AS relays,
                 min(vpc_id) AS vpc_id, min(subnet_id) AS subnet_id,
                 -- An interface moved to another instance: the one it was on last.
                 arg_max(instance_id, (last_start, instance_id)) FILTER (WHERE instance_id IS NOT NULL) AS instance_id
          FROM fnb_window_hours WHERE interface_id IS NOT NULL
          GROUP BY interface_id)
        SELECT coalesce(inv.interface_id, seen.interface_id) AS interface_id,
               coalesce(inv.private_ip, guess.ip) AS own_ip,
               coalesce(inv.role, CASE WHEN seen.relays THEN 'nat_gateway' WHEN seen.instance_id IS NOT NULL THEN 'instance' ELSE 'unknown' END) AS role,
               inv.name, coalesce(inv.instance_id, seen.instance_id) AS instance_id,
               coalesce(inv.subnet_id, seen.subnet_id) AS subnet_id, coalesce(inv.vpc_id, seen.vpc_id) AS vpc_id,
               inv.public_ip, inv.interface_id IS NOT NULL AS in_inventory,
               coalesce(seen.records, 0) AS records, seen.records IS NOT NULL AS logged, coalesce(seen.has_pkt, false) AS has_pkt
        FROM inv FULL OUTER JOIN seen ON inv.interface_id = seen.interface_id
        LEFT JOIN interface_own_address guess ON guess.interface_id = seen.interface_id AND inv.interface_id IS NULL
        """);

    public static readonly ProcedureQuery Assets = new("fnb_assets", "Inventory addresses with the interface they belong to.", """
        CREATE OR REPLACE TEMP TABLE fnb_assets AS
        SELECT DISTINCT ON (ip) ip, interface_id, name, role, instance_id, subnet_id, vpc_id, is_primary
        FROM (
          SELECT a.private_ip AS ip, a.interface_id, i.name, i.role, i.instance_id, i.subnet_id, i.vpc_id, a.is_primary
          FROM interface_addresses a JOIN fnb_interfaces i USING (interface_id)
          UNION ALL
          SELECT own_ip, interface_id, name, role, instance_id, subnet_id, vpc_id, true FROM fnb_interfaces
          WHERE own_ip IS NOT NULL AND in_inventory)
        ORDER BY ip, is_primary DESC, interface_id
        """);

    internal static void Prepare(CaseStore store, IReadOnlyDictionary<string, object?> values, List<ExecutedStatement> log)
    {
        foreach (var q in new[] { WindowHours, Interfaces, Assets })
        {
            var statement = ExecutedStatement.Of(q, values);
            log.Add(statement);
            store.Execute(statement.Sql, [.. statement.Parameters]);
        }
    }
}
