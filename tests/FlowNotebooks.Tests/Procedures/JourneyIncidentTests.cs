using System.Globalization;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using static FlowNotebooks.Tests.Procedures.JourneyIncident;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// Every procedure on <see cref="JourneyIncident"/> against figures computed here from its journeys (not from records, not
/// from the generator): each journey counted exactly once despite the undelivered hour, the SKIPDATA windows and the
/// two captures of one interface, and the procedures agreeing with each other.
/// </summary>
public sealed class JourneyIncidentTests(JourneyIncident fx) : IClassFixture<JourneyIncident>
{
    ProcedureResult Run(string name, params (string Key, object? Value)[] ps) =>
        ProcedureRegistry.Get(name).Run(fx.Store, ps.ToDictionary(p => p.Key, p => p.Value));

    static long L(object? v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);

    long Truth(Func<Journey, bool> which) => fx.Journeys.Where(which).Sum(j => j.Bytes);

    [Fact]
    public void Each_journey_is_counted_exactly_once()
    {
        Run("coverage");
        var counted = fx.Store.Query("""
            SELECT src, dst, srcport, dstport, sum(bytes)::BIGINT, count(DISTINCT observer)
            FROM counted_flows WHERE counts AND NOT translated GROUP BY ALL
            """).Rows.ToDictionary(r => ((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2], CultureInfo.InvariantCulture), Convert.ToInt32(r[3], CultureInfo.InvariantCulture)), r => L(r[4]));
        var expected = fx.Journeys.GroupBy(j => (j.Src, j.Dst, j.SrcPort, j.DstPort)).ToDictionary(g => g.Key, g => g.Sum(j => j.Bytes));
        var wrong = expected.Where(e => counted.GetValueOrDefault(e.Key) != e.Value)
            .Select(e => $"{e.Key}: expected {e.Value}, counted {counted.GetValueOrDefault(e.Key)}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(expected.Count, counted.Count);
    }

    [Fact]
    public void Exfiltration_bytes_agree_across_ledger_conversations_and_ioc_matches()
    {
        var outBytes = Truth(j => j.Src == Db && j.Dst == Drop);
        var inBytes = Truth(j => j.Src == Drop && j.Dst == Db);
        Assert.Equal(400_000_000L, outBytes);

        var ledger = Run("exfil-ledger").Table;
        var row = ledger.Rows.Single(r => (string)r[ledger.IndexOf("asset")]! == Db && (string)r[ledger.IndexOf("destination")]! == Drop);
        Assert.Equal(outBytes, L(row[ledger.IndexOf("bytes_out")]));
        Assert.Equal(inBytes, L(row[ledger.IndexOf("bytes_in")]));

        var conv = Run("conversations", ("address", Drop)).Table;
        var pair = conv.Rows.Where(r => (string)r[conv.IndexOf("client")]! == Db && (string)r[conv.IndexOf("server")]! == Drop).ToList();
        Assert.Equal(outBytes, pair.Sum(r => L(r[conv.IndexOf("bytes_to_server")])));
        Assert.Equal(inBytes, pair.Sum(r => L(r[conv.IndexOf("bytes_to_client")])));

        var ioc = Run("attacker-infrastructure", ("iocs", $"{Drop},{C2}")).Table;
        var contact = ioc.Rows.Single(r => (string)r[ioc.IndexOf("asset")]! == Db);
        Assert.Equal(outBytes, L(contact[ioc.IndexOf("bytes_out")]));
        Assert.Equal(inBytes, L(contact[ioc.IndexOf("bytes_in")]));
    }

    [Fact]
    public void The_hop_inside_the_undelivered_hour_stays_on_the_lateral_path()
    {
        var r = Run("lateral-movement");
        var pairs = r.Table;
        object?[] Pair(string client, string server, int port) => pairs.Rows.Single(x =>
            (string)x[pairs.IndexOf("client")]! == client && (string)x[pairs.IndexOf("server")]! == server && L(x[pairs.IndexOf("port")]) == port);
        var toDb = Pair(Web, Db, 5432);
        Assert.Equal(At(91, 40), toDb[pairs.IndexOf("first_session")]);
        Assert.Equal(Truth(j => j.Src == Web && j.Dst == Db), L(toDb[pairs.IndexOf("bytes_to_server")]));
        Assert.Equal(Truth(j => j.Src == Db && j.Dst == Web), L(toDb[pairs.IndexOf("bytes_to_client")]));
        Assert.Equal(At(40, 10), Pair(Web, App, 22)[pairs.IndexOf("first_session")]);

        var path = r.Tables["path"];
        Assert.Equal([(Web, App, 22L), (Web, Db, 5432L)],
            path.Rows.Select(x => ((string)x[path.IndexOf("source")]!, (string)x[path.IndexOf("destination")]!, L(x[path.IndexOf("port")]))).ToList());

        var scan = r.Tables["fanout"].Rows.Single();
        var fanout = r.Tables["fanout"];
        var probes = fx.Journeys.Where(j => j.Src == Web && j.DstPort == 5432 && j.Dst.StartsWith("10.1.2.1", StringComparison.Ordinal)).ToList();
        Assert.Equal(Web, scan[fanout.IndexOf("source")]);
        Assert.Equal((long)probes.Count, L(scan[fanout.IndexOf("hosts")]));
        Assert.Equal(probes.Min(j => j.Start), scan[fanout.IndexOf("first_seen")]);
        Assert.Equal(probes.Max(j => j.End), scan[fanout.IndexOf("last_seen")]);
    }

