using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli.Tests;

/// <summary>A scenario as AWS delivers it (S3 text objects, describe-* JSON), loaded into a local case, for the Athena run to match.</summary>
public sealed class AthenaScenarioBucket : IDisposable
{
    public AthenaScenarioBucket()
    {
        CaseGenerator.Generate(ScenarioCatalog.Find("vpc-compromise"), new ScenarioOptions(Formats: CaseFormats.Text), Folder.Path);
        Key = AnswerKey.Load(Path.Combine(Folder.Path, CaseGenerator.AnswerKeyFile));
        BucketFolder = Directory.GetDirectories(Path.Combine(Folder.Path, "s3")).Single();
        using var local = CaseStore.Open(LocalCase);
        new EvidenceLoader(local).Load([Folder.Path]);
        CountedFlows.EnsureCurrent(local);
        var span = local.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        (From, To) = ((DateTime)span[0]!, ((DateTime)span[1]!).AddSeconds(1));
        Account = S3KeyLayoutAccount();
    }

    public TempDir Folder { get; } = new();
    readonly TempDir cases = new();
    public string LocalCase => cases.File("local.duckdb");
    public AnswerKey Key { get; }
    /// <summary>The bucket's objects on disk: AWSLogs/… below it.</summary>
    public string BucketFolder { get; }
    public DateTime From { get; }
    public DateTime To { get; }
    public string Account { get; }
    /// <summary>The prefix the objects were uploaded under in s3rver's bucket (once per test run).</summary>
    public string? Prefix { get; set; }

    public string Config => Path.Combine(Folder.Path, "describe-flow-logs.json");

    /// <summary>The analyst's configuration documents: interfaces, flow logs, the bucket's state.</summary>
    public IEnumerable<string> Inventory => Directory.GetFiles(Folder.Path, "describe-*.json")
        .Concat(Directory.GetFiles(Path.Combine(Folder.Path, "s3-buckets"), "*.json")).Order(StringComparer.Ordinal);

    string S3KeyLayoutAccount() => Path.GetFileName(Directory.GetDirectories(Path.Combine(BucketFolder, "AWSLogs")).Single());

    public void Dispose()
    {
        Folder.Dispose();
        cases.Dispose();
    }
}

