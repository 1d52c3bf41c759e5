using System.Globalization;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// Lateral movement: internal-to-internal connections on admin and database ports, new pairs against a baseline,
/// fan-out and scans, and the time-ordered chain of hosts reached from patient zero.
/// </summary>
public sealed class LateralMovement : Procedure
{
    public override string Name => "lateral-movement";
    public override string Title => "Lateral movement: admin-port connections, scans and the path from patient zero";
    public override string Description =>
        "Internal-to-internal connections on remote-administration and database ports (SSH, RDP, SMB, RPC, WinRM, VNC, common "
        + "databases; configurable), oriented client → server; pairs never seen in a baseline window; sources touching many "
        + "hosts or ports within a short window (sweeps and port scans, accepted or rejected); and the lateral path: starting from "
        + "patient zero (given, else the first internal scanner from its scan's start, else the target of the earliest accepted inbound "
        + "admin connection from outside), each first session A → B (a connection that moved data, not a scan probe) made after A "
        + "was reached and within the gap of A's last step. A pair already used before its client was reached is routine, not a hop. "
        + "Flow logs show that a connection was made and how many bytes moved, not whether a login succeeded or what ran.";
    public override IReadOnlyList<string> Techniques => ["T1021", "T1046", "T1133", "T1210"];
    public override IReadOnlyList<ResultColumn> Columns { get; } = ResultColumn.Of(("client", "VARCHAR"), ("client_name", "VARCHAR"), ("server", "VARCHAR"), ("server_name", "VARCHAR"), ("port", "INTEGER"),
        ("protocol", "INTEGER"), ("connections", "BIGINT"), ("sessions", "BIGINT"), ("bytes_to_server", "BIGINT"), ("bytes_to_client", "BIGINT"),
        ("accepted_records", "BIGINT"), ("rejected_records", "BIGINT"), ("first_accepted", "TIMESTAMP"), ("first_session", "TIMESTAMP"),
        ("first_seen", "TIMESTAMP"), ("last_seen", "TIMESTAMP"));
    public override IReadOnlyList<ProcedureChart> Charts { get; } = [new(ChartKind.HopGraph, "Lateral path from patient zero, in time order", Table: "path", X: "server", Y: "client", Value: "connections")];
    public override IReadOnlyList<string> ShortNames => ["lateral"];
    public override IReadOnlyList<ProcedureParameter> Parameters { get; } =
    [
        CommonParameters.From, CommonParameters.To, CommonParameters.InternalCidrs, CommonParameters.BaselineFrom, CommonParameters.BaselineTo,
        new("admin_ports", ParameterKind.Ports, AdminPorts.Default, "Remote-administration and database ports."),
        new("patient_zero", ParameterKind.Text, null, "Address of the first compromised host (default: target of the earliest accepted inbound admin connection from outside)."),
        new("min_session_bytes", ParameterKind.Bytes, "1000", "Bytes a connection must send to the server to count as a session (a scan probe's SYN/RST sends ~100)."),
        new("max_gap", ParameterKind.Duration, "6h", "Longest time between reaching a host (or its last step) and its next hop."),
        new("scan_hosts", ParameterKind.Integer, "10", "Distinct internal hosts one source must touch to be a sweep."),
        new("scan_ports", ParameterKind.Integer, "10", "Distinct ports one source must touch to be a port scan."),
        new("scan_window", ParameterKind.Duration, "10m", "Time window in which those hosts or ports must be touched."),
    ];

    // Over address ids (numbered in text order, so ORDER BY an id is ORDER BY its address); text joined for the rows returned.
    const string AdminFlows = ProcedureSql.Traffic + """
        , a AS (
          SELECT dstport IN {list admin_ports} AS to_server,
                 CASE WHEN dstport IN {list admin_ports} THEN src_id ELSE dst_id END AS client_id,
                 CASE WHEN dstport IN {list admin_ports} THEN dst_id ELSE src_id END AS server_id,
                 CASE WHEN dstport IN {list admin_ports} THEN dstport ELSE srcport END AS port,
                 CASE WHEN dstport IN {list admin_ports} THEN srcport ELSE dstport END AS client_port,
                 protocol, bytes, packets, start_time, end_time, accepted
          FROM traffic
          WHERE protocol IN (6, 17) AND {src in internal_cidrs} AND {dst in internal_cidrs}
            AND (dstport IN {list admin_ports} OR srcport IN {list admin_ports}))
        """;

