using FlowNotebooks.Formats;
using System.Net;
using System.Security.Cryptography;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Acquisition;

[Collection(S3rverCollection.Name)]
public sealed class S3AcquisitionTests(S3rverFixture s3rver)
{
    const string A = FlowBucket.AccountA, B = FlowBucket.AccountB;
    static readonly DateTime From = new(2026, 3, 10, 10, 0, 0, DateTimeKind.Utc);
    static readonly DateTime To = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    static S3Selection Window(DateTime from, DateTime to) => new(new S3Location(S3rverFixture.Bucket, "")) { From = from, To = to };

    string HiveDay(DateTime d) => $"AWSLogs/aws-account-id={B}/aws-service=vpcflowlogs/aws-region=us-east-1/year={d:yyyy}/month={d:MM}/day={d:dd}/";

    /// <summary>Objects the window rule keeps, computed from the bucket's own item list.</summary>
    List<string> Expected(DateTime from, DateTime to) =>
        s3rver.Items.Where(i => S3KeyLayout.CanHold(i.Stamp, from, to)).Select(i => i.Key).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Window_lists_only_the_day_and_hour_prefixes_it_needs_in_both_layouts()
    {
        using var dir = new TempDir();
        RecordingHandler? rec = null;
        var settings = s3rver.Settings(dir, h => rec = new RecordingHandler(h));
        var result = await new S3Acquirer(settings).AcquireAsync(Window(From, To), dir.File("evidence"));

        Assert.Equal(
            [
                "AWSLogs/ (folders)",
                $"AWSLogs/{A}/vpcflowlogs/ (folders)",
                $"AWSLogs/{A}/vpcflowlogs/eu-west-1/2026/03/10/ (folders)",
                $"AWSLogs/{A}/vpcflowlogs/us-east-1/2026/03/10/ (folders)",
                $"AWSLogs/aws-account-id={B}/aws-service=vpcflowlogs/ (folders)",
                HiveDay(From) + " (folders)",
                // One hour of slack before the window (a stamp is only a lower bound of its records' end times), none after.
                HiveDay(From) + "hour=09/",
                HiveDay(From) + "hour=10/",
                HiveDay(From) + "hour=11/",
            ],
            rec!.ListCalls.Order(StringComparer.Ordinal).ToArray());
        var keys = result.Objects.Select(o => o.Key).ToList();
        Assert.Equal(Expected(From, To), keys);
        Assert.Equal(9, keys.Count); // 09:05, 10:05, 11:05 for each of the three account/region series
        Assert.Contains(keys, k => S3KeyLayout.Parse(k).Layout == KeyLayout.Default);
        Assert.Contains(keys, k => S3KeyLayout.Parse(k).Layout == KeyLayout.HivePerHour);
        Assert.Equal(9, rec.ObjectGets);
    }

