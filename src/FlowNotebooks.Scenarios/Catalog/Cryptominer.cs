using System.Text.Json;
using FlowNotebooks.Scenarios.Delivery;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;
using static FlowNotebooks.Scenarios.Catalog.AttackSteps;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>
/// A second story in the same shop, so procedures are not tuned to one: a commodity actor exploits web-2's exposed
/// 8080, mines straight out through the internet gateway, sweeps the app subnet for SSH and spreads to both app
/// servers, which mine through the NAT gateway. No exfiltration, no beacon, no unmanaged host; SKIPDATA hits the NAT
/// gateway's interface and the data subnet's flow log lost an hour.
/// </summary>
public sealed class Cryptominer : Scenario
{
    public override string Name => "cryptominer";
    public override string Summary => "Cryptominer: exposed service on a public web server, stratum mining through the internet gateway and the NAT gateway, SSH spread to the app tier.";
    protected override (long Fixed, long PerRate) Calibration => (112_600, 27_100);

    static readonly DateTime WindowStart = new(2026, 2, 2, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime WindowEnd = WindowStart.AddDays(3);

    public override ScenarioPlan Plan(ScenarioOptions options, double rate)
    {
        var shop = ShopVpc.Build(options.Seed);
        var v = shop.Variation;
        uint Attacker = v.Outside("192.0.2.45"), PoolA = v.Outside("198.51.100.200"), PoolB = v.Outside("203.0.113.201");
        var captures = shop.Captures(options.Formats, WindowStart.AddDays(-300).AddHours(14.2), new DateTime(2026, 2, 4, 11, 5, 52, DateTimeKind.Utc));
        var a = new AttackSteps(ScenarioRandom.For(options.Seed, "cryptominer/attack"));
        var r = a.Random;
        var web2 = shop.Web2;
        var end = Unix(WindowEnd) - 30;

        var recon = v.Time(new DateTime(2026, 2, 3, 13, 40, 0, DateTimeKind.Utc)) + r.Next(0, 300);
        ushort[] reconPorts = [2375, 6379, 8080];
        for (var i = 0; i < reconPorts.Length; i++)
            a.Probe(null, Attacker, web2, 0, reconPorts[i], recon + i * 2, reconPorts[i] == 8080 ? Reply.Answered : Reply.Rejected);
        var access = recon + 180 + r.Next(0, 60);
        a.Session(null, Attacker, web2, 0, 8080, access, 2, 9_000 + r.Next(0, 3_000), 1_800, 900, 600);
        a.Session(web2, 0, null, Attacker, 443, access + 40, 5, 900, v.Bytes(4_800_000 + r.Next(0, 500_000)), 400, 1_448);

        var mining = new List<(Workload Miner, uint Pool, ushort Port, List<Conversation> Connections)>();
        List<Conversation> Stratum(Workload miner, uint pool, ushort port, long from)
        {
            var list = new List<Conversation>();
            for (var t = from; t < end - 120;)
            {
                // Pools drop idle workers; miners reconnect every few hours.
                var seconds = Math.Min(end - t, 4 * 3600 + r.Next(0, 4 * 3600));
                var minutes = seconds / 60 + 1;
                list.Add(a.Session(miner, 0, null, pool, port, t, seconds, v.Bytes(minutes * (1_100 + r.Next(0, 300))), v.Bytes(minutes * (2_300 + r.Next(0, 600))), 180, 420));
                t += seconds + 5 + r.Next(0, 20);
            }
            return list;
        }
        mining.Add((web2, PoolA, 3333, Stratum(web2, PoolA, 3333, access + 600 + r.Next(0, 60))));

        // SSH sweep of the app subnet, then the spread with a key found on web-2.
        var sweep = access + 1_800 + r.Next(0, 300);
        var targets = new List<uint>();
        var net = Ipv4.Range(shop.AppSubnet.Cidr).Net;
        for (uint host = 4; host <= 254; host++) targets.Add(net + host);
        var at = sweep;
        foreach (var target in targets.OrderBy(_ => r.NextU64()))
        {
            var host = shop.Vpc.Workloads.FirstOrDefault(w => w.PrivateIp == target && w.InterfaceId is not null);
            var reply = host is null ? Reply.Silent : host.Role is "app" or "dns_resolver" ? Reply.Answered : Reply.Rejected;
            a.Probe(web2, 0, host, host is null ? target : 0, 22, at, reply);
            at += r.Next(0, 3) == 0 ? 1 : 0;
        }
        var sweepEnd = at + 1;
        var hops = new List<KeyHop>();
        var t0 = sweepEnd + 600 + r.Next(0, 300);
        foreach (var app in new[] { shop.App1, shop.App2 })
        {
            a.Session(web2, 0, app, 0, 22, t0, 150 + r.Next(0, 60), v.Bytes(5_200_000 + r.Next(0, 200_000)), 90_000, 1_448, 200);
            hops.Add(new KeyHop(web2.PrivateAddress, app.PrivateAddress, 22, "ssh", Time(t0)));
            mining.Add((app, PoolB, 14444, Stratum(app, PoolB, 14444, t0 + 240 + r.Next(0, 60))));
            t0 += 420 + r.Next(0, 180);
        }

        var natLog = shop.CaptureOf(captures, shop.PublicA);
        var dataLog = shop.CaptureOf(captures, shop.DataSubnet);
        var skip = new SkipWindow(natLog, shop.Nat, v.Gap(new DateTime(2026, 2, 4, 2, 0, 0, DateTimeKind.Utc)), v.Gap(new DateTime(2026, 2, 4, 2, 20, 0, DateTimeKind.Utc)));
        var missing = new MissingDelivery(dataLog, v.Gap(new DateTime(2026, 2, 3, 20, 0, 0, DateTimeKind.Utc)), v.Gap(new DateTime(2026, 2, 3, 21, 0, 0, DateTimeKind.Utc)));

        var pools = mining.GroupBy(m => (m.Pool, m.Port)).Select(g => new
        {
            ip = Ipv4.Format(g.Key.Pool),
            port = (int)g.Key.Port,
            via = g.First().Miner.PublicIp != 0 ? "internet_gateway" : "nat_gateway",
            miners = g.Select(m => m.Miner.PrivateAddress).ToList(),
            bytes_out = g.Sum(m => m.Connections.Sum(c => c.RequestBytes)),
            window = new TimeWindow(Time(g.Min(m => m.Connections[0].Start)), Time(g.Max(m => m.Connections[^1].End))),
        }).ToList();
        (string, string)[] iocs =
        [
            (Ipv4.Format(Attacker), "exploitation and payload server"),
            (Ipv4.Format(PoolA), "mining pool (stratum 3333)"),
            (Ipv4.Format(PoolB), "mining pool (stratum 14444)"),
        ];
        var key = shop.Key(this, options, Story(Attacker, PoolA, PoolB), WindowStart, WindowEnd, iocs, Coverage.Of(shop, captures, [skip], [missing], WindowStart)) with
        {
            InitialAccess = new KeyInitialAccess(Ipv4.Format(Attacker), web2.PrivateAddress, 8080, "tcp", Time(access)),
            DiscoveryScan = new KeyScan(web2.PrivateAddress, targets.Select(Ipv4.Format).ToList(), [22], new TimeWindow(Time(sweep), Time(sweepEnd))),
            LateralPath = hops,
            Extra = new Dictionary<string, JsonElement> { ["mining_pools"] = JsonSerializer.SerializeToElement(pools, AnswerKey.Json) },
        };
        return new ScenarioPlan
        {
            Vpc = shop.Vpc, Captures = captures, SkipWindows = [skip], MissingDeliveries = [missing],
            Sources = [.. shop.Background(new Dictionary<Workload, ushort[]> { [web2] = [8080] }), new PlannedTraffic(a.Conversations)],
            Key = key,
            Iocs = iocs,
            Briefing = Briefing.For(this, shop, captures, "The AWS bill for the shop's account jumped and CPU alarms fired on the web and app tiers. " +
                "Find what runs there, how it got in, where it spread, and which pools it talks to."),
        };
    }

    static string Story(uint attacker, uint poolA, uint poolB) =>
        $"A commodity actor exploited web-2's exposed 8080 from {Ipv4.Format(attacker)}, mined to {Ipv4.Format(poolA)}:3333 through the internet gateway, " +
        $"swept the app subnet for SSH and spread to app-1 and app-2, which mine to {Ipv4.Format(poolB)}:14444 through the NAT gateway.";
}