    public override IReadOnlyList<string> OutsideSql { get; } =
    [
        "Side table path and the lateral-hop findings: walked in C# (LateralMovement.Path) over the rows of admin_pairs with a "
        + "first_session, in order of first_session, client, server, port: a pair is a hop when its client was reached, its first "
        + "session is at or after that and at most max_gap after the client's previous step, and its server was not reached yet. "
        + "Patient zero: the patient_zero parameter; else the source of fanout's first row, reached at its first_seen; else the "
        + "target of inbound_admin's first row, reached at its first_seen.",
        "New admin connections (with a baseline): the admin_pairs rows with a first_accepted whose (client, server, port) is not "
        + "among the baseline run's admin_pairs rows nor on the path, compared in C#.",
    ];

    public override IReadOnlyList<ProcedureQuery> Queries { get; } =
    [
        new("admin_pairs", "Client → server pairs on admin ports, internal to internal; first_session is the first accepted connection that moved at least min_session_bytes to the server (a scan probe does not).", AdminFlows + """
            , conn AS (
              SELECT client_id, server_id, port, client_port, min(start_time) FILTER (WHERE to_server) AS t,
                     coalesce(sum(bytes) FILTER (WHERE to_server), 0) AS b, bool_or(to_server AND accepted) AS accepted, bool_or(to_server) AS requested
              FROM a GROUP BY ALL),
            sessions AS (
              SELECT client_id, server_id, port, min(t) FILTER (WHERE accepted AND b >= $min_session_bytes) AS first_session,
                     count(*) FILTER (WHERE accepted AND b >= $min_session_bytes) AS sessions,
                     count(*) FILTER (WHERE requested AND client_port IS NOT NULL) AS connections
              FROM conn GROUP BY ALL),
            p AS (
              SELECT client_id, server_id, port, min(protocol) AS protocol,
                     coalesce(sum(bytes) FILTER (WHERE to_server), 0)::BIGINT AS bytes_to_server,
                     coalesce(sum(bytes) FILTER (WHERE NOT to_server), 0)::BIGINT AS bytes_to_client,
                     count(*) FILTER (WHERE accepted) AS accepted_records, count(*) FILTER (WHERE NOT accepted) AS rejected_records,
                     min(start_time) FILTER (WHERE to_server AND accepted) AS first_accepted,
                     min(start_time) AS first_seen, max(end_time) AS last_seen
              FROM a GROUP BY ALL)
            SELECT c.ip AS client, ca.name AS client_name, sv.ip AS server, sa.name AS server_name, p.port, p.protocol,
                   s.connections, s.sessions, p.bytes_to_server, p.bytes_to_client, p.accepted_records, p.rejected_records,
                   p.first_accepted, s.first_session, p.first_seen, p.last_seen
            FROM p JOIN sessions s USING (client_id, server_id, port)
            JOIN case_addresses c ON c.address_id = p.client_id JOIN case_addresses sv ON sv.address_id = p.server_id
            LEFT JOIN fnb_assets ca ON ca.ip = c.ip LEFT JOIN fnb_assets sa ON sa.ip = sv.ip
            ORDER BY p.first_seen, p.client_id, p.server_id, p.port
            """),
        new("fanout", "Sources touching many internal hosts or ports within scan_window (request direction, accepted or rejected); the scan's span and targets are those of the windows above a threshold.", ProcedureSql.Traffic + $$"""
            , q AS (
              SELECT src_id, dst_id, dstport, protocol, accepted, start_time, end_time,
                     time_bucket(to_seconds($scan_window_seconds), start_time) AS bucket
              FROM traffic
              WHERE {src in internal_cidrs} AND {dst in internal_cidrs}
                AND {{Probe}}),
            hot AS (
              SELECT src_id, bucket FROM q GROUP BY ALL
              HAVING count(DISTINCT dst_id) >= $scan_hosts OR count(DISTINCT dstport) >= $scan_ports),
            -- What the source already did before its first hot window (DNS lookups, its usual app calls) is routine, not the scan.
            routine AS (
              SELECT DISTINCT q.src_id, q.dst_id, q.dstport FROM q JOIN (SELECT src_id, min(bucket) AS fb FROM hot GROUP BY src_id) f
                ON q.src_id = f.src_id AND q.bucket < f.fb),
            scan AS (
              SELECT * FROM q SEMI JOIN hot ON q.src_id = hot.src_id AND q.bucket = hot.bucket
              ANTI JOIN routine ON q.src_id = routine.src_id AND q.dst_id = routine.dst_id AND q.dstport = routine.dstport),
            named AS (
              SELECT sa.ip AS src, da.ip AS dst, scan.* FROM scan
              JOIN case_addresses sa ON sa.address_id = scan.src_id JOIN case_addresses da ON da.address_id = scan.dst_id)
            SELECT q.src AS source, s.name AS source_name, count(DISTINCT dst) AS hosts, count(DISTINCT dstport) AS ports,
                   count(DISTINCT (dst, dstport)) AS targets, count(*) AS records, count(*) FILTER (WHERE NOT accepted) AS rejected,
                   min(start_time) AS first_seen, max(end_time) AS last_seen,
                   list(DISTINCT dst ORDER BY dst) AS target_hosts, list(DISTINCT dstport ORDER BY dstport) AS target_ports
            FROM named q
            LEFT JOIN fnb_assets s ON s.ip = q.src
            GROUP BY ALL ORDER BY first_seen, source
            """),
        new("inbound_admin", "Accepted connections from outside to admin ports (candidate initial access).", ProcedureSql.Traffic + """
            , i AS (
              SELECT src_id, dst_id, dstport AS port, min(start_time) AS first_seen, max(end_time) AS last_seen,
                     coalesce(sum(bytes), 0)::BIGINT AS bytes, count(*) AS records
              FROM traffic
              WHERE accepted AND NOT {src in internal_cidrs} AND {dst in internal_cidrs} AND dstport IN {list admin_ports}
              GROUP BY ALL)
            SELECT sa.ip AS source, da.ip AS target, i.port, i.first_seen, i.last_seen, i.bytes, i.records
            FROM i JOIN case_addresses sa ON sa.address_id = i.src_id JOIN case_addresses da ON da.address_id = i.dst_id
            ORDER BY i.first_seen, i.src_id, i.dst_id, i.port
            """),
    ];