    [Fact]
    public async Task A_window_across_midnight_lists_both_days_and_only_the_edge_hours()
    {
        using var dir = new TempDir();
        RecordingHandler? rec = null;
        var settings = s3rver.Settings(dir, h => rec = new RecordingHandler(h));
        var from = new DateTime(2026, 3, 11, 0, 30, 0, DateTimeKind.Utc);
        var to = new DateTime(2026, 3, 11, 1, 0, 0, DateTimeKind.Utc);
        var sel = Window(from, to) with { Accounts = [B] };
        var result = await new S3Acquirer(settings).AcquireAsync(sel, dir.File("evidence"));

        Assert.Equal(
            [
                "AWSLogs/ (folders)",
                $"AWSLogs/aws-account-id={B}/aws-service=vpcflowlogs/ (folders)",
                HiveDay(from.AddDays(-1)) + " (folders)",
                HiveDay(from.AddDays(-1)) + "hour=23/",
                HiveDay(from) + " (folders)",
                HiveDay(from) + "hour=00/",
            ],
            rec!.ListCalls.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(s3rver.Items.Where(i => i.Account == B && S3KeyLayout.CanHold(i.Stamp, from, to)).Select(i => i.Key), result.Objects.Select(o => o.Key));
        Assert.Single(result.Objects);
    }

    [Fact]
    public async Task A_prefix_inside_the_layout_is_listed_whole_across_pages_and_filtered_by_key_time()
    {
        using var dir = new TempDir();
        RecordingHandler? rec = null;
        var settings = s3rver.Settings(dir, h => rec = new RecordingHandler(h));
        var day = $"AWSLogs/{A}/vpcflowlogs/us-east-1/2026/03/08/";
        var sel = new S3Selection(new S3Location(S3rverFixture.Bucket, day)) { PageSize = 5, To = new DateTime(2026, 3, 8, 20, 0, 0, DateTimeKind.Utc) };
        var result = await new S3Acquirer(settings).AcquireAsync(sel, dir.File("evidence"));
        Assert.Equal(Enumerable.Repeat(day, 5), rec!.ListCalls); // 24 keys, 5 a page, continuation tokens followed
        Assert.Equal(20, result.Objects.Count); // stamps 00:05 to 19:05
        Assert.Equal(s3rver.Items.Where(i => i.Key.StartsWith(day, StringComparison.Ordinal) && i.Stamp < sel.To).Select(i => i.Key), result.Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task Acquire_keeps_the_key_layout_and_writes_a_verifiable_manifest_and_a_rerun_skips_everything()
    {
        using var dir = new TempDir();
        RecordingHandler? rec = null;
        var settings = s3rver.Settings(dir, h => rec = new RecordingHandler(h));
        var folder = dir.File("evidence");
        var first = await new S3Acquirer(settings).AcquireAsync(Window(From, To), folder);
        Assert.Equal(9, first.Downloaded);

        var byKey = s3rver.Items.ToDictionary(i => i.Key);
        foreach (var e in first.Objects)
        {
            var item = byKey[e.Key];
            var local = Path.Combine(folder, e.Path);
            Assert.Equal($"{S3rverFixture.Bucket}/{e.Key}", e.Path);
            Assert.Equal(item.Bytes, File.ReadAllBytes(local));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(item.Bytes)), e.Sha256);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(item.Bytes)), e.ETag); // s3rver's single-part ETag is the MD5
            Assert.Equal(item.Bytes.Length, e.Size);
        }
        Assert.Empty(Directory.EnumerateFiles(folder, "*.partial", SearchOption.AllDirectories));
        Assert.Equal(9, File.ReadAllLines(Path.Combine(folder, AcquisitionManifest.FileName)).Length);

