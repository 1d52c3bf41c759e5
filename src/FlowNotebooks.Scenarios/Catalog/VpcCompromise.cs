using System.Text.Json;
using FlowNotebooks.Scenarios.Delivery;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;
using static FlowNotebooks.Scenarios.Catalog.AttackSteps;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>
/// The default scenario. An attacker exploits a Tomcat manager that web-1 exposes on 8080, beacons out every five
/// minutes, scans the app and data subnets, moves over SSH web-1 → app-2 → db-1, stages backups from S3 on the
/// database host and the next night uploads them through the NAT gateway to two hosts. A machine nobody inventoried in
/// the ops subnet (which has no flow log) talks to the same C2. SKIPDATA hides a quarter hour of web-2, and the web
/// subnet's flow log lost one delivery hour.
/// </summary>
public sealed class VpcCompromise : Scenario
{
    public override string Name => "vpc-compromise";
    public override string Summary => "Multi-tier VPC compromise: exposed Tomcat on a web server, C2 beacon, internal scan, SSH lateral movement to the database, exfiltration through the NAT gateway; unlogged subnet, SKIPDATA, a missing delivery hour.";
    protected override (long Fixed, long PerRate) Calibration => (91_600, 27_100);

    static readonly DateTime WindowStart = new(2025, 11, 17, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime WindowEnd = WindowStart.AddDays(3);
    const string UnmanagedIp = "10.20.40.77";
    static readonly ushort[] ScanPorts = [22, 445, 3389, 5432, 5985];
    const string DeliveryError = "Access error";
    /// <summary>When the responder read the bucket's and log group's configuration (the clock of every expiry).</summary>
    static readonly DateTime CollectedAt = new(2025, 11, 21, 8, 30, 0, DateTimeKind.Utc);
    /// <summary>The attacker deleted one delivered object of the web subnet's flow log (the bucket is versioned: recovered).</summary>
    static readonly DateTime DeletedAt = new(2025, 11, 19, 21, 14, 9, DateTimeKind.Utc);

    public override ScenarioPlan Plan(ScenarioOptions options, double rate)
    {
        var shop = ShopVpc.Build(options.Seed, UnmanagedIp);
        var v = shop.Variation;
        uint Attacker = v.Outside("203.0.113.66"), C2 = v.Outside("198.51.100.23"), DropA = v.Outside("203.0.113.140"), DropB = v.Outside("198.51.100.77");
        var captures = shop.Captures(options.Formats, WindowStart.AddDays(-412).AddHours(10.7), new DateTime(2025, 11, 19, 9, 41, 17, DateTimeKind.Utc));
        // The web subnet's flow log lost access to the bucket (a bucket policy change): describe-flow-logs reports it FAILED.
        var failing = shop.CaptureOf(captures, shop.WebSubnet);
        captures = captures.Select(c => c == failing ? c with { DeliveryError = DeliveryError } : c).ToList();
        var webLog = shop.CaptureOf(captures, shop.WebSubnet);
        var a = new AttackSteps(ScenarioRandom.For(options.Seed, "vpc-compromise/attack"));
        var r = a.Random;
        var web1 = shop.Web1;
        var exposed = new Dictionary<Workload, ushort[]> { [web1] = [8080] };

        // Reconnaissance of web-1's public address, then the Tomcat manager upload on the one port its security group leaves open.
        var recon = v.Time(new DateTime(2025, 11, 18, 2, 9, 0, DateTimeKind.Utc)) + r.Next(0, 300);
        ushort[] reconPorts = [22, 80, 443, 8443, 9200, 8080];
        for (var i = 0; i < reconPorts.Length; i++)
            a.Probe(null, Attacker, web1, 0, reconPorts[i], recon + i * 3, reconPorts[i] == 8080 ? Reply.Answered : Reply.Rejected);
        var access = recon + 240 + r.Next(0, 60);
        a.Session(null, Attacker, web1, 0, 8080, access, 4, 52_000 + r.Next(0, 20_000), 3_100, 1_200, 600);
        for (var i = 0; i < 6; i++)
            a.Session(null, Attacker, web1, 0, 8080, access + 60 + i * 45 + r.Next(0, 20), 1, 700 + r.Next(0, 600), 1_500 + r.Next(0, 9_000));
        a.Session(web1, 0, null, Attacker, 80, access + 200, 6, 420, v.Bytes(3_200_000 + r.Next(0, 400_000)), 400, 1_448);

        // Command and control: short HTTPS check-ins every 300 s until the evidence ends.
        var beaconStart = access + 400 + r.Next(0, 60);
        var beacons = a.Beacon(web1, C2, 443, beaconStart, Unix(WindowEnd) - 300, 300);

        // Discovery: SYN scan of the app and data subnets from web-1, targets and ports in random order.
        var scanStart = access + 2_700 + r.Next(0, 300);
        var targets = new List<uint>();
        foreach (var subnet in new[] { shop.AppSubnet, shop.DataSubnet })
        {
            var net = Ipv4.Range(subnet.Cidr).Net;
            for (uint host = 4; host <= 254; host++) targets.Add(net + host);
        }
        var probes = targets.SelectMany(t => ScanPorts.Select(p => (Target: t, Port: p))).OrderBy(_ => r.NextU64()).ToList();
        var at = scanStart;
        foreach (var (target, port) in probes)
        {
            var host = shop.Vpc.Workloads.FirstOrDefault(w => w.PrivateIp == target && w.InterfaceId is not null);
            var reply = host is null ? Reply.Silent
                : port == 22 && host.Role is "app" or "database" or "dns_resolver" ? Reply.Answered
                : Reply.Rejected;
            a.Probe(web1, 0, host, host is null ? target : 0, port, at, reply);
            at += r.Next(0, 2) == 0 ? 0 : 1;
        }
        var scanEnd = at + 1;

        // Lateral movement over SSH with keys found on web-1, then to the database.
        var hop1 = scanEnd + 1_500 + r.Next(0, 600);
        a.Session(web1, 0, shop.App2, 0, 22, hop1, 24 * 60 + r.Next(0, 120), 180_000 + r.Next(0, 40_000), 2_100_000 + r.Next(0, 300_000), 120, 900);
        var hop2 = hop1 + 1_680 + r.Next(0, 420);
        a.Session(shop.App2, 0, shop.Database, 0, 22, hop2, 70 * 60 + r.Next(0, 300), 260_000 + r.Next(0, 60_000), 1_400_000 + r.Next(0, 200_000), 120, 700);

        // Staging: the database host pulls backup archives from the company's S3 bucket through the gateway endpoint.
        var staging = hop2 + 1_080 + r.Next(0, 120);
        var stagedBytes = v.Bytes(6_400_000_000L + r.Next(0, 300_000_000));
        var stage = a.Session(shop.Database, 0, null, ShopVpc.S3Address, 443, staging, 2_100 + r.Next(0, 120), stagedBytes / 60, stagedBytes, 52, 8_900);

        // Exfiltration the next night through the NAT gateway, first to one drop host, then to another.
        var exfilStart = v.Time(new DateTime(2025, 11, 19, 1, 12, 0, DateTimeKind.Utc)) + r.Next(0, 240);
        var toA = a.Upload(shop.Database, DropA, 443, exfilStart, 6, 15, v.Bytes(310.0));
        var toB = a.Upload(shop.Database, DropB, 8443, toA[^1].End + 360 + r.Next(0, 120), 3, 15, v.Bytes(255.0));

        // The unmanaged host in the ops subnet checks in with the same C2 now and then.
        var unmanaged = shop.Unmanaged!;
        long[] checkIns = [v.Time(new DateTime(2025, 11, 18, 10, 5, 0, DateTimeKind.Utc)), v.Time(new DateTime(2025, 11, 18, 12, 40, 0, DateTimeKind.Utc)),
            v.Time(new DateTime(2025, 11, 18, 15, 15, 0, DateTimeKind.Utc)), v.Time(new DateTime(2025, 11, 18, 21, 50, 0, DateTimeKind.Utc)),
            v.Time(new DateTime(2025, 11, 19, 9, 30, 0, DateTimeKind.Utc))];
        foreach (var t in checkIns)
            a.Session(unmanaged, 0, null, C2, 443, t + r.Next(0, 60), 2, 2_300 + r.Next(0, 500), 5_400 + r.Next(0, 2_000), 300, 800);

        var skip = new SkipWindow(webLog, shop.Web2, v.Gap(new DateTime(2025, 11, 18, 3, 20, 0, DateTimeKind.Utc)), v.Gap(new DateTime(2025, 11, 18, 3, 35, 0, DateTimeKind.Utc)));
        var missing = new MissingDelivery(webLog, v.Gap(new DateTime(2025, 11, 19, 13, 0, 0, DateTimeKind.Utc)), v.Gap(new DateTime(2025, 11, 19, 14, 0, 0, DateTimeKind.Utc)));

        static KeyExfilDestination Destination(uint ip, ushort port, List<Conversation> c) =>
            new(Ipv4.Format(ip), port, c.Sum(x => x.RequestBytes), new TimeWindow(Time(c[0].Start), Time(c[^1].End)));
        var destinations = new[] { Destination(DropA, 443, toA), Destination(DropB, 8443, toB) };
        var logGroup = captures.FirstOrDefault(c => c.LogGroup is not null);
        (string, string)[] iocs =
        [
            (Ipv4.Format(Attacker), "exploitation and tooling server"),
            (Ipv4.Format(C2), "command and control (HTTPS)"),
            (Ipv4.Format(DropA), "data drop (HTTPS)"),
            (Ipv4.Format(DropB), "data drop (HTTPS on 8443)"),
        ];
        var key = shop.Key(this, options, Story(shop.Unmanaged!, C2, DropA, DropB), WindowStart, WindowEnd, iocs, Coverage.Of(shop, captures, [skip], [missing], WindowStart)) with
        {
            InitialAccess = new KeyInitialAccess(Ipv4.Format(Attacker), web1.PrivateAddress, 8080, "tcp", Time(access)),
            DiscoveryScan = new KeyScan(web1.PrivateAddress, targets.Select(Ipv4.Format).ToList(), [.. ScanPorts.Select(p => (int)p)],
                new TimeWindow(Time(scanStart), Time(scanEnd))),
            LateralPath =
            [
                new KeyHop(web1.PrivateAddress, shop.App2.PrivateAddress, 22, "ssh", Time(hop1)),
                new KeyHop(shop.App2.PrivateAddress, shop.Database.PrivateAddress, 22, "ssh", Time(hop2)),
            ],
            Exfiltration = new KeyExfiltration(shop.Database.PrivateAddress, shop.Database.InterfaceId!, "nat_gateway", shop.Nat.InterfaceId,
                shop.Nat.PrivateAddress, shop.Nat.PublicAddress, destinations, destinations.Sum(d => d.Bytes)),
            Beacon = new KeyBeacon(web1.PrivateAddress, Ipv4.Format(C2), 443, 300, new TimeWindow(Time(beacons[0].Start), Time(beacons[^1].End))),
            UnmanagedHost = new KeyUnmanagedHost(unmanaged.PrivateAddress, [Ipv4.Format(C2)]),
            EvidenceWindow = new KeyEvidenceWindow(CollectedAt, ShopVpc.Bucket, "Enabled", 90, RetentionPlan.Due(WindowStart, 90), 30, "GLACIER",
                RetentionPlan.Due(WindowStart, 30), logGroup?.LogGroup, logGroup is null ? null : 30, logGroup is null ? null : WindowStart.AddDays(30),
                new KeyFailedDelivery(webLog.FlowLogId, DeliveryError), null),
            Extra = new Dictionary<string, JsonElement>
            {
                ["staging"] = JsonSerializer.SerializeToElement(new
                {
                    host_ip = shop.Database.PrivateAddress, source_ip = Ipv4.Format(ShopVpc.S3Address), via = "s3_gateway_endpoint",
                    bytes_in = stage.ResponseBytes, window = new TimeWindow(Time(stage.Start), Time(stage.End)),
                }, AnswerKey.Json),
                ["beacon_count"] = JsonSerializer.SerializeToElement(beacons.Count),
                ["unmanaged_check_ins"] = JsonSerializer.SerializeToElement(checkIns.Length),
            },
        };
        return new ScenarioPlan
        {
            Retention = new RetentionPlan(CollectedAt, ShopVpc.Bucket, 90, 30, "GLACIER", 30)
            {
                LogGroup = logGroup?.LogGroup, LogGroupRetentionDays = logGroup is null ? null : 30, LogGroupCreated = logGroup?.CreationTime ?? default,
                Deleted = (webLog, v.Gap(new DateTime(2025, 11, 19, 12, 0, 0, DateTimeKind.Utc)).ToString("yyyyMMdd'T'HH", System.Globalization.CultureInfo.InvariantCulture), v.Gap(DeletedAt)), Region = shop.Vpc.Region, Account = shop.Vpc.AccountId,
            },
            Vpc = shop.Vpc, Captures = captures, SkipWindows = [skip], MissingDeliveries = [missing],
            Sources = [.. shop.Background(exposed), new PlannedTraffic(a.Conversations)],
            Key = key,
            Iocs = iocs,
            Briefing = Briefing.For(this, shop, captures, "An alert flagged outbound HTTPS from the shop VPC to known-bad infrastructure (iocs.txt). " +
                "Scope the intrusion: how did they get in, where did they go, what left and how much, and what can the flow logs not tell you?"),
        };
    }

    static string Story(Workload unmanaged, uint c2, uint dropA, uint dropB) =>
        $"An attacker exploited a Tomcat manager exposed on web-1:8080, installed a beacon calling {Ipv4.Format(c2)}:443 every 300 s, " +
        "SYN-scanned the app and data subnets from web-1, moved over SSH from web-1 to app-2 and on to db-1, pulled backup archives from S3 onto db-1 " +
        $"and the next night uploaded them through the NAT gateway to {Ipv4.Format(dropA)}:443 and {Ipv4.Format(dropB)}:8443. An uninventoried host " +
        $"{unmanaged.PrivateAddress} in the unlogged ops subnet also contacted the C2.";
}
