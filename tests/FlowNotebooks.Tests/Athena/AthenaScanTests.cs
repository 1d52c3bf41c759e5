using System.Text.Json.Nodes;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Athena;

/// <summary>Scan estimates from a real S3 listing (s3rver on loopback, <see cref="FlowBucket"/>'s objects) and the cost guard over them.</summary>
[Collection(S3rverCollection.Name)]
public sealed class AthenaScanTests(S3rverFixture s3rver)
{
    const string A = FlowBucket.AccountA, B = FlowBucket.AccountB;
    static readonly DateTimeOffset From = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset To = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    static AthenaFlowTableDefinition Table(string account, KeyLayout layout, params string[] regions) =>
        new("forensics", "vpc_flow_logs", new S3Location(S3rverFixture.Bucket, ""), layout, AthenaFileFormat.Text, FlowLogFormat.Default.Fields,
            [account], regions, new DateOnly(2026, 3, 1), ["fl-1111abcd"]);

    /// <summary>The bucket's objects of an account whose key folder lies on one of the padded days, summed independently.</summary>
    (long Bytes, int Objects) Expected(string account, params int[] days)
    {
        var items = s3rver.Items.Where(i => i.Account == account && i.Stamp.Year == 2026 && i.Stamp.Month == 3 && days.Contains(i.Stamp.Day)).ToList();
        return (items.Sum(i => (long)i.Bytes.Length), items.Count);
    }

    [Fact]
    public async Task The_estimate_lists_exactly_the_padded_days_of_every_account_and_region_in_both_layouts()
    {
        using var dir = new TempDir();
        var daily = new AthenaFlowTable(Table(A, KeyLayout.Default, "us-east-1", "eu-west-1"), s3rver.Settings(dir));
        var estimate = await daily.EstimateScanAsync(From, To, CancellationToken.None);
        // The window is on the 10th; padded by a day: the 9th, 10th and 11th, for each of the two regions.
        var (bytes, objects) = Expected(A, 9, 10, 11);
        Assert.Equal(2 * 3 * 24, objects);
        Assert.Equal(objects, estimate.Objects);
        Assert.Equal(bytes, estimate.Bytes);
        Assert.Equal(
            [
                $"s3://{S3rverFixture.Bucket}/AWSLogs/{A}/vpcflowlogs/us-east-1/2026/03/09/", $"s3://{S3rverFixture.Bucket}/AWSLogs/{A}/vpcflowlogs/us-east-1/2026/03/10/",
                $"s3://{S3rverFixture.Bucket}/AWSLogs/{A}/vpcflowlogs/us-east-1/2026/03/11/", $"s3://{S3rverFixture.Bucket}/AWSLogs/{A}/vpcflowlogs/eu-west-1/2026/03/09/",
                $"s3://{S3rverFixture.Bucket}/AWSLogs/{A}/vpcflowlogs/eu-west-1/2026/03/10/", $"s3://{S3rverFixture.Bucket}/AWSLogs/{A}/vpcflowlogs/eu-west-1/2026/03/11/",
            ],
            estimate.PartitionPrefixes);

        // Hive-compatible per-hour folders, at the bucket's first day: the padded day before it holds nothing.
        var hive = new AthenaFlowTable(Table(B, KeyLayout.HivePerHour, "us-east-1"), s3rver.Settings(dir));
        var first = await hive.EstimateScanAsync(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 8, 6, 0, 0, TimeSpan.Zero), CancellationToken.None);
        var (hiveBytes, hiveObjects) = Expected(B, 7, 8, 9);
        Assert.Equal(48, hiveObjects);
        Assert.Equal((hiveBytes, hiveObjects), (first.Bytes, first.Objects));
        Assert.Equal($"s3://{S3rverFixture.Bucket}/AWSLogs/aws-account-id={B}/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=03/day=07/", first.PartitionPrefixes[0]);
    }

    [Fact]
    public async Task An_over_limit_run_is_refused_with_the_estimate_the_partitions_and_how_to_raise_the_limit()
    {
        using var dir = new TempDir();
        var table = new AthenaFlowTable(Table(A, KeyLayout.Default, "us-east-1", "eu-west-1"), s3rver.Settings(dir));
        var (bytes, objects) = Expected(A, 9, 10, 11);
        Assert.True(bytes > 5_000, "the fixture must hold more than the limit below");
        var limit = AthenaSizes.Parse("5KB");

        var refused = await Assert.ThrowsAsync<AthenaScanRefusedException>(() =>
            AthenaCostGuard.CheckAsync(table, From, To, limit, null, null, AthenaEngine.Trino, CancellationToken.None));
        Assert.Equal(bytes, refused.Estimate.Bytes);
        var m = refused.Message;
        Assert.Contains($"about {AthenaSizes.Format(bytes)} in {objects} objects under 6 partition folders, above --max-scan 5 KB", m);
        Assert.Contains($"s3://{S3rverFixture.Bucket}/AWSLogs/{A}/vpcflowlogs/us-east-1/2026/03/09/", m);
        Assert.Contains($"raise the limit with --max-scan {(bytes + 999) / 1000}KB", m);
        Assert.Contains("$0.00005", m); // the 10 MB minimum: 10 MB × USD 5 per 10^6 MB

        // With the suggested limit the same run passes, and the workgroup's cutoff (GetWorkGroup) is reported.
        using var athena = new FakeAthena();
        athena.AddWorkGroup("forensics", new JsonObject { ["BytesScannedCutoffPerQuery"] = 10_000_000, ["EnforceWorkGroupConfiguration"] = true });
        using var client = new AthenaClient(athena.Settings(dir));
        var check = await AthenaCostGuard.CheckAsync(table, From, To, AthenaSizes.Parse($"{(bytes + 999) / 1000}KB"), client, "forensics", AthenaEngine.Trino, CancellationToken.None);
        Assert.Equal(10_000_000, check.WorkGroupCutoffBytes);
        Assert.Equal(0.00005m, check.EstimatedUsd);
        Assert.Contains("workgroup forensics cuts queries off at 10 MB", check.Summary);
        Assert.Single(athena.CallsOf("GetWorkGroup"));
    }
}

