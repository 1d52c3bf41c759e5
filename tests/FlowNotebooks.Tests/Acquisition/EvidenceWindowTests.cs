using FlowNotebooks.Formats;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Acquisition;

/// <summary>
/// The evidence window closing, against loopback stand-ins replaying AWS's documented XML/JSON (s3rver answers
/// NotImplemented to versioning and lifecycle and cannot hold a '..' key, so the bucket here is <see cref="FakeS3Bucket"/>):
/// planted keys, deleted-then-recovered objects, lifecycle and retention clocks, failed deliveries and the custody record.
/// Expected dates are computed here from AWS's documented rules, from the time the collection recorded.
/// </summary>
public sealed class EvidenceWindowTests : IDisposable
{
    const string Bucket = "flowlogs-central";
    const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY-never-printed";
    readonly TempDir dir = new();
    static readonly DateTime From = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    static readonly DateTime To = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    public void Dispose() => dir.Dispose();

    AwsAccess Access(FakeS3Bucket s3, FakeSts? sts)
    {
        File.WriteAllText(dir.File("config"), "[profile ir]\nregion = us-east-1\n");
        File.WriteAllText(dir.File("credentials"), $"[ir]\naws_access_key_id = AKIDWINDOWTEST\naws_secret_access_key = {Secret}\n");
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_S3"] = s3.Endpoint.ToString() };
        if (sts is not null) env["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        return new AwsAccess
        {
            Profiles = ["ir"],
            Base = new AwsSettings
            {
                ConfigFile = dir.File("config"), CredentialsFile = dir.File("credentials"), Environment = env.GetValueOrDefault,
                Retry = new AwsRetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(2), MaxDelay = TimeSpan.FromMilliseconds(10) },
            },
        };
    }

    /// <summary>Account A's us-east-1 objects stamped inside the window (09:05, 10:05, 11:05 on 10 March), written a minute after their stamp.</summary>
    static List<FlowBucket.Item> WindowItems() =>
        FlowBucket.Items().Where(i => i.Account == FlowBucket.AccountA && i.Region == "us-east-1" && i.Stamp >= From && i.Stamp < To).ToList();

    static long DataLines(byte[] gz)
    {
        using var z = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var r = new StreamReader(z);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1; // minus the header
    }

