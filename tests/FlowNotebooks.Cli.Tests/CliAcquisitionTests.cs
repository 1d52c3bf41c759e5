using FlowNotebooks.Tests.TestSupport;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.Cli.Tests;

/// <summary>
/// <c>flownb collect</c> and <c>flownb ingest s3://…</c> as an analyst runs them: the AWS files are found through
/// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (set for the test, restored after). In the s3rver collection, so no
/// other test in it runs while the variables are set; the other acquisition tests never read the process environment.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class CliAcquisitionTests(S3rverFixture s3rver) : IDisposable
{
    readonly TempDir dir = new();
    readonly Dictionary<string, string?> saved = [];

    void Env(string name, string? value)
    {
        if (!saved.ContainsKey(name)) saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    void UseS3rverProfile()
    {
        s3rver.Settings(dir); // writes dir/config and dir/credentials with profile "s3rver"
        Env("AWS_CONFIG_FILE", dir.File("config"));
        Env("AWS_SHARED_CREDENTIALS_FILE", dir.File("credentials"));
    }

    [Fact]
    public void Collect_s3_then_rerun_then_ingest_the_folder_and_stream_the_same_window()
    {
        UseS3rverProfile();
        string[] window = ["--from", "2026-03-10T10:00:00Z", "--to", "2026-03-10T12:00:00Z", "--profile", "s3rver", "--quiet"];
        var folder = dir.File("evidence");
        var first = Run(["collect", $"s3://{S3rverFixture.Bucket}", "--out", folder, .. window]);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("9 objects in the window (9 downloaded, 0 already complete and verified, 0 fetched again)", first.Out);

        var second = Run(["collect", $"s3://{S3rverFixture.Bucket}", "--out", folder, .. window]);
        Assert.Contains("(0 downloaded, 9 already complete and verified, 0 fetched again)", second.Out);

        var local = Run("ingest", folder, "--case", dir.File("local.duckdb"), "--quiet");
        Assert.True(local.Code == 0, local.Err);
        Assert.Contains("27 records, 0 rejects", local.Out);

        var streamed = Run(["ingest", $"s3://{S3rverFixture.Bucket}", "--case", dir.File("stream.duckdb"), "--account", FlowBucket.AccountB, .. window]);
        Assert.True(streamed.Code == 0, streamed.Err);
        Assert.Contains("Read 3 objects", streamed.Out); // account B only
        Assert.Contains("9 records, 0 rejects", streamed.Out);
        Assert.DoesNotContain("S3RVER", first.Out + first.Err + second.Out + streamed.Out + streamed.Err);
    }

    [Fact]
    public void Collect_cloudwatch_via_the_endpoint_environment_variable()
    {
        using var server = new FakeCloudWatchLogs([
            new System.Text.Json.Nodes.JsonObject
            {
                ["_group"] = "/vpc/flow", ["logStreamName"] = "eni-0abc", ["timestamp"] = 1773136800000, ["ingestionTime"] = 1773137200000, ["eventId"] = "1",
                ["message"] = "2 123456789012 eni-0abc 10.0.0.1 10.0.0.2 443 50000 6 3 300 1773136800 1773136860 ACCEPT OK",
            },
        ], pageSize: 10);
        File.WriteAllText(dir.File("credentials"), $"[default]\naws_access_key_id = AKIDCLI\naws_secret_access_key = {FakeCloudWatchLogs.Secret}\naws_session_token = {FakeCloudWatchLogs.SessionToken}\n");
        File.WriteAllText(dir.File("config"), "[default]\nregion = us-east-2\n");
        Env("AWS_CONFIG_FILE", dir.File("config"));
        Env("AWS_SHARED_CREDENTIALS_FILE", dir.File("credentials"));
        Env("AWS_PROFILE", "default");
        Env("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", server.Endpoint.ToString());
        var r = Run("collect", "cloudwatch:///vpc/flow", "--out", dir.File("cw"), "--quiet");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("cloudwatch://us-east-2/vpc/flow: 1 events in 1 pages", r.Out); // the profile's region

        // Several regions in one run: one query and one file per region, each signed for its own region.
        var multi = Run("collect", "cloudwatch:///vpc/flow", "--out", dir.File("cw"), "--region", "eu-west-1", "--region", "ap-south-1", "--quiet");
        Assert.True(multi.Code == 0, multi.Err);
        Assert.Contains("cloudwatch://eu-west-1/vpc/flow: 1 events", multi.Out);
        Assert.Contains("cloudwatch://ap-south-1/vpc/flow: 1 events", multi.Out);
        Assert.Equal(0, server.SignatureFailures);
        // Per region: the events file and the log group's describe-log-groups (its retention clock).
        var manifest = File.ReadAllLines(Path.Combine(dir.File("cw"), AcquisitionManifest.FileName));
        Assert.Equal(6, manifest.Length);
        Assert.Equal(3, manifest.Count(l => l.Contains("describe-log-groups.json", StringComparison.Ordinal)));
        Assert.DoesNotContain(FakeCloudWatchLogs.SessionToken, r.Out + r.Err);
        Assert.DoesNotContain(FakeCloudWatchLogs.Secret, r.Out + r.Err);
    }

    [Fact]
    public void An_unknown_profile_is_one_clear_line_and_exit_code_1()
    {
        UseS3rverProfile();
        var r = Run("collect", $"s3://{S3rverFixture.Bucket}", "--out", dir.File("x"), "--profile", "no-such-profile", "--quiet");
        Assert.Equal(1, r.Code);
        Assert.StartsWith("flownb: AWS profile 'no-such-profile' is not in", r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    public void Dispose()
    {
        foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        dir.Dispose();
    }
}
