using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Acquisition;

public sealed class CloudWatchTests
{
    const string Group = "/vpc/flowlogs/prod";
    static readonly DateTime T0 = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    static readonly DateTime From = new(2026, 3, 10, 10, 0, 0, DateTimeKind.Utc);
    static readonly DateTime To = new(2026, 3, 10, 11, 0, 0, DateTimeKind.Utc);
    static readonly string[] Streams = ["eni-0aaa1111aaaa11110-all", "eni-0bbb2222bbbb22220-all", "eni-0ccc3333cccc33330-reject"];

    /// <summary>Three hours of events every 20 s across three streams, plus noise in another group; sorted as the service returns them.</summary>
    static List<JsonObject> Events()
    {
        var list = new List<JsonObject>();
        for (var i = 0; i < 540; i++)
        {
            var stream = Streams[i % 3];
            var start = T0.AddSeconds(20 * i);
            var s = new DateTimeOffset(start).ToUnixTimeSeconds();
            var eni = stream[..21];
            var action = stream.EndsWith("-reject", StringComparison.Ordinal) ? "REJECT" : "ACCEPT";
            list.Add(new JsonObject
            {
                ["_group"] = i % 50 == 7 ? "/other/group" : Group,
                ["logStreamName"] = stream,
                ["timestamp"] = s * 1000,
                ["message"] = $"2 123456789012 {eni} 10.0.1.{i % 200 + 1} 203.0.113.{i % 7 + 1} {49152 + i} 443 6 {i % 9 + 1} {(i + 1) * 60} {s} {s + 55} {action} OK",
                ["ingestionTime"] = (s + 400) * 1000 + i % 1000,
                ["eventId"] = (38_000_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture) + "0000000000000000000000000000000000",
            });
        }
        return list;
    }