    [Fact]
    public void The_beacon_counts_every_connection_from_the_first_and_splits_a_reused_source_port()
    {
        var beats = fx.Journeys.Where(j => j.Src == App && j.Dst == C2).ToList();
        var t = Run("beaconing").Table;
        var row = t.Rows.Single(r => (string)r[t.IndexOf("destination")]! == C2);
        Assert.Equal(App, row[t.IndexOf("asset")]);
        Assert.Equal((long)beats.Count, L(row[t.IndexOf("connections")]));
        Assert.Equal(beats.Min(j => j.Start), row[t.IndexOf("first_seen")]);
        Assert.Equal(beats.Max(j => j.Start), row[t.IndexOf("last_seen")]);
        Assert.InRange(L(row[t.IndexOf("period_seconds")]), 290, 310);
    }

    [Fact]
    public void Rejected_recon_finds_nothing_since_every_journey_was_accepted()
    {
        Assert.DoesNotContain(fx.Journeys, j => j.Action == "REJECT");
        var r = Run("rejected-recon");
        Assert.Empty(r.Table.Rows);
        var none = Assert.Single(r.Findings);
        Assert.True(none.Negative);
        // A negative finding carries the coverage of its window, which names what was not delivered.
        Assert.Contains(SubnetA, none.Coverage);
    }

    [Fact]
    public void Coverage_states_the_undelivered_hour_and_both_skipdata_windows_and_no_false_gap()
    {
        var gaps = Run("coverage").Tables["gaps"];
        string S(object?[] g, string c) => Convert.ToString(g[gaps.IndexOf(c)], CultureInfo.InvariantCulture) ?? "";
        var missing = gaps.Rows.Where(g => S(g, "kind") == "missing_delivery").ToList();
        var m = Assert.Single(missing);
        Assert.Equal(SubnetA, S(m, "flow_log_id"));
        // Objects of that hour were dropped (slots with no record had no object to drop): the gap is the hour.
        Assert.All(fx.DroppedSlots, s => Assert.InRange(s, Undelivered.From, Undelivered.To.AddTicks(-1)));
        Assert.Contains(Undelivered.From, fx.DroppedSlots);
        Assert.Equal(Undelivered.From, m[gaps.IndexOf("start")]);
        Assert.Equal(Undelivered.To, m[gaps.IndexOf("end")]);
        var skips = gaps.Rows.Where(g => S(g, "kind") == "skipdata").Select(g => (S(g, "interface_id"), g[gaps.IndexOf("start")], g[gaps.IndexOf("end")])).Order().ToList();
        Assert.Equal([("eni-app", (object?)AppSkipped.From, (object?)AppSkipped.To), ("eni-db", DbSkipped.From, DbSkipped.To)], skips);
        Assert.True(gaps.Rows.Count == 3, string.Join("\n", gaps.Rows.Select(g => string.Join(" ", g.Take(5)))));
    }

    public static TheoryData<string> Procedures => [.. ProcedureRegistry.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Procedures))]
    public void Each_procedure_returns_the_columns_its_definition_declares_and_draws_its_charts(string name)
    {
        var procedure = ProcedureRegistry.Get(name);
        var r = name == "attacker-infrastructure" ? Run(name, ("iocs", $"{Drop},{C2}")) : Run(name);
        Assert.Equal(procedure.Columns.Select(c => c.Name), r.Table.Columns);
        Assert.All(procedure.Columns.Zip(r.Table.Types), p => Assert.True(p.First.Accepts(p.Second), $"{p.First.Name}: declared {p.First.Type}, returned {p.Second}"));
        Assert.NotEmpty(procedure.Charts);
        // Every chart's table and columns exist in the result it draws.
        foreach (var chart in procedure.Charts)
        {
            var table = chart.Table is null ? r.Table : r.Tables[chart.Table];
            foreach (var column in new[] { chart.X, chart.Y, chart.Value }.OfType<string>().Where(_ => chart.Table is null || chart.Kind != ChartKind.HopGraph))
                Assert.Contains(column, table.Columns);
        }
        if (r.Table.Rows.Count > 0) Assert.NotEmpty(FlowNotebooks.Presentation.Charts.ProcedureCharts.For(r));
    }
}
