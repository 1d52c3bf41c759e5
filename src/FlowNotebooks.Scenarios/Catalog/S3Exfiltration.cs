using System.Text.Json;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;
using static FlowNotebooks.Scenarios.Catalog.AttackSteps;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>
/// Exfiltration to an AWS service. With a stolen SSH key the attacker logs in to the bastion, hops to app-2, dumps the
/// orders database over PostgreSQL and copies it to S3: first to a bucket in the shop's own region, which the S3
/// gateway endpoint carries (the instance's records: traffic-path 7, pkt-dst-aws-service S3; the NAT gateway never sees
/// it), then to a bucket in us-east-1, which a gateway endpoint does not serve, so it leaves through the NAT gateway
/// (traffic-path 1 on the instance, S3 named on all four NAT gateway records). Flow logs say which service and which
/// published prefix (so which region); they cannot say which bucket, whose it is, or what was in it. db-1's nightly
/// backup to S3 is the background that looks the same.
/// </summary>
public sealed class S3Exfiltration : Scenario
{
    public override string Name => "s3-exfiltration";
    public override string Summary => "Exfiltration to an AWS service: a stolen SSH key, a database dump on an app server, copies to S3 in-region through the gateway endpoint and to another region through the NAT gateway; flow logs name the service and prefix, not the bucket.";
    protected override (long Fixed, long PerRate) Calibration => (91_600, 27_100);

