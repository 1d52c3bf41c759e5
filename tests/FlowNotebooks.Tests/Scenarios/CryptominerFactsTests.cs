using FlowNotebooks.Scenarios;
using FlowNotebooks.Scenarios.Catalog;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>The second scenario: a different story in the same shop, checked against its own key.</summary>
public sealed class CryptominerFactsTests(CryptominerCase c) : IClassFixture<CryptominerCase>
{
    AnswerKey Key => c.Key;

    [Fact]
    public void It_loads_without_rejects_and_states_no_exfiltration_beacon_or_unmanaged_host()
    {
        Assert.Equal(0, c.Summary.Rejects);
        Assert.Equal(c.Result.Records, c.Summary.Records);
        Assert.Equal("cryptominer", Key.Scenario);
        Assert.Null(Key.Exfiltration);
        Assert.Null(Key.Beacon);
        Assert.Null(Key.UnmanagedHost);
        Assert.InRange(c.Summary.Records, 50_000, 180_000);
    }

    [Fact]
    public void Bytes_to_each_mining_pool_from_the_miners_own_interfaces_equal_the_key()
    {
        var pools = Key.Extra["mining_pools"].EnumerateArray().ToList();
        Assert.Equal(2, pools.Count);
        foreach (var pool in pools)
        {
            var ip = pool.GetProperty("ip").GetString()!;
            var miners = pool.GetProperty("miners").EnumerateArray().Select(m => m.GetString()!).ToList();
            long total = 0;
            foreach (var miner in miners)
            {
                var host = Key.Hosts.Single(h => h.PrivateIp == miner);
                total += c.Long("SELECT sum(bytes)::BIGINT FROM flows WHERE flow_log_id = $1 AND interface_id = $2 AND srcaddr = $3 AND dstaddr = $4 AND dstport = $5",
                    c.FlowLogOf(host.SubnetId!), host.InterfaceId, miner, ip, pool.GetProperty("port").GetInt32());
            }
            Assert.Equal(pool.GetProperty("bytes_out").GetInt64(), total);
            Assert.True(total > 1_000_000);
        }
        var natPool = pools.Single(p => p.GetProperty("via").GetString() == "nat_gateway");
        Assert.Equal(2, natPool.GetProperty("miners").GetArrayLength());
        // On the NAT gateway's interface the inside leg (srcaddr = miner, pkt-dstaddr = pool) tells the miners apart.
        Assert.Equal(2, c.Long("SELECT count(DISTINCT srcaddr) FROM flows WHERE interface_id = $1 AND pkt_dstaddr = $2 AND srcaddr <> $3",
            c.Host("nat-gateway").InterfaceId, natPool.GetProperty("ip").GetString(), c.Host("nat-gateway").PrivateIp));
    }

    [Fact]
    public void The_ssh_spread_follows_the_sweep_and_reaches_both_app_servers()
    {
        Assert.Equal(["10.20.20.21", "10.20.20.22"], Key.LateralPath.Select(h => h.DestinationIp));
        foreach (var hop in Key.LateralPath)
            Assert.Equal(hop.FirstSeen, c.Store.Scalar<DateTime>(
                "SELECT min(start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = 22 AND tcp_flags & 2 = 2 AND tcp_flags & 4 = 0",
                hop.SourceIp, hop.DestinationIp));
        Assert.True(Key.LateralPath[0].FirstSeen > Key.DiscoveryScan!.Window.End);
        Assert.Equal(251, c.Long("SELECT count(DISTINCT dstaddr) FROM flows WHERE srcaddr = $1 AND dstport = 22 AND dstaddr LIKE '10.20.20.%' AND start_time BETWEEN $2 AND $3",
            Key.DiscoveryScan.SourceIp, Key.DiscoveryScan.Window.Start, Key.DiscoveryScan.Window.End));
    }

    [Fact]
    public void Skipdata_hits_the_nat_gateway_and_the_data_subnet_lost_an_hour()
    {
        var skip = Assert.Single(Key.Coverage.SkipdataWindows);
        Assert.Equal(c.Host("nat-gateway").InterfaceId, skip.InterfaceId);
        Assert.Equal(20, c.Long("SELECT count(*) FROM flows WHERE log_status = 'SKIPDATA' AND interface_id = $1", skip.InterfaceId));
        var missing = Assert.Single(Key.Coverage.MissingDeliveryWindows);
        Assert.Equal(c.FlowLogOf(c.Host("db-1").SubnetId!), missing.FlowLogId);
        Assert.Equal(0, c.Long("SELECT count(*) FROM evidence WHERE flow_log_id = $1 AND delivery_time >= $2 AND delivery_time < $3",
            missing.FlowLogId, missing.Window.Start, missing.Window.End));
        var late = Assert.Single(Key.Coverage.LoggingStartedLate);
        Assert.Equal(late.Window.End, c.Store.Scalar<DateTime>("SELECT creation_time FROM flow_logs WHERE flow_log_id = $1", late.FlowLogId));
        Assert.True(c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE flow_log_id = $1", late.FlowLogId) >= late.Window.End);
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_files()
    {
        var again = Path.Combine(Path.GetTempPath(), $"flownb-again-{Guid.NewGuid():N}");
        try
        {
            CaseGenerator.Generate(new Cryptominer(), new ScenarioOptions(), again);
            Assert.Equal(CaseDeliveryTests.Hashes(c.Folder), CaseDeliveryTests.Hashes(again));
        }
        finally
        {
            Directory.Delete(again, true);
        }
    }
}
