using System.Text.Json.Nodes;
using Amazon.S3.Model;
using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// Athena and S3 on loopback for a run of procedures on Athena: a bucket's objects uploaded to s3rver under a prefix of
/// their own, the Athena stand-in answering with <see cref="AthenaOnDuckDb"/> over the same objects, and one AWS profile
/// ("incident": s3rver's key pair and a session token, s3rver as its endpoint) found the analyst's way through
/// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, with AWS_ENDPOINT_URL_ATHENA naming the stand-in. The process
/// environment is restored on dispose, so users belong to the s3rver collection (its tests run one at a time).
/// </summary>
public sealed class AthenaLoopback : IDisposable
{
    public const string Profile = "incident";
    public const string WorkGroup = "forensics";
    public const string Database = "forensics";
    /// <summary>The secret of the profile (s3rver's fixed one): no output may carry it, nor the session token.</summary>
    public const string Secret = "S3RVER";
    readonly TempDir dir = new();
    readonly Dictionary<string, string?> saved = [];

    /// <param name="bucketFolder">The bucket's objects on disk (AWSLogs/… below it), uploaded under <paramref name="prefix"/>.</param>
    public AthenaLoopback(S3rverFixture s3rver, string bucketFolder, string prefix, string config, string account, string region)
    {
        Prefix = prefix;
        TableOptions = new AthenaTableOptions
        {
            Database = Database, Accounts = [account], Regions = [region], Bucket = new FlowNotebooks.Sources.Aws.S3Location(S3rverFixture.Bucket, prefix),
        };
        Tables = AthenaTableSetup.PlanFromFile(config, TableOptions).Tables;
        Duck = new AthenaOnDuckDb(bucketFolder, Tables);
        Athena = new FakeAthena(secret: Secret, sessionToken: FakeCloudWatchLogs.SessionToken) { Engine = Duck.Run };
        File.WriteAllText(dir.File("config"), $"[profile {Profile}]\nregion = us-east-1\nendpoint_url = {s3rver.Endpoint}\n");
        File.WriteAllText(dir.File("credentials"),
            $"[{Profile}]\naws_access_key_id = {Secret}\naws_secret_access_key = {Secret}\naws_session_token = {FakeCloudWatchLogs.SessionToken}\n");
        foreach (var v in (string[])["AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                     "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"])
            Env(v, null);
        Env("AWS_CONFIG_FILE", dir.File("config"));
        Env("AWS_SHARED_CREDENTIALS_FILE", dir.File("credentials"));
        Env("AWS_ENDPOINT_URL_ATHENA", Athena.Endpoint.ToString());
    }

    public string Prefix { get; }
    public AthenaTableOptions TableOptions { get; }
    /// <summary>The tables <c>flownb athena create</c> makes from the config with these options.</summary>
    public IReadOnlyList<AthenaFlowTableDefinition> Tables { get; }
    public AthenaOnDuckDb Duck { get; }
    public FakeAthena Athena { get; }
    public string BucketUri => $"s3://{S3rverFixture.Bucket}/{Prefix}";

    /// <summary>Uploads the bucket's objects to s3rver under a new prefix and returns it.</summary>
    public static string Upload(S3rverFixture s3rver, string bucketFolder)
    {
        var prefix = $"athena-{Guid.NewGuid():N}";
        using var s3 = s3rver.Client();
        foreach (var f in Directory.GetFiles(bucketFolder, "*", SearchOption.AllDirectories))
            s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = S3rverFixture.Bucket, Key = prefix + "/" + Path.GetRelativePath(bucketFolder, f).Replace('\\', '/'),
                FilePath = f, UseChunkEncoding = false,
            }).GetAwaiter().GetResult();
        return prefix;
    }

    /// <summary>The workgroup GetWorkGroup describes: engine version 3, results location, and the per-query cutoff if any.</summary>
    public void AddWorkGroup(long? cutoff)
    {
        var configuration = new JsonObject
        {
            ["ResultConfiguration"] = new JsonObject { ["OutputLocation"] = "s3://results-bucket/forensics/" },
            ["EnforceWorkGroupConfiguration"] = true,
            ["EngineVersion"] = new JsonObject { ["SelectedEngineVersion"] = "AUTO", ["EffectiveEngineVersion"] = "Athena engine version 3" },
        };
        if (cutoff is { } c) configuration["BytesScannedCutoffPerQuery"] = c;
        Athena.AddWorkGroup(WorkGroup, configuration);
    }

    /// <summary>No credential, signature or session token in <paramref name="text"/>.</summary>
    public static void AssertNoSecrets(string text)
    {
        Assert.DoesNotContain(FakeCloudWatchLogs.SessionToken, text);
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain("Signature=", text);
        Assert.DoesNotContain("X-Amz-Security-Token", text, StringComparison.OrdinalIgnoreCase);
    }

    void Env(string name, string? value)
    {
        if (!saved.ContainsKey(name)) saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        Athena.Dispose();
        Duck.Dispose();
        dir.Dispose();
    }
}
