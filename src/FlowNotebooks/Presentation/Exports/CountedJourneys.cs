using FlowNotebooks.Enrichment;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>
/// The counted journeys of a window (<c>counted_journeys</c>: each packet journey once, as every procedure counts them),
/// narrowed like a procedure's input (from, to, addresses, ports, action), one row per journey with the fields of its
/// record (account, region, VPC, subnet, instance, flow direction from <c>flows</c>) and where it is in the evidence:
/// object, SHA-256 and line. Ordered by start, evidence object and line, so the same case and parameters give the same rows.
/// </summary>
public static class CountedJourneys
{
    /// <summary>The parameters, read like a procedure's (<see cref="ProcedureParameter.Bind"/>).</summary>
    public static IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From,
        CommonParameters.To,
        new("addresses", ParameterKind.Cidrs, "", "Only journeys whose source or destination is in these addresses or CIDR blocks (all when empty)."),
        new("ports", ParameterKind.Ports, "", "Only journeys from or to these ports (all when empty)."),
        new("action", ParameterKind.Text, "", "ACCEPT or REJECT (both when empty)."),
    ];

    const string Select = """
        SELECT j.start_time, j.end_time, j.src, j.srcport, j.dst, j.dstport, j.protocol, j.packets, j.bytes, j.action, j.tcp_flags,
               j.interface_id, j.observer, j.copies,
               coalesce(f.account_id, e.account_id) AS account_id, coalesce(f.region, e.region) AS region,
               f.vpc_id, f.subnet_id, f.instance_id, f.flow_direction, j.pkt_src_aws_service, j.pkt_dst_aws_service,
               j.evidence_id, e.object AS evidence_object, e.sha256 AS evidence_sha256, j.line AS evidence_line
        FROM counted_journeys j JOIN evidence e USING (evidence_id)
        LEFT JOIN flows f ON f.evidence_id = j.evidence_id AND f.line = j.line
        WHERE j.end_time >= $from AND j.start_time < $to
        """;

    /// <summary>Reads the journeys of the window. Parameter values are text (as typed) or typed values.</summary>
    /// <exception cref="ArgumentException">An unknown parameter, an action other than ACCEPT/REJECT, or a window that holds no record (<see cref="Input.WindowException"/>).</exception>
    /// <exception cref="FormatException">A value that does not fit its kind.</exception>
    public static JourneySelection Read(CaseStore store, IReadOnlyDictionary<string, object?>? given = null)
    {
        var notes = new List<string>();
        var values = ProcedureParameter.Bind(Parameters, given ?? new Dictionary<string, object?>(), "the counted-journeys export", notes);
        CountedFlows.EnsureCurrent(store);
        var window = CaseWindow.Of(store, values["from"] as DateTime?, values["to"] as DateTime?);
        var action = ((string?)values["action"] ?? "").Trim().ToUpperInvariant();
        if (action is not ("" or "ACCEPT" or "REJECT"))
            throw new ArgumentException($"Parameter action: '{values["action"]}' is not ACCEPT or REJECT (leave it empty for both).");
        var sql = Select;
        if (action.Length > 0) sql += "\n  AND j.action = $action";
        if (((int[]?)values["ports"])?.Length > 0) sql += "\n  AND (j.srcport IN {list ports} OR j.dstport IN {list ports})";
        if (values["addresses"] is CidrList { IsEmpty: false }) sql += "\n  AND ({j.src in addresses} OR {j.dst in addresses})";
        sql += "\nORDER BY j.start_time, j.evidence_id, j.line";
        var bound = new Dictionary<string, object?>(values, StringComparer.Ordinal) { ["from"] = window.From, ["to"] = window.To, ["action"] = action };
        var statement = ExecutedStatement.Of(new ProcedureQuery("counted journeys", "The counted journeys of the window.", sql), bound);
        var rows = store.Query(statement.Sql, statement.Parameters);
        var shown = Parameters.ToDictionary(p => p.Name, p => ProcedureParameter.Show(p.Name switch
        {
            "from" => window.From, "to" => window.To, "action" => action, _ => values[p.Name],
        }), StringComparer.Ordinal);
        return new JourneySelection(rows, shown, window.From, window.To, notes, statement);
    }
}

/// <summary>The journeys an export carries: the rows, the parameters as used (defaults included), the window, what was
/// assumed reading the input, and the statement that selected them (with its values) for the provenance.</summary>
public sealed record JourneySelection(QueryResult Rows, IReadOnlyDictionary<string, string> Parameters, DateTime From, DateTime To,
    IReadOnlyList<string> Notes, ExecutedStatement Statement);