    /// <summary>
    /// A record that looks like a connection attempt rather than a reply: ICMP, or TCP without SYN-ACK that has SYN set or goes
    /// to the lower port. What the scan detection counts and what a scan finding cites.
    /// </summary>
    internal const string Probe = "(protocol IN (1, 58) OR (coalesce(tcp_flags, 0) & 18 <> 18 AND (coalesce(tcp_flags, 0) & 2 = 2 OR dstport < srcport)))";

    protected override void Execute(ProcedureRun run)
    {
        var pairs = run.Query("admin_pairs");
        run.Table = pairs;
        var fanout = run.Query("fanout", new Dictionary<string, object?> { ["scan_window_seconds"] = (long)Math.Max(1, run.Get<TimeSpan>("scan_window").TotalSeconds) });
        run.AddTable("fanout", fanout);
        var inbound = run.Query("inbound_admin");
        run.AddTable("inbound_admin", inbound);

        HashSet<(string, string, int)>? known = null;
        if (run.Get<DateTime?>("baseline_from") is { } bf)
        {
            var b = run.Query("admin_pairs", new Dictionary<string, object?> { ["from"] = bf, ["to"] = run.Get<DateTime?>("baseline_to") ?? run.From });
            known = b.RowsByName.Select(r => (r.Text("client"), r.Text("server"), r.Int("port"))).ToHashSet();
        }

        foreach (var r in inbound.RowsByName.Take(20))
        {
            var (src, dst, port) = (r.Text("source"), r.Text("target"), r.Int("port"));
            var (first, last) = (r.Time("first_seen"), r.Time("last_seen"));
            run.Add(new Finding
            {
                Title = $"Inbound {AdminPorts.Service(port)} from {src} to {dst}",
                Severity = Severity.High,
                Technique = "T1133",
                Statement = $"{src} (outside) made accepted {AdminPorts.Service(port)} connections to {dst}:{port} from {ProcedureRun.Show(first)} to {ProcedureRun.Show(last)} ({ProcedureRun.Bytes(r.Long("bytes"))}).",
                Facts = Finding.FactsOf([("source", src), ("target", dst), ("port", Text(port)), ("first_seen", ProcedureRun.Show(first)),
                    .. Finding.Span(first, last), ("src", src), ("dst", dst), ("ports", Text(port)), ("action", "ACCEPT")]),
                Evidence = run.Cite(Citations.FirstConnections, new Dictionary<string, object?> { ["cited_src"] = src, ["cited_dst"] = dst, ["cited_port"] = port }),
            });
        }

        foreach (var r in fanout.RowsByName)
        {
            var src = r.Text("source");
            var hosts = r.Long("hosts");
            var ports = r.Long("ports");
            var targetHosts = r.List("target_hosts");
            var targetPorts = r.List("target_ports");
            var (first, last) = (r.Time("first_seen"), r.Time("last_seen"));
            run.Add(new Finding
            {
                Title = $"Scan from {src}: {hosts} hosts, {ports} ports",
                Severity = Severity.High,
                Technique = "T1046",
                Statement = string.Create(CultureInfo.InvariantCulture,
                    $"{src} sent connection attempts to {hosts} internal hosts on {ports} ports ({r.Long("targets"):N0} host:port targets, {r.Long("rejected"):N0} of {r.Long("records"):N0} records rejected) from {ProcedureRun.Show(first)} to {ProcedureRun.Show(last)}. Ports: {Shorten(targetPorts, 20)}."),
                Facts = Finding.FactsOf([("source", src), ("hosts", string.Join(",", targetHosts)), ("ports", string.Join(",", targetPorts)),
                    ("first_seen", ProcedureRun.Show(first)), ("last_seen", ProcedureRun.Show(last)),
                    .. Finding.Span(first, last), ("src", src), ("dst", string.Join(",", targetHosts))]),
                Evidence = run.Cite(Citations.ScanProbes, new Dictionary<string, object?>
                {
                    ["cited_src"] = src, ["cited_hosts"] = string.Join(",", targetHosts),
                    ["cited_ports"] = targetPorts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray(),
                    ["cited_from"] = first, ["cited_to"] = last,
                }),
            });
        }

        // Patient zero: given; else the first internal scanner (a host sweeping the network is already compromised), reached
        // when its scan began; else the target of the earliest accepted inbound admin connection.
        var pz = run.Get<string>("patient_zero");
        var reachedAt = run.From;
        var pzWhy = "given";
        if (pz is null && fanout.Rows.Count > 0)
        {
            var scan = fanout.Row(0);
            pz = scan.Text("source");
            reachedAt = scan.Time("first_seen");
            pzWhy = $"the first internal scanner, from {ProcedureRun.Show(reachedAt)}";
        }
        else if (pz is null && inbound.Rows.Count > 0)
        {
            var access = inbound.Row(0);
            pz = access.Text("target");
            reachedAt = access.Time("first_seen");
            pzWhy = $"target of the earliest accepted inbound admin connection, from {access.Text("source")} at {ProcedureRun.Show(reachedAt)}";
        }
        var path = pz is null ? [] : Path(pairs, pz, reachedAt, run.Get<TimeSpan>("max_gap"));
        run.AddTable("path", new QueryResult(["step", "source", "destination", "port", "service", "first_seen"], ["INTEGER", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "TIMESTAMP"],
            path.Select((h, i) => new object?[] { i + 1, h.Source, h.Destination, h.Port, AdminPorts.Service(h.Port), h.Time }).ToList(), false));
        for (var i = 0; i < path.Count; i++)
        {
            var h = path[i];
            run.Add(new Finding
            {
                Title = $"Lateral hop {i + 1}: {h.Source} → {h.Destination} ({AdminPorts.Service(h.Port)})",
                Severity = Severity.High,
                Technique = AdminPorts.Technique(h.Port),
                Statement = $"Step {i + 1} of the path from patient zero {pz} ({pzWhy}): {h.Source} first connected to {h.Destination}:{h.Port} ({AdminPorts.Service(h.Port)}) at {ProcedureRun.Show(h.Time)}, "
                    + $"{(h.Time - h.SourceActive).TotalMinutes.ToString("N0", CultureInfo.InvariantCulture)} min after {h.Source}'s previous step.",
                // The hop is its first session: the span is that instant, the records those of the session that start then.
                Facts = Finding.FactsOf([("step", Text(i + 1)), ("source", h.Source), ("destination", h.Destination),
                    ("port", Text(h.Port)), ("first_seen", ProcedureRun.Show(h.Time)), ("patient_zero", pz),
                    .. Finding.Span(h.Time, h.Time), ("src", h.Source), ("dst", h.Destination), ("ports", Text(h.Port)), ("action", "ACCEPT")]),
                Evidence = run.Cite(Citations.FirstSession, new Dictionary<string, object?>
                {
                    ["cited_src"] = h.Source, ["cited_dst"] = h.Destination, ["cited_port"] = h.Port, ["cited_from"] = h.Time,
                }),
            });
        }
        if (known is not null)
        {
            var onPath = path.Select(h => (h.Source, h.Destination, h.Port)).ToHashSet();
            var pairsNew = pairs.RowsByName.Where(r => r.TimeOrNull("first_accepted") is not null)
                .Select(r => (Key: (r.Text("client"), r.Text("server"), r.Int("port")), First: r.Time("first_accepted"), Last: r.Time("last_seen")))
                .Where(p => !known.Contains(p.Key) && !onPath.Contains(p.Key)).ToList();
            string Item((string, string, int) k) => $"{k.Item1} {k.Item2} {Text(k.Item3)}";
            // One query for every new pair: a baseline comparison can flag thousands (each accepted scan probe).
            var cited = pairsNew.Count == 0 ? new Dictionary<string, IReadOnlyList<EvidenceRef>>()
                : run.CiteEach(Citations.FirstConnectionsOfPairs, new Dictionary<string, object?> { ["cited_pairs"] = string.Join(";", pairsNew.Select(p => Item(p.Key))) });
            foreach (var (key, first, last) in pairsNew)
            {
                run.Add(new Finding
                {
                    Title = $"New admin connection {key.Item1} → {key.Item2} ({AdminPorts.Service(key.Item3)})",
                    Severity = Severity.Medium,
                    Technique = AdminPorts.Technique(key.Item3),
                    Statement = $"{key.Item1} connected to {key.Item2}:{key.Item3} first at {ProcedureRun.Show(first)}; the pair is absent from the baseline window.",
                    Facts = Finding.FactsOf([("source", key.Item1), ("destination", key.Item2), ("port", Text(key.Item3)),
                        .. Finding.Span(first, last), ("src", key.Item1), ("dst", key.Item2), ("ports", Text(key.Item3)), ("action", "ACCEPT")]),
                    Evidence = cited.GetValueOrDefault(Item(key)) ?? [],
                });
            }
        }
        if (pairs.Rows.Count == 0 && fanout.Rows.Count == 0)
            run.Add(new Finding
            {
                Title = "No internal admin-port connection or scan",
                Severity = Severity.Info,
                Negative = true,
                Statement = "No internal-to-internal record on the admin ports and no source above the scan thresholds in the window.",
            });
        else if (pz is not null && path.Count == 0)
            run.Add(new Finding
            {
                Title = $"No lateral hop from {pz}",
                Severity = Severity.Info,
                Negative = true,
                Statement = $"Patient zero {pz} ({pzWhy}) made no new admin-port connection within {run.Get<TimeSpan>("max_gap").TotalHours:0.#} h of being reached.",
            });
    }

