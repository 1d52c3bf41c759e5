using System.Globalization;
using FlowNotebooks.Procedures;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// The tables built once per case (counted_flows, interface_hours) must give what a scan of the records gives: for a
/// window that cuts hours in two, per-interface counts equal a direct count over <c>flows</c>; and they follow new evidence.
/// </summary>
public sealed class CountedFlowsTests(VpcCompromiseCase c) : IClassFixture<VpcCompromiseCase>
{
    [Theory]
    [InlineData(17 * 60 + 13, 5 * 3600 + 3 * 60)]   // both ends inside an hour
    [InlineData(0, 24 * 3600)]                     // hour-aligned
    [InlineData(3600 + 1, 3600 + 90)]              // inside one hour
    public void Coverage_counts_per_interface_equal_a_direct_count_for_a_window_that_cuts_hours(int fromSeconds, int toSeconds)
    {
        var first = c.Store.Scalar<DateTime>("SELECT date_trunc('hour', min(start_time)) FROM flows");
        var from = first.AddSeconds(fromSeconds);
        var to = first.AddSeconds(toSeconds);
        var t = c.Run("coverage", ("from", from), ("to", to)).Table;
        var direct = c.Store.Query("""
            SELECT interface_id, count(*), count(*) FILTER (WHERE coalesce(log_status, 'OK') = 'OK'),
                   count(*) FILTER (WHERE log_status = 'NODATA'), count(*) FILTER (WHERE log_status = 'SKIPDATA'), min(start_time), max(end_time)
            FROM flows WHERE end_time >= $1 AND start_time < $2 AND interface_id IS NOT NULL GROUP BY ALL
            """, [from, to]).Rows.ToDictionary(r => (string)r[0]!);
        Assert.NotEmpty(direct);
        foreach (var row in t.Rows)
        {
            var id = (string)row[t.IndexOf("interface_id")]!;
            long L(string col) => Convert.ToInt64(row[t.IndexOf(col)], CultureInfo.InvariantCulture);
            if (!direct.TryGetValue(id, out var d))
            {
                Assert.Equal(0, L("records"));
                continue;
            }
            Assert.Equal(Convert.ToInt64(d[1], CultureInfo.InvariantCulture), L("records"));
            Assert.Equal(Convert.ToInt64(d[2], CultureInfo.InvariantCulture), L("ok"));
            Assert.Equal(Convert.ToInt64(d[3], CultureInfo.InvariantCulture), L("nodata"));
            Assert.Equal(Convert.ToInt64(d[4], CultureInfo.InvariantCulture), L("skipdata"));
            Assert.Equal(d[5], row[t.IndexOf("first_seen")]);
            Assert.Equal(d[6], row[t.IndexOf("last_seen")]);
        }
        Assert.Equal(direct.Count, t.Rows.Count(r => Convert.ToInt64(r[t.IndexOf("records")], CultureInfo.InvariantCulture) > 0));
    }

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("2h", 7200)]
    [InlineData("5m", 300)]
    public void Coverage_buckets_equal_a_direct_count(string bucket, long seconds)
    {
        var t = c.Run("coverage", ("bucket", bucket)).Tables["buckets"];
        var direct = c.Store.Query("""
            SELECT interface_id, time_bucket(to_seconds($1), start_time) AS b, count(*), coalesce(sum(bytes), 0)::BIGINT
            FROM flows GROUP BY ALL ORDER BY interface_id, b
            """, [seconds]).Rows;
        Assert.Equal(direct.Count, t.Rows.Count);
        var got = t.Rows.Select(r => (r[0], r[1], Convert.ToInt64(r[2], CultureInfo.InvariantCulture), Convert.ToInt64(r[6], CultureInfo.InvariantCulture))).ToList();
        var want = direct.Select(r => (r[0], r[1], Convert.ToInt64(r[2], CultureInfo.InvariantCulture), Convert.ToInt64(r[3], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(want, got);
    }

    [Fact]
    public void Evidence_lines_behind_an_exfil_finding_are_records_of_that_asset_and_destination_in_the_named_object()
    {
        var findings = c.Run("exfil-ledger").Findings.Where(f => f.Technique == "T1048").ToList();
        Assert.NotEmpty(findings);
        foreach (var f in findings)
        {
            Assert.NotEmpty(f.Evidence);
            foreach (var e in f.Evidence)
            {
                var path = (string)c.Store.Query("SELECT object FROM evidence WHERE evidence_id = $1", [e.EvidenceId]).Rows[0][0]!;
                var lines = EvidenceRecords.ReadLines(Path.IsPathRooted(path) ? path : Path.Combine(c.Folder, path));
                Assert.Equal(e.Sha256, (string)c.Store.Query("SELECT sha256 FROM evidence WHERE evidence_id = $1", [e.EvidenceId]).Rows[0][0]!);
                foreach (var n in e.Lines)
                {
                    var fields = lines[(int)n - 1].Split(' ');
                    Assert.True(fields.Length > 5, $"{path} line {n}: {lines[(int)n - 1]}");
                    Assert.True(fields.Contains(f.Facts["asset"]) && fields.Contains(f.Facts["destination"]), $"{path} line {n}: {lines[(int)n - 1]}");
                }
            }
        }
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("1m", 60)]
    public void Timeline_equals_each_record_spread_over_its_window_one_by_one(string bucket, long seconds)
    {
        var t = c.Run("conversations", ("bucket", bucket), ("internal_cidrs", "10.0.0.0/8")).Tables["timeline"];
        // The plain definition: every counted record, its bytes spread evenly over [start, max(end, start + 1 s)).
        var direct = c.Store.Query($$"""
            WITH r AS (
              SELECT bytes, start_time, greatest(end_time, start_time + INTERVAL 1 SECOND) AS end_t,
                     CASE WHEN src_v4 >> 24 = 10 AND dst_v4 >> 24 = 10 THEN 'internal' WHEN src_v4 >> 24 = 10 THEN 'outbound'
                          WHEN dst_v4 >> 24 = 10 THEN 'inbound' ELSE 'external' END AS traffic
              FROM counted_flows WHERE counts AND NOT translated),
            s AS (SELECT unnest(range(time_bucket(to_seconds({{seconds}}), start_time), end_t, to_seconds({{seconds}}))) AS bucket, * FROM r)
            SELECT bucket, traffic, round(sum(bytes * (epoch(least(end_t, bucket + to_seconds({{seconds}}))) - epoch(greatest(start_time, bucket)))
                                          / (epoch(end_t) - epoch(start_time))))::BIGINT
            FROM s GROUP BY ALL ORDER BY bucket, traffic
            """).Rows;
        Assert.Contains(t.Rows, r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture) > 0);
        var got = t.Rows.Select(r => (r[0], (string)r[1]!, Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToList();
        var want = direct.Select(r => (r[0], (string)r[1]!, Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(want.Count, got.Count);
        // Summing per record or per group of like records may differ in the last floating-point bit: at most a byte.
        Assert.All(want.Zip(got), p => { Assert.Equal(p.First.Item1, p.Second.Item1); Assert.Equal(p.First.Item2, p.Second.Item2); Assert.InRange(p.Second.Item3 - p.First.Item3, -1, 1); });
    }

    [Theory]
    [InlineData(13 * 3600 + 17 * 60, 24 * 3600 + 5 * 3600)]   // cuts the first and the second day
    [InlineData(24 * 3600, 48 * 3600)]                        // one whole day
    [InlineData(26 * 3600, 27 * 3600)]                        // inside a day
    [InlineData(0, 10 * 24 * 3600)]                           // the whole case
    public void Conversations_from_whole_days_and_cut_records_equal_sums_over_the_counted_records(int fromSeconds, int toSeconds)
    {
        var first = c.Store.Scalar<DateTime>("SELECT date_trunc('day', min(start_time)) FROM flows");
        var from = first.AddSeconds(fromSeconds);
        var to = first.AddSeconds(toSeconds);
        var t = c.Run("conversations", ("from", from), ("to", to), ("limit", 1_000_000)).Table;
        Assert.False(t.Truncated);
        // Per unordered address pair and protocol (orientation aside): bytes, packets, records and distinct port pairs
        // (connections) of the counted, untranslated records, straight from counted_flows.
        var direct = c.Store.Query("""
            SELECT least(src, dst) || ' ' || greatest(src, dst) || ' ' || protocol,
                   sum(bytes)::BIGINT, sum(packets)::BIGINT, count(*),
                   count(DISTINCT CASE WHEN src < dst OR (src = dst AND srcport <= dstport) THEN srcport || '-' || dstport ELSE dstport || '-' || srcport END)
            FROM counted_flows WHERE counts AND NOT translated AND end_time >= $1 AND start_time < $2 GROUP BY 1
            """, [from, to]).Rows.ToDictionary(r => (string)r[0]!, r => string.Join(",", r.Skip(1).Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture))));
        Assert.NotEmpty(direct);
        var got = t.Rows.GroupBy(r =>
            {
                var (x, y) = ((string)r[t.IndexOf("client")]!, (string)r[t.IndexOf("server")]!);
                return $"{(string.CompareOrdinal(x, y) <= 0 ? x : y)} {(string.CompareOrdinal(x, y) <= 0 ? y : x)} {r[t.IndexOf("protocol")]}";
            })
            .ToDictionary(g => g.Key, g =>
            {
                long S(string col) => g.Sum(r => Convert.ToInt64(r[t.IndexOf(col)], CultureInfo.InvariantCulture));
                return string.Join(",", S("bytes_to_server") + S("bytes_to_client"), S("packets"), S("records"), S("connections"));
            });
        Assert.Equal(direct.OrderBy(p => p.Key, StringComparer.Ordinal), got.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Counted_traffic_is_the_counted_untranslated_records_with_address_ids_in_text_order()
    {
        c.Run("coverage");
        Assert.Equal(0L, c.Store.Scalar<long>("SELECT count(*) FROM (SELECT ip, lag(ip) OVER (ORDER BY address_id) AS before FROM case_addresses) WHERE before >= ip"));
        Assert.Equal(0L, c.Store.Scalar<long>("""
            SELECT count(*) FROM (SELECT src AS ip FROM counted_flows UNION SELECT dst FROM counted_flows UNION SELECT srcaddr FROM counted_flows UNION SELECT dstaddr FROM counted_flows)
            WHERE ip IS NOT NULL AND ip NOT IN (SELECT ip FROM case_addresses)
            """));
        const string Records = "SELECT {0}, srcport, dstport, protocol, packets, bytes, start_time, end_time, {1}, tcp_flags, interface_id FROM {2}";
        var fromFlows = string.Format(CultureInfo.InvariantCulture, Records, "src, dst", "action = 'ACCEPT'", "counted_flows WHERE counts AND NOT translated");
        var fromTraffic = string.Format(CultureInfo.InvariantCulture, Records, "s.ip, d.ip", "accepted",
            "counted_traffic t LEFT JOIN case_addresses s ON s.address_id = t.src_id LEFT JOIN case_addresses d ON d.address_id = t.dst_id");
        Assert.True(c.Store.Scalar<long>("SELECT count(*) FROM counted_traffic") > 10_000);
        Assert.Equal(0L, c.Store.Scalar<long>($"SELECT count(*) FROM ({fromFlows} EXCEPT ALL {fromTraffic})"));
        Assert.Equal(0L, c.Store.Scalar<long>($"SELECT count(*) FROM ({fromTraffic} EXCEPT ALL {fromFlows})"));
    }

    [Fact]
    public void New_evidence_rebuilds_the_counted_records()
    {
        using var tc = new TempCase();
        const string header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
        tc.Write("a.log", header
            + "2 111122223333 eni-aaa 10.0.0.1 203.0.113.9 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK\n"
            + "2 111122223333 eni-aaa 10.0.0.1 203.0.113.9 40001 443 6 10 2000 1700000060 1700000120 ACCEPT OK\n");
        tc.Load(null, Path.Combine(tc.Dir, "a.log"));
        Assert.Equal(3000L, BytesTo(tc, "203.0.113.9"));
        Assert.Equal(TimeSpan.Zero, CountedFlows.EnsureCurrent(tc.Store));

        tc.Write("b.log", header + "2 111122223333 eni-aaa 10.0.0.1 203.0.113.9 40002 443 6 10 4000 1700000120 1700000180 ACCEPT OK\n");
        tc.Load(null, Path.Combine(tc.Dir, "b.log"));
        Assert.Equal(7000L, BytesTo(tc, "203.0.113.9"));
    }

    static long BytesTo(TempCase tc, string destination)
    {
        var t = ProcedureRegistry.Get("exfil-ledger").Run(tc.Store).Table;
        var row = Assert.Single(t.Rows, r => (string)r[t.IndexOf("destination")]! == destination);
        return Convert.ToInt64(row[t.IndexOf("bytes_out")], CultureInfo.InvariantCulture);
    }
}
