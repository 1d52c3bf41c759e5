using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Scenarios.Delivery;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;
using static FlowNotebooks.Scenarios.Catalog.AttackSteps;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>
/// The blind spot: a poisoned build dependency gives an attacker the CI runner, in the ops subnet nobody logs. The
/// runner fetches a payload and later uploads the orders database through the NAT gateway, whose interface is the only
/// one that sees it, and SKIPDATA hides part of that upload. It read the database in an hour the data subnet's flow log
/// never delivered, and db-1's interface-level flow log had that hour only in a CloudWatch log group whose 7-day
/// retention had expired it by collection. The next hour's object was deleted, but the bucket is versioned, so it is
/// in the case. It also copied something through the S3 gateway endpoint, which no logged interface sees. The right
/// answers are bounds and "cannot be determined from flow logs"; the coverage statement is what is graded.
/// </summary>
public sealed class BlindSpot : Scenario
{
    public override string Name => "blind-spot";
    public override string Summary => "The blind spot: a CI runner in an unlogged subnet reads the database in an hour with no delivery and expired CloudWatch events, uploads through the NAT gateway during SKIPDATA; a deleted object recovered from versioning. Answers are bounds and what cannot be determined.";
    protected override (long Fixed, long PerRate) Calibration => (91_600, 27_100);

