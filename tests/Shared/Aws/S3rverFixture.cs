using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// Runs s3rver (build/node/s3rver-loopback.js over the npm package that build/install-test-deps.sh installs) on 127.0.0.1 at a free port for the test
/// collection, and fills bucket <see cref="Bucket"/> with <see cref="FlowBucket"/>'s objects. s3rver checks SigV4
/// signatures with its fixed key pair S3RVER/S3RVER, so the SDK's signing is exercised for real.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "flowlogs-central";
    Process? server;
    string? data;
    readonly System.Text.StringBuilder log = new();

    public int Port { get; private set; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");
    public IReadOnlyList<FlowBucket.Item> Items { get; } = FlowBucket.Items();

    public async Task InitializeAsync()
    {
        var script = Path.Combine(TestPaths.RepoRoot, "build", "node", "s3rver-loopback.js");
        if (!File.Exists(Path.Combine(TestPaths.RepoRoot, "build", "node", "node_modules", "s3rver", "package.json")))
            throw new InvalidOperationException("s3rver is not installed (build/node/node_modules/s3rver missing): run build/install-test-deps.sh.");
        data = Directory.CreateTempSubdirectory("flownb-s3rver-").FullName;
        Port = Loopback.FreePort();
        // --openssl-legacy-provider: s3rver's continuation tokens use DES (see build/node/s3rver-loopback.js).
        var psi = new ProcessStartInfo("node", ["--openssl-legacy-provider", script, data, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Bucket])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.Combine(TestPaths.RepoRoot, "build", "node"),
        };
        server = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException($"s3rver exited ({server.ExitCode}): {Log}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        using var s3 = Client();
        // The bucket is created by --configure-bucket when s3rver is ready to serve; wait for it.
        for (var i = 0; ; i++)
        {
            try
            {
                await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 });
                break;
            }
            catch (AmazonS3Exception) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
        foreach (var item in Items)
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = item.Key, InputStream = new MemoryStream(item.Bytes), UseChunkEncoding = false });
    }

    public string Log { get { lock (log) return log.ToString(); } }

    /// <summary>A plain SDK client for arranging data (not the code under test).</summary>
    public IAmazonS3 Client() => new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Settings the code under test gets: a profile in temp shared files whose endpoint_url is this server.</summary>
    public AwsSettings Settings(TempDir dir, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        File.WriteAllText(dir.File("config"), $"""
            [profile s3rver]
            region = us-east-1
            endpoint_url = {Endpoint}
            """);
        File.WriteAllText(dir.File("credentials"), """
            [s3rver]
            aws_access_key_id = S3RVER
            aws_secret_access_key = S3RVER
            """);
        return new AwsSettings
        {
            Profile = "s3rver", ConfigFile = dir.File("config"), CredentialsFile = dir.File("credentials"),
            Environment = _ => null, WrapHandler = wrap,
            Retry = new AwsRetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(2), MaxDelay = TimeSpan.FromMilliseconds(20) },
        };
    }

    public Task DisposeAsync()
    {
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(5000);
        }
        server?.Dispose();
        if (data is not null) try { Directory.Delete(data, true); } catch (IOException) { }
        return Task.CompletedTask;
    }

}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
