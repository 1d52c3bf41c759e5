using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>Recomputes the default scenario's answer key from the records the engine loaded.</summary>
public sealed class VpcCompromiseFactsTests(VpcCompromiseCase c) : IClassFixture<VpcCompromiseCase>
{
    AnswerKey Key => c.Key;

    [Fact]
    public void Every_evidence_file_loads_without_a_reject_and_only_the_notes_are_skipped()
    {
        Assert.Equal(0, c.Summary.Rejects);
        Assert.Equal(c.Result.Records, c.Summary.Records);
        Assert.Equal(0, c.Long("SELECT count(*) FROM evidence WHERE status <> 'complete'"));
        Assert.Equal(["README.md", "answer-key.json", "iocs.txt"], c.Summary.Skipped.Select(s => s.Split(':')[0]).Order(StringComparer.Ordinal));
        Assert.InRange(c.Summary.Records, 50_000, 150_000);
        Assert.Equal(14, c.Long("SELECT count(*) FROM interfaces"));
        Assert.Equal(7, c.Long("SELECT count(*) FROM flow_logs"));
    }

    [Fact]
    public void Exfiltrated_bytes_per_destination_sum_from_the_database_interface_and_the_nat_gateway_to_the_key()
    {
        var x = Key.Exfiltration!;
        Assert.Equal("nat_gateway", x.Via);
        Assert.Equal(2, x.Destinations.Count);
        Assert.Equal(x.TotalBytes, x.Destinations.Sum(d => d.Bytes));
        var dataLog = c.FlowLogOf(c.Host("db-1").SubnetId!);
        var natLog = c.FlowLogOf(c.Host("nat-gateway").SubnetId!);
        foreach (var d in x.Destinations)
        {
            Assert.InRange(d.Bytes, 500_000_000, 5_000_000_000);
            var own = c.Long("""
                SELECT sum(bytes)::BIGINT FROM flows WHERE flow_log_id = $1 AND interface_id = $2 AND srcaddr = $3 AND dstaddr = $4 AND dstport = $5
                AND start_time >= $6 AND end_time <= $7
                """, dataLog, x.SourceInterfaceId, x.SourceIp, d.Ip, d.Port, d.Window.Start, d.Window.End);
            Assert.Equal(d.Bytes, own);
            // The NAT gateway's interface shows the same bytes leaving from its own private address…
            Assert.Equal(d.Bytes, c.Long("SELECT sum(bytes)::BIGINT FROM flows WHERE flow_log_id = $1 AND interface_id = $2 AND srcaddr = $3 AND dstaddr = $4",
                natLog, x.NatInterfaceId, x.NatPrivateIp, d.Ip));
            // …and attributes them to the database host only through pkt-srcaddr/pkt-dstaddr on the inside leg.
            Assert.Equal(d.Bytes, c.Long("SELECT sum(bytes)::BIGINT FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND dstaddr = $3 AND pkt_dstaddr = $4",
                x.NatInterfaceId, x.SourceIp, x.NatPrivateIp, d.Ip));
            // The database interface is also captured by an interface-level flow log into CloudWatch: a naive sum counts it twice.
            Assert.Equal(2 * d.Bytes, c.Long("SELECT sum(bytes)::BIGINT FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND dstaddr = $3",
                x.SourceInterfaceId, x.SourceIp, d.Ip));
            Assert.Equal(d.Window.Start, c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2", x.SourceIp, d.Ip));
            Assert.Equal(d.Window.End, c.Store.Scalar<DateTime>("SELECT max(end_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2", x.SourceIp, d.Ip));
        }
        Assert.Contains(Key.Coverage.OverlappingCaptures, o => o.InterfaceId == x.SourceInterfaceId && o.FlowLogIds.Count == 2);
    }

    [Fact]
    public void Lateral_hops_start_with_a_syn_at_the_stated_time_in_the_stated_order()
    {
        Assert.Equal(["10.20.10.11>10.20.20.22", "10.20.20.22>10.20.30.40"], Key.LateralPath.Select(h => $"{h.SourceIp}>{h.DestinationIp}"));
        DateTime previous = default;
        foreach (var hop in Key.LateralPath)
        {
            var first = c.Store.Scalar<DateTime>("""
                SELECT min(start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = $3 AND action = 'ACCEPT' AND tcp_flags & 2 = 2 AND tcp_flags & 4 = 0
                """, hop.SourceIp, hop.DestinationIp, hop.Port);
            Assert.Equal(hop.FirstSeen, first);
            Assert.True(first > previous, "hops must be in time order");
            // The session is answered (SYN-ACK from the destination) and logged on both ends.
            // Both ends logged the opening window (the v2 side has no tcp-flags; the other side's SYN found it), and the destination answered.
            Assert.Equal(2, c.Long("SELECT count(DISTINCT interface_id) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = $3 AND start_time = $4",
                hop.SourceIp, hop.DestinationIp, hop.Port, first));
            Assert.True(c.Long("SELECT count(*) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND srcport = $3 AND tcp_flags & 18 = 18 AND start_time = $4",
                hop.DestinationIp, hop.SourceIp, hop.Port, first) >= 1);
            previous = first;
        }
        Assert.True(Key.LateralPath[0].FirstSeen > Key.DiscoveryScan!.Window.End);
        Assert.True(Key.LateralPath[^1].FirstSeen < Key.Exfiltration!.Destinations.Min(d => d.Window.Start));
    }

    [Fact]
    public void The_unlogged_subnet_has_no_records_and_its_hosts_show_up_only_through_the_nat_gateway_and_the_resolver()
    {
        var ops = Assert.Single(Key.Coverage.UnloggedSubnets);
        Assert.Equal("10.20.40.0/24", ops.Cidr);
        Assert.Equal(0, c.Long("SELECT count(*) FROM flow_logs WHERE resource_id = $1", ops.SubnetId));
        Assert.Equal(1, c.Long("SELECT count(*) FROM interfaces WHERE subnet_id = $1", ops.SubnetId));
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE subnet_id = $1 OR interface_id IN (SELECT interface_id FROM interfaces WHERE subnet_id = $1)", ops.SubnetId));
        var seenOn = c.Store.Query("""
            SELECT DISTINCT f.interface_id FROM flows f WHERE f.srcaddr LIKE '10.20.40.%' OR f.pkt_srcaddr LIKE '10.20.40.%' ORDER BY 1
            """).Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal(new[] { c.Host("nat-gateway").InterfaceId, c.Host("dns-1").InterfaceId }.Order(StringComparer.Ordinal), seenOn);
    }

    [Fact]
    public void The_unmanaged_host_is_in_no_inventory_and_reached_the_c2_through_the_nat_gateway()
    {
        var u = Key.UnmanagedHost!;
        Assert.DoesNotContain(Key.Hosts, h => h.Managed && h.PrivateIp == u.Ip);
        Assert.Equal(0, c.Long("SELECT count(*) FROM interface_addresses WHERE private_ip = $1", u.Ip));
        foreach (var ioc in u.Contacted)
        {
            Assert.Contains(ioc, Key.Iocs);
            Assert.Equal(5, c.Long("SELECT count(DISTINCT start_time) FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND pkt_dstaddr = $3 AND tcp_flags & 2 = 2",
                c.Host("nat-gateway").InterfaceId, u.Ip, ioc));
        }
    }

    [Fact]
    public void The_skipdata_window_holds_one_skipdata_record_per_minute_and_nothing_else_for_that_interface()
    {
        var gap = Assert.Single(Key.Coverage.SkipdataWindows);
        Assert.Equal(c.Host("web-2").InterfaceId, gap.InterfaceId);
        var minutes = (long)(gap.Window.End - gap.Window.Start).TotalMinutes;
        Assert.Equal(minutes, c.Long("SELECT count(*) FROM flows WHERE log_status = 'SKIPDATA' AND interface_id = $1 AND flow_log_id = $2", gap.InterfaceId, gap.FlowLogId));
        Assert.Equal(minutes, c.Long("SELECT count(*) FROM flows WHERE log_status = 'SKIPDATA'"));
        Assert.Equal(gap.Window.Start, c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE log_status = 'SKIPDATA'"));
        Assert.Equal(gap.Window.End.AddSeconds(-1), c.Store.Scalar<DateTime>("SELECT max(end_time) FROM flows WHERE log_status = 'SKIPDATA'"));
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE srcaddr IS NOT NULL AND log_status = 'SKIPDATA'"));
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE interface_id = $1 AND log_status = 'OK' AND start_time >= $2 AND start_time < $3",
            gap.InterfaceId, gap.Window.Start, gap.Window.End));
        // Health checks keep web-2 busy every minute, so the minutes around the window do have records.
        Assert.True(c.Long("SELECT count(*) FROM flows WHERE interface_id = $1 AND log_status = 'OK' AND start_time >= $2 AND start_time < $3",
            gap.InterfaceId, gap.Window.End, gap.Window.End.AddMinutes(15)) > 10);
    }