    static readonly DateTime WindowStart = new(2026, 4, 20, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime WindowEnd = WindowStart.AddDays(3);
    const int LogGroupRetentionDays = 7;

    public override ScenarioPlan Plan(ScenarioOptions options, double rate)
    {
        var shop = ShopVpc.Build(options.Seed);
        var v = shop.Variation;
        var payloadHost = v.Outside("192.0.2.77");
        var drop = v.Outside("203.0.113.19");
        var collectedAt = v.Gap(new DateTime(2026, 4, 28, 9, 15, 0, DateTimeKind.Utc));
        var lostBefore = collectedAt.AddDays(-LogGroupRetentionDays);
        var captures = shop.Captures(options.Formats, WindowStart.AddDays(-290).AddHours(11.6), new DateTime(2026, 4, 22, 14, 3, 51, DateTimeKind.Utc));
        var a = new AttackSteps(ScenarioRandom.For(options.Seed, "blind-spot/attack"));
        var r = a.Random;
        var runner = shop.CiRunner;

        // The poisoned dependency's payload, fetched through the NAT gateway during a build.
        var payload = a.Session(runner, 0, null, payloadHost, 443, v.Time(new DateTime(2026, 4, 20, 15, 7, 0, DateTimeKind.Utc)) + r.Next(0, 300), 4,
            1_200 + r.Next(0, 400), v.Bytes(6_100_000 + r.Next(0, 800_000)), 300, 1_448);

        // The database read starts inside the hour the data subnet's flow log never delivered and runs into the next.
        var dataLog = shop.CaptureOf(captures, shop.DataSubnet);
        var missing = new MissingDelivery(dataLog, v.Gap(new DateTime(2026, 4, 21, 3, 0, 0, DateTimeKind.Utc)), v.Gap(new DateTime(2026, 4, 21, 4, 0, 0, DateTimeKind.Utc)));
        var readStart = Unix(missing.Start) + 25 * 60 + r.Next(0, 600);
        var read = a.Session(runner, 0, shop.Database, 0, 5432, readStart, 65 * 60 + r.Next(0, 600), 50_000 + r.Next(0, 10_000),
            v.Bytes(1_900_000_000L + r.Next(0, 200_000_000)), 90, 8_900);

        // Something through the S3 gateway endpoint: from an unlogged subnet, no logged interface is on that path.
        var hidden = a.Session(runner, 0, null, ShopVpc.S3Address, 443, Unix(missing.End) + 3_600 + r.Next(0, 900), 540 + r.Next(0, 120),
            v.Bytes(420_000_000L + r.Next(0, 40_000_000)), 9_000, 1_448, 52);

        // The upload the next night, through the NAT gateway; SKIPDATA on its interface for 20 minutes in the middle of it.
        var upload = a.Upload(runner, drop, 443, v.Time(new DateTime(2026, 4, 22, 1, 20, 0, DateTimeKind.Utc)) + r.Next(0, 300), 6, 12, v.Bytes(300.0));
        var skipStart = Time((upload[0].Start + 25 * 60) / 60 * 60);
        var natLog = shop.CaptureOf(captures, shop.PublicA);
        var skip = new SkipWindow(natLog, shop.Nat, skipStart, skipStart.AddMinutes(20));

        // db-1's and web-1's interface-level flow logs: in CloudWatch, events older than the retention were gone at collection.
        var interfaceLogs = captures.Where(c => c.ResourceId.StartsWith("eni-", StringComparison.Ordinal)).ToList();
        var logGroup = interfaceLogs.FirstOrDefault(c => c.LogGroup is not null)?.LogGroup;
        var expired = interfaceLogs.Select(c => new MissingDelivery(c, WindowStart, lostBefore)).ToList();
        var deletedHour = missing.End;
        var deletedAt = v.Gap(new DateTime(2026, 4, 22, 23, 51, 27, DateTimeKind.Utc));

        var logged = Logged(upload, w => !(w.Start >= Unix(skip.Start) && w.Start < Unix(skip.End)), w => w.RequestBytes);
        var firstLoggedRead = Windows(read).First(w => w.End >= Unix(missing.End)).Start;
        var uploadBytes = upload.Sum(c => c.RequestBytes);
        (string, string)[] iocs = [(Ipv4.Format(payloadHost), "payload server of a poisoned build dependency"), (Ipv4.Format(drop), "data drop (HTTPS)")];
        var key = shop.Key(this, options, Story(runner, payloadHost, drop), WindowStart, WindowEnd, iocs, Coverage.Of(shop, captures, [skip], logGroup is null ? [missing, .. expired] : [missing], WindowStart)) with
        {
            Exfiltration = new KeyExfiltration(runner.PrivateAddress, runner.InterfaceId!, "nat_gateway", shop.Nat.InterfaceId, shop.Nat.PrivateAddress, shop.Nat.PublicAddress,
                [new KeyExfilDestination(Ipv4.Format(drop), 443, uploadBytes, new TimeWindow(Time(upload[0].Start), Time(upload[^1].End)))], uploadBytes),
            // With the CloudWatch variant the interface logs' loss is the log group's retention (below); otherwise it is missing objects.
            EvidenceWindow = new KeyEvidenceWindow(collectedAt, ShopVpc.Bucket, "Enabled", 90, RetentionPlan.Due(WindowStart, 90), 30, "GLACIER",
                RetentionPlan.Due(WindowStart, 30), logGroup, logGroup is null ? null : LogGroupRetentionDays, logGroup is null ? null : collectedAt, null, null),
            Extra = new Dictionary<string, JsonElement>
            {
                ["first_contact"] = JsonSerializer.SerializeToElement(new
                {
                    host_ip = runner.PrivateAddress, destination = Ipv4.Format(payloadHost), port = 443, time = Time(payload.Start), bytes_in = payload.ResponseBytes,
                }, AnswerKey.Json),
                ["bounds"] = JsonSerializer.SerializeToElement(new
                {
                    upload_bytes = new
                    {
                        lower = logged, actual = uploadBytes,
                        why = $"SKIPDATA on the NAT gateway's interface {Show(skip.Start)}–{Show(skip.End)}, the only logged interface on the runner's path",
                    },
                    database_read_start = new
                    {
                        not_before = missing.Start, not_after = Time(firstLoggedRead), actual = Time(read.Start),
                        why = $"the data subnet's flow log delivered nothing {Show(missing.Start)}–{Show(missing.End)} and db-1's interface-level events before {Show(lostBefore)} had expired",
                    },
                    database_read_bytes = new
                    {
                        lower = Logged([read], w => w.End >= Unix(missing.End), w => w.ResponseBytes), actual = read.ResponseBytes,
                        why = "the part of the read in the undelivered hour was logged nowhere that survived",
                    },
                }, AnswerKey.Json),
                ["cannot_determine"] = JsonSerializer.SerializeToElement(CannotDetermine, AnswerKey.Json),
                ["log_group_lost_before"] = JsonSerializer.SerializeToElement(logGroup is null ? (DateTime?)null : lostBefore),
                // The instructor's view of what happened in the blind spot; no flow log shows it.
                ["hidden_truth"] = JsonSerializer.SerializeToElement(new
                {
                    s3_copy = new { host_ip = runner.PrivateAddress, destination = Ipv4.Format(ShopVpc.S3Address), via = "s3_gateway_endpoint", bytes = hidden.RequestBytes, time = Time(hidden.Start) },
                }, AnswerKey.Json),
            },
        };
        return new ScenarioPlan
        {
            Retention = new RetentionPlan(collectedAt, ShopVpc.Bucket, 90, 30, "GLACIER", 30)
            {
                LogGroup = logGroup, LogGroupRetentionDays = logGroup is null ? null : LogGroupRetentionDays,
                LogGroupCreated = interfaceLogs.FirstOrDefault(c => c.LogGroup is not null)?.CreationTime ?? default,
                Deleted = (dataLog, deletedHour.ToString("yyyyMMdd'T'HH", CultureInfo.InvariantCulture), deletedAt), Region = shop.Vpc.Region, Account = shop.Vpc.AccountId,
            },
            Vpc = shop.Vpc, Captures = captures, SkipWindows = [skip], MissingDeliveries = [missing, .. expired],
            Sources = [.. shop.Background(new Dictionary<Workload, ushort[]>()), new PlannedTraffic(a.Conversations)],
            Key = key,
            Iocs = iocs,
            Briefing = Briefing.For(this, shop, captures, "A poisoned version of a build dependency was published; the shop's CI runner pulled it. " +
                "The evidence was collected late. Say what the runner did that the flow logs can show, give bounds where they cannot be exact, " +
                "and state exactly what the evidence covers and what it cannot show."),
        };
    }

    static readonly object[] CannotDetermine =
    [
        new { question = "how the runner was compromised, and what it did inside the ops subnet", answer = "cannot be determined from flow logs", why = "the ops subnet has no flow log; only traffic crossing a logged interface (the NAT gateway, db-1, the resolver) shows" },
        new { question = "whether the runner sent data through the S3 gateway endpoint", answer = "cannot be determined from flow logs", why = "that path bypasses the NAT gateway, and the runner's own interface is not logged" },
        new { question = "the exact bytes uploaded to the drop host", answer = "cannot be determined from flow logs: give the bounds", why = "SKIPDATA on the only logged interface on the path" },
        new { question = "what data was read from the database", answer = "cannot be determined from flow logs", why = "flow logs carry no content; the database's audit log might" },
    ];

    /// <summary>The 60-second windows a conversation's records cover.</summary>
    static List<FlowWindow> Windows(Conversation c)
    {
        var sink = new WindowList();
        c.Emit(sink);
        return sink.Windows;
    }

    /// <summary>Bytes (one direction) of the windows a flow log kept.</summary>
    static long Logged(IEnumerable<Conversation> conversations, Func<FlowWindow, bool> kept, Func<FlowWindow, long> bytes) =>
        conversations.SelectMany(Windows).Where(kept).Sum(bytes);

    static string Show(DateTime t) => t.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    sealed class WindowList : IFlowSink
    {
        public List<FlowWindow> Windows { get; } = [];
        public void Flow(in FlowWindow window) => Windows.Add(window);
        public void Record(in FlowRecord record) { }
    }

    static string Story(Workload runner, uint payloadHost, uint drop) =>
        $"A poisoned build dependency made the CI runner ({runner.PrivateAddress}, in the unlogged ops subnet) fetch a payload from {Ipv4.Format(payloadHost)}. " +
        "The runner read the orders database on db-1 starting in an hour the data subnet's flow log never delivered (db-1's CloudWatch copy of it had expired by collection), " +
        "copied something to S3 through the gateway endpoint (invisible), and the next night uploaded through the NAT gateway to " +
        $"{Ipv4.Format(drop)}:443 while SKIPDATA hid 20 minutes of the NAT gateway's records. An object of the data subnet's flow log was deleted; the bucket is versioned.";
}