public sealed class AthenaCostGuardTests
{
    static readonly AthenaScanEstimate TwelveGigabytes = new(12_345_678_901, 4321, [.. Enumerable.Range(1, 9).Select(d => $"s3://b/AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/03/{d:D2}/")]);

    [Theory]
    [InlineData("50GB", 50_000_000_000)]
    [InlineData("500MB", 500_000_000)]
    [InlineData("500 mb", 500_000_000)]
    [InlineData("1.5TB", 1_500_000_000_000)]
    [InlineData("2G", 2_000_000_000)]
    [InlineData("10000000", 10_000_000)]
    public void Sizes_read_as_the_analyst_types_them(string text, long bytes) => Assert.Equal(bytes, AthenaSizes.Parse(text));

    [Theory]
    [InlineData("fifty")]
    [InlineData("0GB")]
    [InlineData("-5GB")]
    [InlineData("5PB")]
    public void A_size_that_is_not_one_is_an_error_naming_the_option(string text) =>
        Assert.Contains("--max-scan", Assert.Throws<FormatException>(() => AthenaSizes.Parse(text)).Message);

    [Fact]
    public void The_default_limit_is_50_GB_and_the_cost_follows_the_per_terabyte_price_with_a_10_MB_minimum()
    {
        Assert.Equal(50_000_000_000, AthenaCostGuard.DefaultMaxScanBytes);
        Assert.Equal(5.00m, AthenaCostGuard.EstimateUsd(1_000_000_000_000));
        Assert.Equal(0.00005m, AthenaCostGuard.EstimateUsd(1));
        Assert.Equal(12_346 * 5m / 1_000_000, AthenaCostGuard.EstimateUsd(12_345_678_901)); // rounded up to the next MB
        var check = AthenaCostGuard.Check(TwelveGigabytes, AthenaCostGuard.DefaultMaxScanBytes, null, AthenaEngine.Trino);
        Assert.Contains("about 12.35 GB in 4321 objects under 9 partition folders (limit --max-scan 50 GB)", check.Summary);
        Assert.Null(AthenaCostGuard.Check(TwelveGigabytes, AthenaCostGuard.DefaultMaxScanBytes, null, AthenaEngine.DuckDb).EstimatedUsd);
    }

    [Fact]
    public void A_run_above_the_workgroup_cutoff_is_refused_even_under_max_scan_and_long_partition_lists_are_shortened()
    {
        var workGroup = new AthenaWorkGroup("forensics", "ENABLED", 10_000_000_000, null, true, "Athena engine version 3", "Athena engine version 3");
        var refused = Assert.Throws<AthenaScanRefusedException>(() => AthenaCostGuard.Check(TwelveGigabytes, AthenaCostGuard.DefaultMaxScanBytes, workGroup, AthenaEngine.Trino));
        Assert.Contains("above workgroup forensics's per-query cutoff of 10 GB (BytesScannedCutoffPerQuery)", refused.Message);
        Assert.Contains("2026/03/06/, … and 3 more", refused.Message);
        Assert.Contains("--max-scan 13GB", Assert.Throws<AthenaScanRefusedException>(() => AthenaCostGuard.Check(TwelveGigabytes, AthenaSizes.Parse("10GB"), null, AthenaEngine.Trino)).Message);
    }
}