        Assert.Equal(9, rec!.ObjectGets);
        var firstRun = rec;
        var progress = new List<AcquisitionProgress>();
        var second = await new S3Acquirer(settings).AcquireAsync(Window(From, To), folder, new SyncProgress<AcquisitionProgress>(progress.Add));
        Assert.Equal((0, 9, 0), (second.Downloaded, second.Verified, second.Refetched));
        Assert.NotSame(firstRun, rec); // the re-run had its own client, and so its own recorder
        Assert.Equal(0, rec.ObjectGets); // nothing downloaded again
        Assert.Equal(9, File.ReadAllLines(Path.Combine(folder, AcquisitionManifest.FileName)).Length);
        Assert.True(progress[^1] is { Finished: true, ObjectsDone: 9, Verified: 9 });
    }

    [Fact]
    public async Task A_corrupted_local_copy_is_detected_by_hash_and_fetched_again()
    {
        using var dir = new TempDir();
        var settings = s3rver.Settings(dir);
        var folder = dir.File("evidence");
        var first = await new S3Acquirer(settings).AcquireAsync(Window(From, To), folder);
        var victim = first.Objects[4];
        var path = Path.Combine(folder, victim.Path);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5a; // same size, different content: only the hash can tell
        File.WriteAllBytes(path, bytes);

        var second = await new S3Acquirer(settings).AcquireAsync(Window(From, To), folder);
        Assert.Equal((1, 8, 1), (second.Downloaded, second.Verified, second.Refetched));
        Assert.Contains(second.Notes, n => n.Contains(victim.Key, StringComparison.Ordinal) && n.Contains("SHA-256", StringComparison.Ordinal));
        Assert.Equal(victim.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        var entry = Assert.Single(second.Objects, o => o.Key == victim.Key);
        Assert.StartsWith("fetched again", entry.Note);
    }

    [Fact]
    public async Task Stream_mode_loads_the_same_records_as_acquire_then_ingest()
    {
        using var dir = new TempDir();
        var settings = s3rver.Settings(dir);
        var folder = dir.File("evidence");
        await new S3Acquirer(settings).AcquireAsync(Window(From, To), folder);
        using var acquired = CaseStore.Open();
        var fromFolder = new EvidenceLoader(acquired, new IngestOptions { From = From, To = To }).Load([folder]);

        RecordingHandler? rec = null;
        var counted = s3rver.Settings(dir, h => rec = new RecordingHandler(h));
        using var streamed = CaseStore.Open();
        var fromStream = await EvidenceIntake.StreamS3Async(streamed, new IngestOptions(), counted, Window(From, To));
        Assert.Equal(9, rec!.ObjectGets); // each object fetched once: the parse reads the copy that was hashed

        // With no disk budget the hashing pass keeps nothing and the parse fetches again (checked against the first hash).
        using var lean = CaseStore.Open();
        var fromLean = await EvidenceIntake.StreamS3Async(lean, new IngestOptions(), counted, Window(From, To), spoolBudgetBytes: 0);
        Assert.Equal(18, rec.ObjectGets);
        Assert.Equal(fromStream.Records, fromLean.Records);
        Assert.Equal(streamed.Query("SELECT * EXCLUDE (loaded_at) FROM evidence ORDER BY evidence_id").Rows, lean.Query("SELECT * EXCLUDE (loaded_at) FROM evidence ORDER BY evidence_id").Rows);

        Assert.Equal(27, fromStream.Records);
        Assert.Equal(fromFolder.Records, fromStream.Records);
        Assert.Equal(0, fromStream.Rejects);
        const string rows = """
            SELECT account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start_time, end_time, action, log_status, flow_log_id
            FROM flows ORDER BY ALL
            """;
        var a = acquired.Query(rows).Rows;
        var s = streamed.Query(rows).Rows;
        Assert.Equal(a.Count, s.Count);
        for (var i = 0; i < a.Count; i++) Assert.Equal(a[i], s[i]);
        const string evidence = "SELECT sha256, size, records, account_id, region, delivery_time, key_layout FROM evidence ORDER BY sha256";
        Assert.Equal(acquired.Query(evidence).Rows, streamed.Query(evidence).Rows);
        Assert.All(streamed.Query("SELECT object FROM evidence").Rows, r => Assert.StartsWith($"s3://{S3rverFixture.Bucket}/AWSLogs/", (string)r[0]!));
    }

    [Fact]
    public async Task Throttling_and_5xx_are_retried_with_backoff_and_counted()
    {
        using var dir = new TempDir();
        RecordingHandler? rec = null;
        var settings = s3rver.Settings(dir, h =>
        {
            rec = new RecordingHandler(h);
            rec.Fail(r => r.RequestUri!.Query.Contains("list-type=2", StringComparison.Ordinal), 2,
                () => RecordingHandler.S3Error(HttpStatusCode.ServiceUnavailable, "SlowDown", "Please reduce your request rate."));
            rec.Fail(r => r.Method == HttpMethod.Get && !r.RequestUri!.Query.Contains("list-type", StringComparison.Ordinal), 3,
                () => RecordingHandler.S3Error(HttpStatusCode.InternalServerError, "InternalError", "We encountered an internal error."));
            return rec;
        });
        var progress = new List<AcquisitionProgress>();
        var result = await new S3Acquirer(settings, parallelism: 1).AcquireAsync(Window(From, To), dir.File("evidence"), new SyncProgress<AcquisitionProgress>(progress.Add));
        Assert.Equal(9, result.Downloaded);
        var last = progress[^1];
        Assert.Equal(2, last.Throttles);
        Assert.Equal(5, last.Retries);
        Assert.All(result.Objects, e => Assert.Equal(e.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir.File("evidence"), e.Path))))));
    }

    [Fact]
    public async Task A_connection_reset_mid_object_is_retried_and_the_copy_is_complete()
    {
        using var dir = new TempDir();
        var target = Expected(From, To)[3];
        var settings = s3rver.Settings(dir, h =>
        {
            var rec = new RecordingHandler(h);
            rec.Reset(r => r.Method == HttpMethod.Get && Uri.UnescapeDataString(r.RequestUri!.AbsolutePath).EndsWith(target, StringComparison.Ordinal), 2);
            return rec;
        });
        var progress = new List<AcquisitionProgress>();
        var result = await new S3Acquirer(settings).AcquireAsync(Window(From, To), dir.File("evidence"), new SyncProgress<AcquisitionProgress>(progress.Add));
        Assert.Equal(9, result.Downloaded);
        Assert.Equal(2, progress[^1].Retries);
        var entry = Assert.Single(result.Objects, o => o.Key == target);
        Assert.Equal(s3rver.Items.Single(i => i.Key == target).Bytes, File.ReadAllBytes(Path.Combine(dir.File("evidence"), entry.Path)));
    }

    [Fact]
    public async Task An_object_that_keeps_breaking_fails_clearly_and_is_never_marked_complete()
    {
        using var dir = new TempDir();
        var target = Expected(From, To)[0];
        var settings = s3rver.Settings(dir, h =>
        {
            var rec = new RecordingHandler(h);
            rec.Reset(r => r.Method == HttpMethod.Get && Uri.UnescapeDataString(r.RequestUri!.AbsolutePath).EndsWith(target, StringComparison.Ordinal), 100);
            return rec;
        });
        var folder = dir.File("evidence");
        var ex = await Assert.ThrowsAsync<AwsAcquisitionException>(() => new S3Acquirer(settings, parallelism: 1).AcquireAsync(Window(From, To), folder));
        Assert.Contains(target, ex.Message);
        Assert.Contains("reset", ex.Message, StringComparison.OrdinalIgnoreCase);
        AssertNotMarkedComplete(folder, target);
    }

    [Fact]
    public async Task Expired_credentials_stop_with_a_clear_message_and_leave_no_partial_object_marked_complete()
    {
        using var dir = new TempDir();
        var target = Expected(From, To)[2];
        var settings = s3rver.Settings(dir, h =>
        {
            var rec = new RecordingHandler(h);
            rec.Fail(r => r.Method == HttpMethod.Get && Uri.UnescapeDataString(r.RequestUri!.AbsolutePath).EndsWith(target, StringComparison.Ordinal), 100,
                () => RecordingHandler.S3Error(HttpStatusCode.BadRequest, "ExpiredToken", "The provided token has expired."));
            return rec;
        });
        var folder = dir.File("evidence");
        var ex = await Assert.ThrowsAsync<AwsAcquisitionException>(() => new S3Acquirer(settings, parallelism: 1).AcquireAsync(Window(From, To), folder));
        Assert.Contains("expired", ex.Message);
        Assert.Contains("aws sso login --profile s3rver", ex.Message);
        Assert.DoesNotContain("S3RVER", ex.ToString().Replace("--profile s3rver", "", StringComparison.Ordinal)); // no key in the message chain
        AssertNotMarkedComplete(folder, target);

        // The stream path fails the load the same way, with the same explanation.
        using var store = CaseStore.Open();
        var load = await Assert.ThrowsAsync<FlowLoadException>(() => EvidenceIntake.StreamS3Async(store, new IngestOptions { Workers = 1 }, settings, Window(From, To)));
        Assert.Contains("expired", load.Message);
    }

    static void AssertNotMarkedComplete(string folder, string key)
    {
        var manifest = Path.Combine(folder, AcquisitionManifest.FileName);
        if (File.Exists(manifest)) Assert.DoesNotContain(File.ReadAllLines(manifest), l => l.Contains(key, StringComparison.Ordinal));
        var local = Path.Combine(folder, S3rverFixture.Bucket, key);
        Assert.False(File.Exists(local), "no file at the final path");
        Assert.False(File.Exists(local + ".partial"), "no partial file left behind");
    }
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the pool, racing the assertions).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    readonly Lock gate = new();
    public void Report(T value)
    {
        lock (gate) report(value);
    }
}