    /// <summary>A hop: the first session from a reached host to a host not yet reached.</summary>
    public sealed record Hop(string Source, string Destination, int Port, DateTime Time, DateTime SourceActive);

    /// <summary>
    /// Walks pairs in order of first accepted connection: a pair extends the path when its client was reached, it was first
    /// used after that and within <paramref name="gap"/> of the client's last step, and its server is new.
    /// </summary>
    public static List<Hop> Path(QueryResult pairs, string patientZero, DateTime reachedAt, TimeSpan gap)
    {
        var active = new Dictionary<string, DateTime>(StringComparer.Ordinal) { [patientZero] = reachedAt };
        var reached = new Dictionary<string, DateTime>(StringComparer.Ordinal) { [patientZero] = reachedAt };
        var hops = new List<Hop>();
        var ordered = pairs.RowsByName.Where(r => r.TimeOrNull("first_session") is not null)
            .Select(r => (Client: r.Text("client"), Server: r.Text("server"), Port: r.Int("port"), Time: r.Time("first_session")))
            .OrderBy(p => p.Time).ThenBy(p => p.Client, StringComparer.Ordinal).ThenBy(p => p.Server, StringComparer.Ordinal).ThenBy(p => p.Port);
        foreach (var p in ordered)
        {
            if (!reached.TryGetValue(p.Client, out var since) || reached.ContainsKey(p.Server)) continue;
            if (p.Time < since || p.Time - active[p.Client] > gap) continue;
            hops.Add(new Hop(p.Client, p.Server, p.Port, p.Time, active[p.Client]));
            active[p.Client] = p.Time;
            reached[p.Server] = active[p.Server] = p.Time;
        }
        return hops;
    }

    static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    static string Shorten(IReadOnlyList<string> items, int n) => items.Count <= n ? string.Join(",", items) : string.Join(",", items.Take(n)) + $",… ({items.Count})";
}
