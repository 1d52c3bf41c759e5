using FlowNotebooks.Formats;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowNotebooks.Ingest;
using FlowNotebooks.Interactive.Tests.Fixtures;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Aws;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Interactive.Tests;

/// <summary>
/// <c>#!flow-collect</c> and <c>#!flow-load s3://…</c> run in a real CompositeKernel against loopback stand-ins: s3rver
/// (SigV4-checking S3), the CloudWatch Logs server (checks signature and session token) and the EC2 Query server. The
/// magics find AWS access the analyst's way (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL_*, key
/// variables), set per test and restored after; the s3rver collection runs its tests one at a time.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class FlowCollectDirectiveTests(S3rverFixture s3rver) : IDisposable
{
    const string From = "2026-03-10T10:00:00Z", To = "2026-03-10T12:00:00Z";
    static readonly DateTime FromUtc = new(2026, 3, 10, 10, 0, 0, DateTimeKind.Utc), ToUtc = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    readonly TempDir dir = new();
    readonly Dictionary<string, string?> saved = [];

    void Env(string name, string? value)
    {
        if (!saved.ContainsKey(name)) saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Only the given AWS files and variables count (none of the machine's own).</summary>
    void IsolateAws(string config = "", string credentials = "")
    {
        File.WriteAllText(dir.File("config"), config);
        File.WriteAllText(dir.File("credentials"), credentials);
        Env("AWS_CONFIG_FILE", dir.File("config"));
        Env("AWS_SHARED_CREDENTIALS_FILE", dir.File("credentials"));
        foreach (var v in (string[])["AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                     "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "AWS_ENDPOINT_URL_EC2", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"])
            Env(v, null);
    }

    /// <summary>The s3rver profile (endpoint_url in the profile, keys in the credentials file).</summary>
    void UseS3rverProfile()
    {
        IsolateAws();
        s3rver.Settings(dir); // rewrites dir/config and dir/credentials with profile "s3rver"
    }

    /// <summary>Everything a cell showed or said: formatted displays and failure messages.</summary>
    static string AllText(KernelCommandResult result) => string.Join("\n",
        result.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Select(v => v.Value)
            .Concat(result.Events.OfType<CommandFailed>().Select(f => f.Message + f.Exception)));

    static void AssertNoSecrets(string text, params string[] secrets)
    {
        foreach (var s in secrets) Assert.DoesNotContain(s, text);
        Assert.DoesNotContain("X-Amz-Signature", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Signature=", text);
        Assert.DoesNotContain("X-Amz-Security-Token", text, StringComparison.OrdinalIgnoreCase);
    }

    static List<ManifestEntry> Manifest(string folder) =>
        File.ReadAllLines(Path.Combine(folder, AcquisitionManifest.FileName)).Select(l => JsonSerializer.Deserialize<ManifestEntry>(l)!).ToList();

    /// <summary>The manifest's flow-log objects (it also holds the configuration read with them: bucket state, log group retention).</summary>
    static List<ManifestEntry> Objects(string folder) =>
        Manifest(folder).Where(e => e.Source.StartsWith("s3://", StringComparison.Ordinal) || e.Source.StartsWith("cloudwatch://", StringComparison.Ordinal)).ToList();

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The progress output: shown once, updated in place, last update finished.</summary>
    static T FinalProgress<T>(KernelCommandResult result) where T : class
    {
        var shown = Assert.Single(result.Events.OfType<DisplayedValueProduced>(), e => e.Value is T);
        var updates = result.Events.OfType<DisplayedValueUpdated>().Where(u => u.ValueId == shown.ValueId).ToList();
        Assert.NotEmpty(updates);
        Assert.Contains("<progress", updates[^1].FormattedValues.Single(v => v.MimeType == "text/html").Value);
        return Assert.IsType<T>(updates[^1].Value);
    }

    [Fact]
    public async Task Collect_s3_writes_a_manifest_whose_hashes_are_the_buckets_bytes_and_a_rerun_skips_every_complete_object()
    {
        UseS3rverProfile();
        var folder = dir.File("evidence");
        using var kernel = NotebookKernel.Create();
        var first = await kernel.RunAsync($"#!flow-collect s3://{S3rverFixture.Bucket} --out \"{folder}\" --from {From} --to {To} --profile s3rver --name collected");

        var expected = s3rver.Items.Where(i => S3KeyLayout.CanHold(i.Stamp, FromUtc, ToUtc)).ToDictionary(i => i.Key);
        Assert.Equal(9, expected.Count); // 3 series × the objects that can hold 10:00–12:00
        var manifest = Objects(folder);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), manifest.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Single(Manifest(folder), e => e.Source == $"s3-config://{S3rverFixture.Bucket}"); // s3rver: versioning and lifecycle unknown
        foreach (var e in manifest)
        {
            Assert.Equal(Sha256(expected[e.Key].Bytes), e.Sha256);
            Assert.Equal(expected[e.Key].Bytes.Length, e.Size);
            Assert.Equal(Sha256(expected[e.Key].Bytes), Sha256(File.ReadAllBytes(Path.Combine(folder, e.Path))));
        }
        var progress = FinalProgress<AcquisitionProgress>(first);
        Assert.True(progress.Finished);
        Assert.Equal((9, 9, expected.Values.Sum(i => (long)i.Bytes.Length)), (progress.ObjectsTotal, progress.ObjectsDone, progress.BytesDone));
        Assert.Equal((9, 9, 0), ((int)(await kernel.ValueAsync("collected.Objects"))!, (int)(await kernel.ValueAsync("collected.Downloaded"))!,
            (int)(await kernel.ValueAsync("collected.Verified"))!));
        var card = Assert.Single(first.Events.OfType<DisplayedValueProduced>(), e => e.Value is CollectionResult).FormattedValues.Single(v => v.MimeType == "text/html").Value;
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Path.Combine(folder, AcquisitionManifest.FileName)), card);
        Assert.Contains("<th style=\"text-align:left\">Objects</th><td style=\"text-align:right\">9</td>", card);
        Assert.Contains($"<td style=\"text-align:right\">{expected.Values.Sum(i => i.Bytes.Length):N0} (", card);

        var again = await kernel.RunAsync($"#!flow-collect --target s3://{S3rverFixture.Bucket} --out \"{folder}\" --from {From} --to {To} --profile s3rver --name again");
        Assert.Equal((9, 0, 9), ((int)(await kernel.ValueAsync("again.Objects"))!, (int)(await kernel.ValueAsync("again.Downloaded"))!,
            (int)(await kernel.ValueAsync("again.Verified"))!));
        Assert.Equal(9, FinalProgress<AcquisitionProgress>(again).Verified);
        Assert.Equal(9, Objects(folder).Count); // no object appended: every one was complete and verified (the bucket state is read again)
        AssertNoSecrets(AllText(first) + AllText(again), "S3RVER");
    }

    [Fact]
    public async Task Flow_load_s3_streams_the_same_records_as_loading_the_collected_folder()
    {
        UseS3rverProfile();
        var folder = dir.File("evidence");
        using (var collector = NotebookKernel.Create())
            await collector.RunAsync($"#!flow-collect s3://{S3rverFixture.Bucket} --out \"{folder}\" --from {From} --to {To} --profile s3rver");

        using var local = NotebookKernel.Create();
        await local.RunAsync($"#!flow-load --path \"{folder}\" --name fromFolder");
        var folderRecords = (long)(await local.ValueAsync("fromFolder.Records"))!;
        Assert.Equal(27L, folderRecords); // 9 objects × 3 records

        using var streamed = NotebookKernel.Create();
        var result = await streamed.RunAsync($"#!flow-load s3://{S3rverFixture.Bucket} --from {From} --to {To} --profile s3rver --name fromS3");
        Assert.Equal(folderRecords, (long)(await streamed.ValueAsync("fromS3.Records"))!);
        Assert.Equal(9, (int)(await streamed.ValueAsync("fromS3.Objects"))!);
        Assert.Equal(folderRecords, (long)(await streamed.ValueAsync("flowCase.Summary().Flows"))!);
        var progress = FinalProgress<IngestProgress>(result);
        Assert.Equal((9, 27L), (progress.ObjectsDone, progress.Records));
        // The same SHA-256s as the acquired files: the case cites the same evidence either way.
        var hashes = (string)(await streamed.ValueAsync("string.Join(\",\", flowCase.Query(\"SELECT sha256 FROM evidence ORDER BY sha256\").Rows.Select(r => r[0]))"))!;
        Assert.Equal(string.Join(",", Objects(folder).Select(e => e.Sha256).Order(StringComparer.Ordinal)), hashes);

        // Account and region filters, repeated and comma-separated, as flownb ingest takes them.
        using var filtered = NotebookKernel.Create();
        await filtered.RunAsync($"#!flow-load s3://{S3rverFixture.Bucket} --from {From} --to {To} --profile s3rver --account {FlowBucket.AccountB} --name b");
        Assert.Equal((3, 9L), ((int)(await filtered.ValueAsync("b.Objects"))!, (long)(await filtered.ValueAsync("b.Records"))!));
        await filtered.RunAsync($"#!flow-load s3://{S3rverFixture.Bucket} --from {From} --to {To} --profile s3rver --account {FlowBucket.AccountA} --region eu-west-1 --region us-east-1 --name a");
        Assert.Equal(6, (int)(await filtered.ValueAsync("a.Objects"))!);
        await filtered.RunAsync($"#!flow-load s3://{S3rverFixture.Bucket} --from {From} --to {To} --profile s3rver --account {FlowBucket.AccountA},{FlowBucket.AccountB} --region eu-west-1 --name eu");
        // Account A's eu-west-1 objects were loaded by the cell before: the same bytes are not loaded twice.
        Assert.Equal((0, 3), ((int)(await filtered.ValueAsync("eu.Objects"))!, (int)(await filtered.ValueAsync("eu.Duplicates"))!));
        AssertNoSecrets(AllText(result), "S3RVER");
    }

    [Fact]
    public async Task Collect_cloudwatch_writes_filter_log_events_json_with_every_event_once_and_counts_the_throttle()
    {
        const string group = "/vpc/flow";
        var t0 = new DateTimeOffset(FromUtc).ToUnixTimeSeconds();
        var events = Enumerable.Range(0, 40).Select(i => new JsonObject
        {
            // 30 events from 10:00 in the group, 5 in another group, 5 after the window.
            ["_group"] = i is >= 30 and < 35 ? "/other" : group,
            ["logStreamName"] = $"eni-0abc{i % 3}-all",
            ["timestamp"] = (t0 + (i < 35 ? 60 * i : 7300 + i)) * 1000,
            ["ingestionTime"] = (t0 + 60 * i + 400) * 1000,
            ["eventId"] = $"evt-{i:D3}",
            ["message"] = $"2 123456789012 eni-0abc{i % 3} 10.0.0.{i + 1} 10.0.1.1 443 {50000 + i} 6 3 300 {t0 + 60 * i} {t0 + 60 * i + 50} ACCEPT OK",
        }).ToList();
        using var server = new FakeCloudWatchLogs(events, pageSize: 7);
        server.FailCall(2, 400, "ThrottlingException", "Rate exceeded");
        IsolateAws();
        Env("AWS_ACCESS_KEY_ID", "AKIDNOTEBOOKTEST");
        Env("AWS_SECRET_ACCESS_KEY", FakeCloudWatchLogs.Secret);
        Env("AWS_SESSION_TOKEN", FakeCloudWatchLogs.SessionToken);
        Env("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", server.Endpoint.ToString());
        var folder = dir.File("cw");
        using var kernel = NotebookKernel.Create();
        var result = await kernel.RunAsync($"#!flow-collect cloudwatch://{group} --out \"{folder}\" --from {From} --to {To} --region eu-west-1 --name cw");

        Assert.Equal(0, server.SignatureFailures);
        var entry = Assert.Single(Objects(folder));
        Assert.Equal("cloudwatch://eu-west-1/vpc/flow?from=2026-03-10T10:00:00Z&to=2026-03-10T12:00:00Z", entry.Source);
        var file = Path.Combine(folder, entry.Path);
        Assert.Equal(Sha256(File.ReadAllBytes(file)), entry.Sha256);
        var saved = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        Assert.Equal(["events", "searchedLogStreams"], saved.Select(p => p.Key));
        var ids = saved["events"]!.AsArray().Select(e => e!["eventId"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"evt-{i:D3}"), ids); // every event of the window, once, in order
        Assert.Equal((30L, 1), ((long)(await kernel.ValueAsync("cw.Records"))!, (int)(await kernel.ValueAsync("cw.Throttles"))!));
        var progress = FinalProgress<AcquisitionProgress>(result);
        Assert.Equal((30L, 1), (progress.Records, progress.Throttles));
        Assert.Contains("<th style=\"text-align:left\">Throttled calls</th><td style=\"text-align:right\">1</td>", AllText(result));
        AssertNoSecrets(AllText(result), FakeCloudWatchLogs.Secret, FakeCloudWatchLogs.SessionToken);
    }

    [Fact]
    public async Task Collect_ec2_writes_describe_flow_logs_and_describe_network_interfaces_json()
    {
        using var server = new FakeEc2();
        IsolateAws("[profile ir]\nregion = us-east-1\n", "[ir]\naws_access_key_id = AKIDEC2NOTEBOOK\naws_secret_access_key = ec2-notebook-secret-never-printed\n");
        Env("AWS_ENDPOINT_URL_EC2", server.Endpoint.ToString());
        var folder = dir.File("ec2");
        using var kernel = NotebookKernel.Create();
        var result = await kernel.RunAsync($"#!flow-collect ec2 --out \"{folder}\" --profile ir --name ec2");

        Assert.Equal(["DescribeFlowLogs", "DescribeFlowLogs", "DescribeFlowLogs+p2", "DescribeNetworkInterfaces"], server.Calls);
        var flowLogs = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "ec2", "us-east-1", "describe-flow-logs.json")))!["FlowLogs"]!.AsArray();
        Assert.Equal(["fl-1111abcd", "fl-2222abcd"], flowLogs.Select(f => f!["FlowLogId"]!.GetValue<string>()));
        var enis = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "ec2", "us-east-1", "describe-network-interfaces.json")))!["NetworkInterfaces"]!.AsArray();
        Assert.Equal("eni-0aaa1111aaaa11110", Assert.Single(enis)!["NetworkInterfaceId"]!.GetValue<string>());
        var manifest = Manifest(folder);
        Assert.Equal(["ec2/us-east-1/describe-flow-logs.json", "ec2/us-east-1/describe-network-interfaces.json"], manifest.Select(e => e.Path));
        foreach (var e in manifest) Assert.Equal(Sha256(File.ReadAllBytes(Path.Combine(folder, e.Path))), e.Sha256);
        Assert.Equal((2, 3L, 1), ((int)(await kernel.ValueAsync("ec2.Objects"))!, (long)(await kernel.ValueAsync("ec2.Records"))!,
            (int)(await kernel.ValueAsync("ec2.Throttles"))!));
        AssertNoSecrets(AllText(result), "ec2-notebook-secret-never-printed");
    }

    [Theory]
    [InlineData("#!flow-collect ftp://bucket/logs --out OUT", "Unknown source 'ftp://bucket/logs': give s3://BUCKET/PREFIX, cloudwatch://LOG-GROUP or ec2.")]
    [InlineData("#!flow-collect cloudwatch:// --out OUT", "cloudwatch:// needs a log group name")]
    [InlineData("#!flow-collect s3://flowlogs-central --out OUT --from yesterday", "--from: 'yesterday' is not a time")]
    [InlineData("#!flow-collect s3://flowlogs-central --out OUT --profile no-such-profile", "AWS profile 'no-such-profile' is not in")]
    [InlineData("#!flow-collect s3://flowlogs-central --out OUT --external-id ir-1", "give --role-arn too")]
    [InlineData("#!flow-load s3://flowlogs-central --profile no-such-profile", "AWS profile 'no-such-profile' is not in")]
    public async Task A_bad_target_or_option_fails_once_with_a_clear_message(string cell, string message)
    {
        UseS3rverProfile();
        using var kernel = NotebookKernel.Create();
        var failure = await kernel.FailAsync(cell.Replace("OUT", $"\"{dir.File("out")}\"", StringComparison.Ordinal));
        Assert.Contains(message, failure);
        Assert.DoesNotContain("   at ", failure); // no stack trace
        Assert.DoesNotContain("Exception", failure);
        AssertNoSecrets(failure, "S3RVER");
    }

    [Fact]
    public async Task Leaving_out_the_evidence_folder_fails_once_naming_out()
    {
        UseS3rverProfile();
        using var kernel = NotebookKernel.Create();
        var failure = await kernel.FailAsync($"#!flow-collect s3://{S3rverFixture.Bucket}");
        Assert.Contains("--out", failure);
        Assert.DoesNotContain("   at ", failure);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    public void Dispose()
    {
        foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        dir.Dispose();
    }
}