    static readonly DateTime WindowStart = new(2026, 3, 9, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime WindowEnd = WindowStart.AddDays(3);
    /// <summary>S3 in the shop's region (eu-west-1), one of the prefixes the gateway endpoint routes.</summary>
    public const string InRegionPrefix = "52.218.0.0/17";
    /// <summary>S3 in us-east-1 as ip-ranges.json publishes it: no route through the shop's gateway endpoint.</summary>
    public const string OtherRegionPrefix = "52.216.0.0/15";
    const string OtherRegion = "us-east-1";

    public override ScenarioPlan Plan(ScenarioOptions options, double rate)
    {
        var shop = ShopVpc.Build(options.Seed, serviceRanges: [(OtherRegionPrefix, AwsService.S3)]);
        var v = shop.Variation;
        var attacker = v.Outside("198.51.100.149");
        var inRegion = v.InPrefix(InRegionPrefix, "52.218.113.74");
        var otherRegion = v.InPrefix(OtherRegionPrefix, "52.217.44.180");
        var captures = shop.Captures(options.Formats, WindowStart.AddDays(-380).AddHours(9.4), new DateTime(2026, 3, 11, 16, 12, 40, DateTimeKind.Utc));
        var a = new AttackSteps(ScenarioRandom.For(options.Seed, "s3-exfiltration/attack"));
        var r = a.Random;
        var bastion = shop.Bastion;
        var app2 = shop.App2;

        // A stolen key: an SSH login to the bastion from an address the team never uses, then on to app-2.
        var login = v.Time(new DateTime(2026, 3, 10, 19, 42, 0, DateTimeKind.Utc)) + r.Next(0, 300);
        a.Session(null, attacker, bastion, 0, 22, login, 46 * 60 + r.Next(0, 300), 90_000 + r.Next(0, 20_000), 310_000 + r.Next(0, 60_000), 120, 600);
        var hop = login + 240 + r.Next(0, 120);
        a.Session(bastion, 0, app2, 0, 22, hop, 40 * 60 + r.Next(0, 240), 60_000 + r.Next(0, 20_000), 240_000 + r.Next(0, 60_000), 120, 600);

        // Collection: a dump of the orders database over PostgreSQL onto app-2.
        var dumpStart = hop + 600 + r.Next(0, 120);
        var dump = a.Session(app2, 0, shop.Database, 0, 5432, dumpStart, 22 * 60 + r.Next(0, 180), 40_000 + r.Next(0, 10_000),
            v.Bytes(2_300_000_000L + r.Next(0, 200_000_000)), 90, 8_900);

        // The copies: in-region through the gateway endpoint that night, the rest to us-east-1 through the NAT gateway before dawn.
        var toInRegion = a.Upload(app2, inRegion, 443, dump.End + 900 + r.Next(0, 300), 4, 10, v.Bytes(280.0));
        var toOtherRegion = a.Upload(app2, otherRegion, 443, v.Time(new DateTime(2026, 3, 11, 2, 15, 0, DateTimeKind.Utc)) + r.Next(0, 300), 5, 12, v.Bytes(240.0));

        object Transfer(uint ip, string prefix, string region, string via, int path, List<Conversation> c) => new
        {
            destination = Ipv4.Format(ip), port = 443, aws_service = "S3", prefix, region, via, traffic_path = path,
            nat_interface = via == "nat_gateway" ? shop.Nat.InterfaceId : null,
            bytes = c.Sum(x => x.RequestBytes), connections = c.Count, window = new TimeWindow(Time(c[0].Start), Time(c[^1].End)),
        };
        var transfers = new[]
        {
            Transfer(inRegion, InRegionPrefix, shop.Vpc.Region, "gateway_endpoint", 7, toInRegion),
            Transfer(otherRegion, OtherRegionPrefix, OtherRegion, "nat_gateway", 1, toOtherRegion),
        };
        (string, string)[] iocs = [(Ipv4.Format(attacker), "SSH logins with a key stolen from a developer laptop")];
        var key = shop.Key(this, options, Story(attacker), WindowStart, WindowEnd, iocs, Coverage.Of(shop, captures, [], [], WindowStart)) with
        {
            InitialAccess = new KeyInitialAccess(Ipv4.Format(attacker), bastion.PrivateAddress, 22, "tcp", Time(login)),
            LateralPath = [new KeyHop(bastion.PrivateAddress, app2.PrivateAddress, 22, "ssh", Time(hop))],
            Extra = new Dictionary<string, JsonElement>
            {
                ["collection"] = JsonSerializer.SerializeToElement(new
                {
                    host_ip = app2.PrivateAddress, source_ip = shop.Database.PrivateAddress, port = 5432, client_port = (int)dump.ClientPort, bytes_in = dump.ResponseBytes,
                    window = new TimeWindow(Time(dump.Start), Time(dump.End)),
                }, AnswerKey.Json),
                ["s3_transfers"] = JsonSerializer.SerializeToElement(transfers, AnswerKey.Json),
                ["s3_total_bytes"] = JsonSerializer.SerializeToElement(toInRegion.Concat(toOtherRegion).Sum(c => c.RequestBytes)),
                ["flow_logs_cannot_tell"] = JsonSerializer.SerializeToElement(CannotTell, AnswerKey.Json),
            },
        };
        return new ScenarioPlan
        {
            Vpc = shop.Vpc, Captures = captures,
            Sources = [.. shop.Background(new Dictionary<Workload, ushort[]>()), new PlannedTraffic(a.Conversations)],
            Key = key,
            Iocs = iocs,
            Briefing = Briefing.For(this, shop, captures, "A developer's laptop was stolen with an SSH key for the shop's bastion on it. " +
                "Find whether the key was used, where the intruder went, what left the VPC, to which service and region, and through which path. " +
                "Say what the flow logs cannot tell you and where you would look for it."),
        };
    }

    /// <summary>What the answer to each question about the copies cannot be, from flow logs alone, and where it is.</summary>
    static readonly object[] CannotTell =
    [
        new { question = "which bucket", answer = "cannot be determined from flow logs", look_in = "CloudTrail S3 data events (PutObject, bucketName), S3 server access logs of the bucket if it is yours" },
        new { question = "whose bucket (which account)", answer = "cannot be determined from flow logs", look_in = "CloudTrail data events (recipientAccountId), VPC endpoint policy denials" },
        new { question = "what was copied", answer = "cannot be determined from flow logs", look_in = "CloudTrail data events (object keys), the database's own audit log" },
        new { question = "which credentials signed the requests", answer = "cannot be determined from flow logs", look_in = "CloudTrail (userIdentity): instance role or access key" },
    ];

    static string Story(uint attacker) =>
        $"With an SSH key stolen from a developer's laptop, an intruder from {Ipv4.Format(attacker)} logged in to the bastion, hopped to app-2, dumped the orders " +
        "database from db-1 over PostgreSQL, and copied it to Amazon S3: that night to a bucket in eu-west-1 through the S3 gateway endpoint, before dawn to a " +
        "bucket in us-east-1 through the NAT gateway (a gateway endpoint serves its own region only). The flow logs name S3 and the prefix, not the bucket.";
}