    [Fact]
    public void The_missing_delivery_hour_has_no_object_and_no_record_while_its_neighbours_do()
    {
        var gap = Assert.Single(Key.Coverage.MissingDeliveryWindows);
        Assert.Null(gap.InterfaceId);
        long Objects(DateTime from, DateTime to) => c.Long("SELECT count(*) FROM evidence WHERE flow_log_id = $1 AND delivery_time >= $2 AND delivery_time < $3", gap.FlowLogId, from, to);
        Assert.Equal(0, Objects(gap.Window.Start, gap.Window.End));
        Assert.Equal(1, Objects(gap.Window.Start.AddHours(-1), gap.Window.Start));
        Assert.Equal(1, Objects(gap.Window.End, gap.Window.End.AddHours(1)));
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE flow_log_id = $1 AND end_time >= $2 AND end_time < $3", gap.FlowLogId, gap.Window.Start, gap.Window.End));
        // web-1's interface-level flow log still has that hour: the beacon is visible there.
        Assert.True(c.Long("SELECT count(*) FROM flows WHERE interface_id = $1 AND dstaddr = $2 AND end_time >= $3 AND end_time < $4",
            c.Host("web-1").InterfaceId, Key.Beacon!.DestinationIp, gap.Window.Start, gap.Window.End) >= 11);
    }