/// <summary>
/// <c>flownb analyze PROCEDURE --athena …</c> end to end on loopback: the real client (SigV4, paging, polling) against the
/// Athena stand-in, which runs each statement as received on a local DuckDB over the tables <c>flownb athena create</c>
/// would make (<see cref="AthenaOnDuckDb"/>); scan estimates from s3rver's listing of the same objects; cited objects
/// fetched from s3rver. One profile (s3rver's key pair and a session token) reaches both, as on AWS; the stand-ins are
/// found the analyst's way (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL_ATHENA, set and restored).
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class AthenaAnalyzeEndToEndTests : IClassFixture<AthenaScenarioBucket>, IDisposable
{
    const string WorkGroup = AthenaLoopback.WorkGroup;
    readonly AthenaScenarioBucket scenario;
    readonly TempDir dir = new();
    readonly AthenaLoopback loopback;
    readonly FakeAthena athena;
    readonly IReadOnlyList<AthenaFlowTableDefinition> tables;

    public AthenaAnalyzeEndToEndTests(S3rverFixture s3rver, AthenaScenarioBucket scenario)
    {
        this.scenario = scenario;
        scenario.Prefix ??= AthenaLoopback.Upload(s3rver, scenario.BucketFolder);
        loopback = new AthenaLoopback(s3rver, scenario.BucketFolder, scenario.Prefix, scenario.Config, scenario.Account, "eu-west-1");
        athena = loopback.Athena;
        tables = loopback.Tables;
    }

    void AddWorkGroup(long? cutoff) => loopback.AddWorkGroup(cutoff);

    string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    string[] Window(string procedure) =>
        ["-p", $"from={Iso(scenario.From)}", "-p", $"to={Iso(scenario.To)}", .. ProcedureRegistry.Get(procedure).Parameters.Any(p => p.Name == "internal_cidrs")
            ? new[] { "-p", $"internal_cidrs={scenario.Key.VpcCidr}" } : []];

    (int Code, string Out, string Err) RunOnAthena(string procedure, params string[] more) =>
        RunWithInventory(procedure, [.. scenario.Inventory.SelectMany(f => new[] { "--inventory", f }), .. more]);

    (int Code, string Out, string Err) RunWithInventory(string procedure, string[] more) => CliRunner.Run(
    [
        "analyze", procedure, "--athena", "--workgroup", WorkGroup, "--config", scenario.Config, "--account", scenario.Account, "--region", "eu-west-1",
        "--bucket", loopback.BucketUri, "--database", AthenaLoopback.Database, "--profile", AthenaLoopback.Profile, .. Window(procedure), .. more,
    ]);

    /// <summary>One statement's scan as the test reckons it from the objects themselves: every object under each table's
    /// day folders, the window's UTC days padded by a day each side (AWS names folders by delivery time).</summary>
    (long Bytes, int Objects) ExpectedScan()
    {
        var first = DateOnly.FromDateTime(scenario.From).AddDays(-1);
        var last = DateOnly.FromDateTime(scenario.To.AddTicks(-1)).AddDays(1);
        var files = Directory.GetFiles(scenario.BucketFolder, "*", SearchOption.AllDirectories)
            .Select(f => (Key: Path.GetRelativePath(scenario.BucketFolder, f).Replace('\\', '/'), Size: new FileInfo(f).Length)).ToList();
        long bytes = 0;
        var objects = 0;
        foreach (var t in tables)
            for (var d = first; d <= last; d = d.AddDays(1))
            {
                var folder = $"AWSLogs/{scenario.Account}/vpcflowlogs/eu-west-1/{d:yyyy'/'MM'/'dd}/";
                foreach (var f in files.Where(f => f.Key.StartsWith(folder, StringComparison.Ordinal)))
                {
                    bytes += f.Size;
                    objects++;
                }
            }
        return (bytes, objects);
    }

    static string Shown(JsonNode f) => string.Join("\n", f["severity"]!.GetValue<string>(), f["technique"]?.GetValue<string>() ?? "", f["title"]!.GetValue<string>(),
        f["statement"]!.GetValue<string>(), f["facts"]!.ToJsonString());

    /// <summary>(key from AWSLogs/, SHA-256, lines) of each object a finding cites.</summary>
    static List<string> Cited(JsonNode f) => f["evidence"]!.AsArray()
        .Select(e => $"{KeyOf(e!["object"]!.GetValue<string>())} {e["sha256"]!.GetValue<string>()} [{string.Join(",", e["lines"]!.AsArray().Select(l => l!.GetValue<long>()))}]")
        .Order(StringComparer.Ordinal).ToList();

    static string KeyOf(string o) => o[o.IndexOf("AWSLogs/", StringComparison.Ordinal)..].Replace('\\', '/');

    [Theory]
    [InlineData("exfil-ledger")]
    [InlineData("lateral-movement")]
    public void A_procedure_on_athena_gives_the_local_findings_citing_the_objects_fetched_and_hashed(string procedure)
    {
        var (perStatement, objects) = ExpectedScan();
        AddWorkGroup(cutoff: perStatement); // exactly one statement's scan: allowed
        var fetched = dir.File("cited");
        var (code, output, error) = RunOnAthena(procedure, "--json", "--fetch-cited", fetched);
        Assert.True(code == 0, error);
        var (localCode, localOutput, localError) = CliRunner.Run(["analyze", procedure, "--case", scenario.LocalCase, "--json", .. Window(procedure)]);
        Assert.True(localCode == 0, localError);
        var remote = JsonNode.Parse(output)!;
        var local = JsonNode.Parse(localOutput)!;

        // The same table, coverage and findings as the local run.
        Assert.Equal(local["table"]!.ToJsonString(), remote["table"]!.ToJsonString());
        Assert.Equal(local["tables"]!.ToJsonString(), remote["tables"]!.ToJsonString());
        Assert.Equal(local["coverage"]!.GetValue<string>(), remote["coverage"]!.GetValue<string>());
        var localFindings = local["findings"]!.AsArray();
        var remoteFindings = remote["findings"]!.AsArray();
        Assert.NotEmpty(localFindings);
        Assert.Equal(localFindings.Select(f => Shown(f!)), remoteFindings.Select(f => Shown(f!)));
        // Each finding cites the same objects by the same SHA-256 and the same lines: the objects were fetched whole from
        // S3 and hashed, and the rows Athena returned were found again in them.
        var cited = 0;
        foreach (var (l, r) in localFindings.Zip(remoteFindings))
        {
            Assert.Equal(Cited(l!), Cited(r!));
            foreach (var e in r!["evidence"]!.AsArray())
            {
                var uri = e!["object"]!.GetValue<string>();
                Assert.StartsWith($"s3://{S3rverFixture.Bucket}/{scenario.Prefix}/AWSLogs/", uri);
                var file = Path.Combine(fetched, S3rverFixture.Bucket, uri[$"s3://{S3rverFixture.Bucket}/".Length..]);
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), e["sha256"]!.GetValue<string>());
                cited++;
            }
        }
        Assert.True(cited > 0, "the findings must cite records");

        // Which engine produced which figure, with the query execution ids the stand-in gave.
        var starts = athena.CallsOf("StartQueryExecution");
        Assert.Equal(loopback.Duck.Statements, starts.Select(s => s["QueryString"]!.GetValue<string>()));
        Assert.Equal(5, starts.Count);
        Assert.All(starts, s => Assert.Equal(WorkGroup, s["WorkGroup"]!.GetValue<string>()));
        Assert.All(starts, s => Assert.Equal("forensics", s["QueryExecutionContext"]!["Database"]!.GetValue<string>()));
        Assert.Equal(starts.Count, starts.Select(s => s["ClientRequestToken"]!.GetValue<string>()).Distinct().Count());
        var note = Assert.Single(remote["notes"]!.AsArray(), n => n!.GetValue<string>().StartsWith("Computed on Athena engine version 3 (Trino), workgroup forensics", StringComparison.Ordinal))!.GetValue<string>();
        foreach (var id in athena.CallsOf("GetQueryExecution").Select(c => c["QueryExecutionId"]!.GetValue<string>()).Distinct())
            Assert.Contains(id, note);
        Assert.Contains("Computed on the local DuckDB from those", note);

        // Bytes scanned and the cost: every statement reads every table's padded days, as the test reckons them.
        var statements = starts.Count;
        var usd = AthenaCostGuard.EstimateUsd(perStatement) * statements;
        Assert.Contains($"Athena scan estimate: about {AthenaSizes.Format(perStatement)} in {objects} objects", error);
        Assert.Contains($"about {AthenaSizes.Format(perStatement * statements)} in all", error);
        Assert.Contains($"workgroup forensics cuts queries off at {AthenaSizes.Format(perStatement)}", error);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Athena run: {statements} queries, {AthenaSizes.Format(perStatement * statements)} scanned, estimated cost ${usd:0.######}."), error);
        AthenaLoopback.AssertNoSecrets(output + error);
    }

    [Fact]
    public void A_run_over_max_scan_is_refused_with_the_estimate_the_partitions_and_how_to_raise_it_and_nothing_is_sent()
    {
        AddWorkGroup(cutoff: null);
        var (perStatement, objects) = ExpectedScan();
        var (code, output, error) = RunOnAthena("exfil-ledger", "--max-scan", "1MB");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        var total = perStatement * 5;
        Assert.True(total > 1_000_000, "the scenario must hold more than the limit");
        Assert.Contains($"Refused before sending anything to Athena: the window's partitions hold about {AthenaSizes.Format(perStatement)} in {objects} objects", error);
        Assert.Contains($"about {AthenaSizes.Format(total)} in all, above --max-scan 1 MB", error);
        var first = DateOnly.FromDateTime(scenario.From).AddDays(-1);
        Assert.Contains($"Partitions read: s3://{S3rverFixture.Bucket}/{scenario.Prefix}/AWSLogs/{scenario.Account}/vpcflowlogs/eu-west-1/{first:yyyy'/'MM'/'dd}/", error);
        Assert.Contains($"raise the limit with --max-scan {(total + 999_999) / 1_000_000}MB", error);
        Assert.Empty(athena.CallsOf("StartQueryExecution"));
        AthenaLoopback.AssertNoSecrets(output + error);

        // With the limit it suggests, the same run goes ahead; here the inventory comes from a case file, which the run
        // copies and leaves as it was.
        var inventory = dir.File("inventory.duckdb");
        using (var store = CaseStore.Open(inventory)) new EvidenceLoader(store).Load(scenario.Inventory.ToList());
        var before = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(inventory)));
        var (raised, raisedOutput, raisedError) = RunWithInventory("exfil-ledger", ["--case", inventory, "--max-scan", $"{(total + 999_999) / 1_000_000}MB", "--json"]);
        Assert.True(raised == 0, raisedError);
        Assert.Equal(5, athena.CallsOf("StartQueryExecution").Count);
        // The exfiltration through the NAT gateway is attributed: the inventory (interfaces) was there.
        Assert.Contains(JsonNode.Parse(raisedOutput)!["findings"]!.AsArray(), f => f!["technique"]?.GetValue<string>() == "T1048");
        Assert.Equal(before, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(inventory))));
    }

    [Fact]
    public void The_workgroups_per_query_cutoff_is_honoured_before_anything_is_sent()
    {
        var (perStatement, _) = ExpectedScan();
        AddWorkGroup(cutoff: perStatement - 1);
        var (code, _, error) = RunOnAthena("exfil-ledger");
        Assert.Equal(1, code);
        Assert.Contains($"above workgroup forensics's per-query cutoff of {AthenaSizes.Format(perStatement - 1)} (BytesScannedCutoffPerQuery)", error);
        Assert.Single(athena.CallsOf("GetWorkGroup"));
        Assert.Empty(athena.CallsOf("StartQueryExecution"));
        AthenaLoopback.AssertNoSecrets(error);
    }

    public void Dispose()
    {
        loopback.Dispose();
        dir.Dispose();
    }
}