    static byte[] Gzip(string text)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.ASCII.GetBytes(text));
        return ms.ToArray();
    }

    static ProcedureResult Coverage(CaseStore store, DateTime from, DateTime to) =>
        ProcedureRegistry.Get("coverage").Run(store, new Dictionary<string, object?> { ["from"] = from, ["to"] = to, ["internal_cidrs"] = "10.0.0.0/8" });

    static IEnumerable<Finding> Kind(ProcedureResult r, string kind) => r.Findings.Where(f => f.Facts.GetValueOrDefault("kind") == kind);

    [Fact]
    public async Task A_planted_dotdot_key_is_kept_under_an_escaped_name_and_named_while_the_good_object_is_collected_and_loaded()
    {
        using var s3 = new FakeS3Bucket(Bucket, versioning: null, lifecycleXml: null);
        var good = WindowItems()[1];
        s3.Put(new(good.Key, "null", good.Stamp.AddMinutes(1), good.Bytes));
        const string planted = "AWSLogs/../../../../escape.log.gz";
        var plantedBytes = Gzip("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
            + "2 111111111111 eni-1111000aabcd0 10.0.0.1 198.51.100.9 1 2 6 1 1 1773133500 1773133560 ACCEPT OK\n");
        s3.Put(new(planted, "null", good.Stamp.AddMinutes(2), plantedBytes));
        // An AWS-looking name in the wrong account's folder: the delivery never writes that.
        var liar = "AWSLogs/222222222222/vpcflowlogs/us-east-1/2026/03/10/" + good.Key[(good.Key.LastIndexOf('/') + 1)..];
        s3.Put(new(liar, "null", good.Stamp.AddMinutes(3), good.Bytes));

        var folder = Path.Combine(dir.Path, "case", "evidence");
        var result = await EvidenceCollection.CollectAsync(new CollectionRequest($"s3://{Bucket}", folder) { Access = Access(s3, null) });

        Assert.True(File.Exists(Path.Combine(folder, Bucket, good.Key)));
        Assert.Equal(good.Bytes, File.ReadAllBytes(Path.Combine(folder, Bucket, good.Key)));
        // Nothing escaped: no escape.log.gz anywhere above or beside the evidence folder.
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "escape.log.gz", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "escape.log.gz")));
        Assert.Equal(["case"], Directory.EnumerateDirectories(dir.Path).Select(Path.GetFileName));
        var kept = Assert.Single(Directory.EnumerateFiles(Path.Combine(folder, Bucket, S3LocalPath.PlantedFolder)));
        Assert.Equal(plantedBytes, File.ReadAllBytes(kept));
        Assert.DoesNotContain("/", Path.GetFileName(kept));

        var entries = AcquisitionManifest.Open(folder).Entries;
        var plantedEntry = Assert.Single(entries, e => e.Key == planted);
        Assert.StartsWith("planted key: the key has a '.' or '..' segment", plantedEntry.Suspect);
        Assert.Equal(Path.GetRelativePath(folder, kept).Replace('\\', '/'), plantedEntry.Path);
        Assert.StartsWith("name contradicted: its name claims account 111111111111 but it sits in account 222222222222's folder", Assert.Single(entries, e => e.Key == liar).Suspect);
        Assert.Null(Assert.Single(entries, e => e.Key == good.Key).Suspect);
        Assert.Contains(result.Parts.SelectMany(p => p.Notes), n => n.Contains("SUSPECT planted key", StringComparison.Ordinal));

        using var store = CaseStore.Open();
        new EvidenceLoader(store).Load([folder]);
        // The good object loads; the contradicted one is flagged, not hidden, but holds the same bytes (a manifest row
        // only, its records are the good object's); the planted one is never read.
        Assert.Equal(DataLines(good.Bytes), store.Scalar<long>("SELECT count(*) FROM flows"));
        Assert.Equal(1, store.Scalar<long>("SELECT count(*) FROM evidence WHERE object LIKE '%222222222222%'"));
        Assert.Equal(0, store.Scalar<long>("SELECT count(*) FROM evidence WHERE object LIKE '%planted%'"));
        var cov = Coverage(store, From, To);
        var suspects = Kind(cov, "suspect_object").ToList();
        Assert.Equal(2, suspects.Count);
        Assert.Contains(suspects, f => f.Facts["source"] == $"s3://{Bucket}/{planted}" && f.Severity == Severity.High && f.Statement.Contains(plantedEntry.Path, StringComparison.Ordinal));
        Assert.Contains(suspects, f => f.Facts["source"] == $"s3://{Bucket}/{liar}");
    }

    const string Lifecycle = """
        <Rule><ID>flow-logs</ID><Filter><Prefix>AWSLogs/</Prefix></Filter><Status>Enabled</Status>
          <Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition>
          <Expiration><Days>365</Days></Expiration>
          <NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration></Rule>
        <Rule><ID>short-b</ID><Filter><Prefix>AWSLogs/aws-account-id=222222222222/</Prefix></Filter><Status>Enabled</Status>
          <Expiration><Days>200</Days></Expiration></Rule>
        <Rule><ID>off</ID><Filter><Prefix>AWSLogs/</Prefix></Filter><Status>Disabled</Status>
          <Expiration><Days>1</Days></Expiration></Rule>
        """;

    /// <summary>AWS: expiry and transition fall at the midnight UTC after written + days.</summary>
    static DateTime NextMidnightAfter(DateTime written, int days)
    {
        var t = written.AddDays(days);
        return new DateTime(t.Year, t.Month, t.Day, 0, 0, 0, DateTimeKind.Utc).AddDays(1);
    }

    [Fact]
    public async Task A_deleted_object_of_a_versioned_bucket_is_dated_recovered_and_loaded_and_lifecycle_dates_follow_AWS_rules()
    {
        using var s3 = new FakeS3Bucket(Bucket, versioning: "Enabled", lifecycleXml: Lifecycle);
        using var sts = new FakeSts();
        var items = WindowItems();
        for (var i = 0; i < items.Count; i++) s3.Put(new(items[i].Key, $"v-{i}", items[i].Stamp.AddMinutes(1), items[i].Bytes));
        var deleted = items[1];
        var deletedAt = new DateTime(2026, 3, 12, 4, 0, 0, DateTimeKind.Utc);
        s3.Put(new(deleted.Key, "dm-1", deletedAt, null));

        var folder = dir.File("evidence");
        var result = await EvidenceCollection.CollectAsync(new CollectionRequest($"s3://{Bucket}", folder) { Access = Access(s3, sts), From = From, To = To });
        Assert.Contains(s3.Requests, r => r.Contains("?versions", StringComparison.Ordinal) && r.Contains("prefix=AWSLogs%2F111111111111%2Fvpcflowlogs%2Fus-east-1%2F2026%2F03%2F10%2F", StringComparison.Ordinal));

        var entries = AcquisitionManifest.Open(folder).Entries;
        var recovered = Assert.Single(entries, e => e.Key == deleted.Key);
        Assert.Equal("v-1", recovered.VersionId);
        Assert.Equal(deletedAt, recovered.DeletedAt);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(deleted.Bytes)), recovered.Sha256);
        Assert.Equal(deleted.Bytes, File.ReadAllBytes(Path.Combine(folder, Bucket, deleted.Key)));
        Assert.Contains(s3.Requests, r => r.Contains("versionId=v-1", StringComparison.Ordinal));

        var stateFile = Path.Combine(folder, BucketStateCollector.Folder, Bucket + ".json");
        var state = BucketState.FromJson(File.ReadAllBytes(stateFile));
        Assert.Equal("Enabled", state.Versioning);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(stateFile))), Assert.Single(entries, e => e.Source == $"s3-config://{Bucket}").Sha256);
        Assert.DoesNotContain(state.Lifecycle, l => l.RuleId == "off" && l.Status == "Enabled");

        using var store = CaseStore.Open();
        new EvidenceLoader(store).Load([folder]);
        Assert.Equal(items.Sum(i => DataLines(i.Bytes)), store.Scalar<long>("SELECT count(*) FROM flows"));
        var cov = Coverage(store, From, To);

        var gone = Assert.Single(Kind(cov, "deleted_object"));
        Assert.Equal(Severity.High, gone.Severity);
        Assert.Equal(deleted.Key, gone.Facts["key"]);
        Assert.Equal(Finding.Iso(deletedAt), gone.Facts["deleted_at"]);
        Assert.Equal("v-1", gone.Facts["earlier_version"]);
        Assert.Equal(DataLines(deleted.Bytes).ToString(CultureInfo.InvariantCulture), gone.Facts["records"]);

        var now = state.DescribedAt;
        var expiry = Assert.Single(Kind(cov, "lifecycle_expiry"), f => f.Facts["prefix"] == "AWSLogs/" && f.Facts["action"] == "expire");
        Assert.Equal(Finding.Iso(NextMidnightAfter(From, 365)), expiry.Facts["expires_at"]);
        Assert.Equal(Severity.High, expiry.Severity);
        var glacier = Assert.Single(Kind(cov, "lifecycle_transition"));
        Assert.Equal("true", glacier.Facts["needs_restore"]);
        Assert.Equal(Finding.Iso(NextMidnightAfter(From, 30)), glacier.Facts["due_at"]);
        Assert.Contains("restore", glacier.Statement, StringComparison.Ordinal);
        // Rule short-b (200 days) had expired account B's window deliveries before the collection read it.
        var lost = Assert.Single(Kind(cov, "retention_lost"));
        Assert.Equal("AWSLogs/aws-account-id=222222222222/", lost.Facts["prefix"]);
        var lostBefore = new DateTime(now.Year, now.Month, now.Day, 0, 0, 0, DateTimeKind.Utc).AddDays(-200);
        Assert.Equal(lostBefore, cov.Tables["evidence_window"].RowsByName.Single(r => r.Text("kind") == "retention_lost").Time("at"));
        Assert.Single(Kind(cov, "lifecycle_expiry"), f => f.Facts["action"] == "expire-noncurrent");

        var custody = Assert.Single(Kind(cov, "custody"));
        Assert.Equal(FakeSts.Arn, custody.Facts["principal"]);
        Assert.Equal("verified", custody.Facts["manifest_check"]);
        Assert.Contains(result.Parts.SelectMany(p => p.Notes), n => n.Contains("DELETED 2026-03-12T04:00:00Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_custody_record_is_deterministic_apart_from_time_and_principal_holds_no_secret_and_its_manifest_hash_verifies()
    {
        using var s3 = new FakeS3Bucket(Bucket, versioning: null, lifecycleXml: null);
        using var sts = new FakeSts();
        foreach (var i in WindowItems()) s3.Put(new(i.Key, "null", i.Stamp.AddMinutes(1), i.Bytes));
        string[] command = ["collect", $"s3://{Bucket}", "--out", "X", "--secret-access-key", Secret, "--external-id=abc123"];
        var records = new List<(string Folder, CustodyRecord Record)>();
        foreach (var name in new[] { "a", "b" })
        {
            var folder = dir.File(name);
            var r = await EvidenceCollection.CollectAsync(new CollectionRequest($"s3://{Bucket}", folder) { Access = Access(s3, sts), From = From, To = To, CommandLine = command });
            records.Add((folder, Assert.IsType<CustodyRecord>(r.Custody)));
        }
        Assert.True(sts.Calls >= 2);
        foreach (var (folder, record) in records)
        {
            var text = File.ReadAllText(Path.Combine(folder, CustodyRecord.FileName));
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain("abc123", text);
            Assert.DoesNotContain("AKIDWINDOWTEST", text);
            var run = Assert.Single(record.Runs);
            Assert.Equal(FakeSts.Arn, Assert.Single(run.Principals).Arn);
            Assert.Equal($"collect s3://{Bucket} --out X --secret-access-key *** --external-id=***", run.CommandLine);
            Assert.Equal([$"arn:aws:s3:::{Bucket}"], run.Sources);
            Assert.Contains(FlowBucket.AccountA, run.Accounts);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, AcquisitionManifest.FileName)))), record.ManifestSha256);
            Assert.Null(record.VerifyManifest(folder));
            Assert.Equal(WindowItems().Count + 1, record.Objects.Count); // the objects and the bucket state
        }
        // Everything but the times, the principal and the manifest hash (the manifest holds acquisition times) is the same.
        // The bucket state is a collected document holding its own read time, so its hash is a time field too.
        string Stable(CustodyRecord r) => (r with
        {
            ManifestSha256 = "",
            Objects = r.Objects.Select(o => o.Source.StartsWith("s3-config://", StringComparison.Ordinal) ? o with { Sha256 = "" } : o).ToList(),
            Runs = r.Runs.Select(x => x with { CollectedAt = default, Principals = [] }).ToList(),
        }).ToJson();
        Assert.Equal(Stable(records[0].Record), Stable(records[1].Record));

        using (var store = CaseStore.Open())
        {
            new EvidenceLoader(store).Load([records[0].Folder]);
            Assert.Equal("verified", store.Scalar<string>("SELECT manifest_check FROM custody"));
        }
        File.AppendAllText(Path.Combine(records[1].Folder, AcquisitionManifest.FileName), "\n");
        Assert.NotNull(records[1].Record.VerifyManifest(records[1].Folder));
        using (var store = CaseStore.Open())
        {
            new EvidenceLoader(store).Load([records[1].Folder]);
            Assert.StartsWith("FAILED: manifest.jsonl hashes to", store.Scalar<string>("SELECT manifest_check FROM custody"));
            Assert.Equal(Severity.High, Assert.Single(Kind(Coverage(store, From, To), "custody")).Severity);
        }
    }

    [Fact]
    public async Task Log_group_retention_dates_what_is_gone_and_when_the_rest_expires()
    {
        const string group = "/vpc/flow";
        var created = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var t0 = DateTime.UtcNow.Date.AddDays(-25);
        var events = Enumerable.Range(0, 6).Select(i =>
        {
            var s = new DateTimeOffset(t0.AddMinutes(10 * i)).ToUnixTimeSeconds();
            return new JsonObject
            {
                ["_group"] = group, ["logStreamName"] = "eni-0aaa1111aaaa11110-all", ["timestamp"] = s * 1000,
                ["message"] = $"2 123456789012 eni-0aaa1111aaaa11110 10.0.1.{i + 1} 203.0.113.9 4915{i} 443 6 3 180 {s} {s + 50} ACCEPT OK",
                ["ingestionTime"] = (s + 400) * 1000, ["eventId"] = $"3800000000000000000{i}",
            };
        });
        using var server = new FakeCloudWatchLogs(events, pageSize: 50);
        server.LogGroups.Add(new JsonObject
        {
            ["logGroupName"] = group, ["creationTime"] = new DateTimeOffset(created).ToUnixTimeMilliseconds(), ["retentionInDays"] = 30,
            ["metricFilterCount"] = 0, ["arn"] = $"arn:aws:logs:eu-central-1:123456789012:log-group:{group}:*", ["storedBytes"] = 123456,
        });
        File.WriteAllText(dir.File("config"), $"[profile ir]\nregion = eu-central-1\n");
        File.WriteAllText(dir.File("credentials"), $"[ir]\naws_access_key_id = AKIDCWLTEST\naws_secret_access_key = {FakeCloudWatchLogs.Secret}\naws_session_token = {FakeCloudWatchLogs.SessionToken}\n");
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = server.Endpoint.ToString() };
        var access = new AwsAccess
        {
            Profiles = ["ir"],
            Base = new AwsSettings { ConfigFile = dir.File("config"), CredentialsFile = dir.File("credentials"), Environment = env.GetValueOrDefault },
        };
        var folder = dir.File("evidence");
        var result = await EvidenceCollection.CollectAsync(new CollectionRequest($"cloudwatch://{group}", folder) { Access = access, From = t0, To = t0.AddHours(1) });
        // No STS endpoint beside the overridden Logs endpoint: AWS's STS is not asked, and custody says so.
        Assert.StartsWith("not asked", Assert.Single(result.Custody!.Runs[0].Principals).Error);

        var described = LogGroupInfo.Parse(File.ReadAllBytes(Path.Combine(folder, "cloudwatch", "eu-central-1", "vpc_flow", "describe-log-groups.json")));
        var at = described.DescribedAt!.Value;
        Assert.Equal(30, Assert.Single(described.Groups).RetentionDays);

        using var store = CaseStore.Open();
        new EvidenceLoader(store).Load([folder]);
        Assert.Equal(6, store.Scalar<long>("SELECT count(*) FROM flows"));

        // A window still held: its oldest records expire 30 days after them.
        var held = Coverage(store, t0, t0.AddHours(1));
        Assert.Empty(Kind(held, "retention_lost"));
        var clock = Assert.Single(Kind(held, "retention_clock"));
        Assert.Equal(Finding.Iso(t0.AddDays(30)), clock.Facts["expires_at"]);
        Assert.Equal(Severity.High, clock.Severity);

        // A window reaching back 40 days: what is older than 30 days before the read is gone.
        var back = Coverage(store, t0.AddDays(-15), t0.AddHours(1));
        var lost = Assert.Single(Kind(back, "retention_lost"));
        Assert.Equal(Finding.Iso(at.AddDays(-30)), lost.Facts["gone_before"]);
        Assert.Contains("retention 30 days", lost.Title, StringComparison.Ordinal);
        Assert.Equal(Finding.Iso(at), Assert.Single(Kind(back, "retention_clock")).Facts["expires_at"]);
    }

    [Fact]
    public void A_failed_delivery_explains_its_missing_hours_and_a_late_capture_its_missing_start()
    {
        // Account A us-east-1 hourly objects of 10 March, without 13:05–15:05: a three-hour hole in an hourly series.
        var folder = dir.File("evidence");
        var items = FlowBucket.Items().Where(i => i.Account == FlowBucket.AccountA && i.Region == "us-east-1" && i.Stamp.Date == new DateTime(2026, 3, 10)).ToList();
        foreach (var i in items.Where(i => i.Stamp.Hour is < 13 or > 15))
        {
            var path = Path.Combine(folder, i.Key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, i.Bytes);
        }
        var flowLogId = S3KeyLayout.Parse(items[0].Key).FlowLogId!;
        var created = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc); // its first object is stamped 00:05
        // describe-flow-logs as the CLI prints it, with the members AWS documents for a failing delivery.
        File.WriteAllText(Path.Combine(folder, "describe-flow-logs.json"), $$"""
            {"FlowLogs": [{"CreationTime": "{{created:yyyy-MM-ddTHH:mm:ss.fffZ}}", "DeliverLogsErrorMessage": "Access error", "DeliverLogsStatus": "FAILED",
              "FlowLogId": "{{flowLogId}}", "FlowLogStatus": "ACTIVE", "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::{{Bucket}}",
              "ResourceId": "vpc-0abc1234", "TrafficType": "ALL", "MaxAggregationInterval": 60,
              "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"}]}
            """);
        using var store = CaseStore.Open();
        new EvidenceLoader(store).Load([folder]);
        var cov = Coverage(store, new DateTime(2026, 3, 9, 20, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 10, 23, 0, 0, DateTimeKind.Utc));

        var failed = Assert.Single(Kind(cov, "delivery_failed"));
        Assert.Equal("Access error", failed.Facts["deliver_logs_error_message"]);
        var gap = Assert.Single(Kind(cov, "missing_delivery"));
        // The hole: from the slot after 12:05 (hourly grain) to the next object, 16:05.
        Assert.Equal("2026-03-10 13:05:00Z", gap.Facts["start"]);
        Assert.Equal("2026-03-10 16:05:00Z", gap.Facts["end"]);
        Assert.Contains("delivery FAILED: Access error", gap.Statement, StringComparison.Ordinal);
        // The late start is the gap finding's reason (one finding, not two), and a row of the evidence window.
        Assert.Empty(Kind(cov, "created_late"));
        Assert.Equal(created, cov.Tables["evidence_window"].RowsByName.Single(r => r.Text("kind") == "created_late").Time("at"));
        Assert.Contains("the capture was created 2026-03-10 00:00:00Z", Assert.Single(Kind(cov, "before_evidence")).Statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preservation_plan_lists_the_window_folders_soonest_to_expire_first_and_copies_nothing()
    {
        using var s3 = new FakeS3Bucket(Bucket, versioning: "Enabled", lifecycleXml: Lifecycle);
        var items = FlowBucket.Items().Where(i => i.Region == "us-east-1" && i.Stamp >= From && i.Stamp < To).ToList();
        foreach (var i in items) s3.Put(new(i.Key, "v", i.Stamp.AddMinutes(1), i.Bytes));
        var before = Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Count();

        var plan = await PreservationPlan.PlanAsync(new CollectionRequest($"s3://{Bucket}", "") { Access = Access(s3, null), From = From, To = To });

        Assert.Equal(before + 2, Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Count()); // the config and credentials files only
        Assert.DoesNotContain(s3.Requests, r => r.StartsWith("GET", StringComparison.Ordinal) && !r.Contains('?', StringComparison.Ordinal)); // no object read
        // Account B (hive, per hour: one folder per hour) under the 200-day rule, then account A's day folder under the 365-day rule.
        var expected = items.GroupBy(i => i.Key[..(i.Key.LastIndexOf('/') + 1)])
            .Select(g => (Source: $"s3://{Bucket}/{g.Key}", Objects: g.Count(), Bytes: g.Sum(i => (long)i.Bytes.Length),
                Expires: NextMidnightAfter(g.Min(i => i.Stamp.AddMinutes(1)), g.First().Account == FlowBucket.AccountB ? 200 : 365)))
            .OrderBy(x => x.Expires).ThenBy(x => x.Source, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, plan.Select(p => (p.Source, p.Objects, p.Bytes, p.ExpiresAt!.Value)).ToList());
        Assert.Equal(4, plan.Count); // three hour folders of account B, one day folder of account A
        Assert.All(plan, p => Assert.Contains("moves to GLACIER", p.Note, StringComparison.Ordinal));
        Assert.All(plan, p => Assert.Contains("needs a restore", p.Note, StringComparison.Ordinal));
    }
}