    [Fact]
    public void The_beacon_checks_in_at_the_stated_period_over_the_stated_window()
    {
        var b = Key.Beacon!;
        // web-1's flow logs are v2 (no tcp-flags): a connection starts in a window with no window of the same 5-tuple in the minute before.
        var starts = c.Store.Query("""
            SELECT DISTINCT f.start_time FROM flows f WHERE f.srcaddr = $1 AND f.dstaddr = $2 AND f.dstport = $3
            AND NOT EXISTS (SELECT 1 FROM flows g WHERE g.srcaddr = f.srcaddr AND g.dstaddr = f.dstaddr AND g.srcport = f.srcport AND g.dstport = f.dstport
                            AND g.start_time < f.start_time AND g.start_time >= f.start_time - INTERVAL 60 SECOND)
            ORDER BY 1
            """, [b.SourceIp, b.DestinationIp, b.Port]).Rows.Select(r => (DateTime)r[0]!).ToList();
        Assert.Equal(b.Window.Start, starts[0]);
        Assert.Equal(Key.Extra["beacon_count"].GetInt32(), starts.Count);
        var gaps = starts.Zip(starts.Skip(1), (x, y) => (y - x).TotalSeconds).Order().ToList();
        Assert.Equal(b.PeriodSeconds, gaps[gaps.Count / 2], 2.0);
        Assert.All(gaps, g => Assert.InRange(g, b.PeriodSeconds - 2, b.PeriodSeconds + 2));
        Assert.Equal(b.Window.End, c.Store.Scalar<DateTime>("SELECT max(end_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2", b.SourceIp, b.DestinationIp));
    }

    [Fact]
    public void Initial_access_and_the_scan_are_where_the_key_says()
    {
        var ia = Key.InitialAccess!;
        Assert.Equal(ia.Time, c.Store.Scalar<DateTime>("""
            SELECT min(start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = $3 AND action = 'ACCEPT' AND bytes > 1000
            """, ia.AttackerIp, ia.TargetIp, ia.Port));
        // Before it, the attacker's probes of web-1 (84-byte SYN/RST on 8080, rejected elsewhere).
        Assert.Equal(1, c.Long("SELECT count(DISTINCT start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = $3 AND start_time < $4",
            ia.AttackerIp, ia.TargetIp, ia.Port, ia.Time));
        Assert.True(c.Long("SELECT count(*) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND action = 'REJECT'", ia.AttackerIp, ia.TargetIp) >= 5);

        var scan = Key.DiscoveryScan!;
        Assert.Equal(502, scan.TargetIps.Count);
        var probes = c.Long("""
            SELECT count(*) FROM (SELECT DISTINCT dstaddr, dstport FROM flows WHERE srcaddr = $1 AND start_time >= $2 AND start_time <= $3
            AND dstaddr LIKE '10.20.%' AND dstport IN (22, 445, 3389, 5432, 5985))
            """, scan.SourceIp, scan.Window.Start, scan.Window.End);
        Assert.Equal(scan.TargetIps.Count * scan.Ports.Count, probes);
        // Closed ports on live hosts are REJECTed by the targets' security groups; open SSH ports answer with SYN-ACK.
        Assert.True(c.Long("SELECT count(*) FROM flows WHERE dstaddr LIKE '10.20.%' AND srcaddr = $1 AND action = 'REJECT' AND start_time BETWEEN $2 AND $3",
            scan.SourceIp, scan.Window.Start, scan.Window.End) >= 20);
    }
}