    static AwsSettings Settings(TempDir dir, FakeCloudWatchLogs server)
    {
        // The endpoint comes from the profile's services section, one of the AWS override conventions.
        File.WriteAllText(dir.File("config"), $"""
            [profile forensics]
            region = eu-central-1
            services = loopback

            [services loopback]
            cloudwatch_logs =
              endpoint_url = {server.Endpoint}
            """);
        File.WriteAllText(dir.File("credentials"), $"""
            [forensics]
            aws_access_key_id = AKIDCWLTEST
            aws_secret_access_key = {FakeCloudWatchLogs.Secret}
            aws_session_token = {FakeCloudWatchLogs.SessionToken}
            """);
        return new AwsSettings
        {
            Profile = "forensics", ConfigFile = dir.File("config"), CredentialsFile = dir.File("credentials"), Environment = _ => null,
            Retry = new AwsRetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(2), MaxDelay = TimeSpan.FromMilliseconds(10) },
        };
    }

    static List<JsonObject> Expected(List<JsonObject> all, DateTime from, DateTime to, TimeSpan lookBack)
    {
        var start = new DateTimeOffset(from - lookBack).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(to).ToUnixTimeMilliseconds();
        return all.Where(e => e["_group"]!.GetValue<string>() == Group && e["timestamp"]!.GetValue<long>() >= start && e["timestamp"]!.GetValue<long>() < end).ToList();
    }

    [Fact]
    public async Task Paged_throttled_collection_saves_every_event_once_in_order_in_the_cli_shape_the_loader_reads()
    {
        var all = Events();
        using var server = new FakeCloudWatchLogs(all, pageSize: 7);
        server.FailCall(2, 400, "ThrottlingException", "Rate exceeded");
        server.FailCall(5, 400, "ThrottlingException", "Rate exceeded");
        server.FailCall(9, 500, "ServiceUnavailableException", "The service is unavailable");
        using var dir = new TempDir();
        var settings = Settings(dir, server);
        var progress = new List<AcquisitionProgress>();
        var folder = dir.File("evidence");
        var sel = new CloudWatchSelection(Group) { From = From, To = To };

        var result = await CloudWatchCollector.CollectAsync(settings, sel, folder, new SyncProgress<AcquisitionProgress>(progress.Add));

        var expected = Expected(all, From, To, sel.LookBack);
        Assert.Equal(0, server.SignatureFailures);
        Assert.Equal(220, expected.Count); // 09:45 to 10:59:40 is 225 events (3 a minute), 5 of them in the other group
        var root = JsonNode.Parse(File.ReadAllText(result.File))!.AsObject();
        Assert.Equal(["events", "searchedLogStreams"], root.Select(p => p.Key));
        var saved = root["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(expected.Select(e => e["eventId"]!.GetValue<string>()), saved.Select(e => e["eventId"]!.GetValue<string>()));
        Assert.Equal(saved.Count, saved.Select(e => e["eventId"]!.GetValue<string>()).Distinct().Count());
        Assert.All(saved, e => Assert.Equal(["logStreamName", "timestamp", "message", "ingestionTime", "eventId"], e.Select(p => p.Key)));
        Assert.Equal(Streams.Order(StringComparer.Ordinal), root["searchedLogStreams"]!.AsArray().Select(s => s!["logStreamName"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.StartsWith("{\n    \"events\": [\n        {\n            \"logStreamName\": ", File.ReadAllText(result.File).ReplaceLineEndings("\n"));
        Assert.Equal((220, 32), (result.Events, result.Pages)); // 220 / 7 a page

        // The requests asked for the window (with the look-back) and followed every token.
        Assert.All(server.Requests, r => Assert.Equal(new DateTimeOffset(From.AddMinutes(-15)).ToUnixTimeMilliseconds(), r["startTime"]!.GetValue<long>()));
        Assert.All(server.Requests, r => Assert.Equal(new DateTimeOffset(To).ToUnixTimeMilliseconds() - 1, r["endTime"]!.GetValue<long>()));
        Assert.Equal(32 + 3, server.Requests.Count); // every page once, plus the three failed calls
        var last = progress[^1];
        Assert.Equal((2, 3, 220L), (last.Throttles, last.Retries, last.Records));

        // The manifest records it, and the engine's loader reads it as any analyst-collected filter-log-events file.
        var entry = Assert.Single(File.ReadAllLines(Path.Combine(folder, AcquisitionManifest.FileName)));
        Assert.Contains(result.Entry.Sha256, entry);
        using var store = CaseStore.Open();
        var summary = new EvidenceLoader(store).Load([folder]);
        Assert.Equal(220, summary.Records);
        Assert.Equal(0, summary.Rejects);
        Assert.Equal(3L, store.Scalar<long>("SELECT count(DISTINCT interface_id) FROM flows"));
        Assert.Equal("cloudwatch-json", store.Scalar<string>("SELECT kind FROM evidence WHERE object LIKE '%filter-log-events%'"));
        var firstMessage = expected[0]["message"]!.GetValue<string>().Split(' ');
        Assert.Equal(long.Parse(firstMessage[9], CultureInfo.InvariantCulture), store.Scalar<long>($"SELECT bytes FROM flows WHERE srcport = {firstMessage[5]}"));

        // Nothing secret anywhere the run leaves traces.
        foreach (var text in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(File.ReadAllText).Concat(progress.Select(p => p.ToString())))
        {
            Assert.DoesNotContain(FakeCloudWatchLogs.Secret, text);
            Assert.DoesNotContain(FakeCloudWatchLogs.SessionToken, text);
            Assert.DoesNotContain("Signature=", text);
        }
    }

    [Fact]
    public async Task Stream_names_and_prefix_reach_the_service_and_narrow_the_result()
    {
        var all = Events();
        using var server = new FakeCloudWatchLogs(all, pageSize: 50);
        using var dir = new TempDir();
        var settings = Settings(dir, server);
        var byPrefix = await CloudWatchCollector.CollectAsync(settings, new CloudWatchSelection(Group) { StreamPrefix = "eni-0ccc", From = From, To = To, LookBack = TimeSpan.Zero }, dir.File("a"));
        var events = JsonNode.Parse(File.ReadAllText(byPrefix.File))!["events"]!.AsArray();
        Assert.Equal(Expected(all, From, To, TimeSpan.Zero).Count(e => e["logStreamName"]!.GetValue<string>() == Streams[2]), events.Count);
        Assert.All(events, e => Assert.Equal(Streams[2], e!["logStreamName"]!.GetValue<string>()));
        Assert.Equal("eni-0ccc", server.Requests[0]["logStreamNamePrefix"]!.GetValue<string>());

        var byName = await CloudWatchCollector.CollectAsync(settings, new CloudWatchSelection(Group) { Streams = [Streams[0], Streams[1]] }, dir.File("b"));
        Assert.Equal(all.Count(e => e["_group"]!.GetValue<string>() == Group && e["logStreamName"]!.GetValue<string>() != Streams[2]), byName.Events);
        Assert.Null(server.Requests[^1]["startTime"]);
    }

    [Fact]
    public async Task Expired_token_stops_with_a_clear_message_and_leaves_no_file_marked_complete()
    {
        using var server = new FakeCloudWatchLogs(Events(), pageSize: 10);
        server.FailCall(3, 400, "ExpiredTokenException", "The security token included in the request is expired");
        using var dir = new TempDir();
        var folder = dir.File("evidence");
        var ex = await Assert.ThrowsAsync<AwsAcquisitionException>(() =>
            CloudWatchCollector.CollectAsync(Settings(dir, server), new CloudWatchSelection(Group) { From = From, To = To }, folder));
        Assert.Contains("expired", ex.Message);
        Assert.Contains("aws sso login --profile forensics", ex.Message);
        Assert.DoesNotContain(FakeCloudWatchLogs.Secret, ex.ToString());
        Assert.DoesNotContain(FakeCloudWatchLogs.SessionToken, ex.ToString());
        Assert.Equal(3, server.Requests.Count); // not retried: a new token is needed, not patience
        Assert.Empty(Directory.EnumerateFiles(folder, "*.json*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(folder, AcquisitionManifest.FileName)));
    }

    [Fact]
    public async Task Persistent_throttling_gives_up_after_the_retry_budget_with_a_clear_message()
    {
        using var server = new FakeCloudWatchLogs(Events(), pageSize: 10);
        for (var i = 1; i <= 4; i++) server.FailCall(i, 400, "ThrottlingException", "Rate exceeded");
        using var dir = new TempDir();
        var ex = await Assert.ThrowsAsync<AwsAcquisitionException>(() =>
            CloudWatchCollector.CollectAsync(Settings(dir, server), new CloudWatchSelection(Group), dir.File("evidence")));
        Assert.Contains("throttled", ex.Message);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task Stream_into_the_case_loads_the_events_without_an_evidence_folder()
    {
        var all = Events();
        using var server = new FakeCloudWatchLogs(all, pageSize: 100);
        using var dir = new TempDir();
        using var store = CaseStore.Open();
        var summary = await EvidenceIntake.CloudWatchAsync(store, new IngestOptions(), Settings(dir, server), new CloudWatchSelection(Group) { From = From, To = To });
        Assert.Equal(Expected(all, From, To, TimeSpan.FromMinutes(15)).Count, summary.Records);
        Assert.StartsWith("cloudwatch://eu-central-1/vpc/flowlogs/prod?from=2026-03-10T10:00:00Z", store.Scalar<string>("SELECT object FROM evidence"));
    }
}
