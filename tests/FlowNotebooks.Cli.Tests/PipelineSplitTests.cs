using System.Globalization;
using FlowNotebooks.Cli.Bench;

namespace FlowNotebooks.Cli.Tests;

/// <summary>The pipeline bench's last 1%: the newest deliveries of every capture, whatever order their keys sort in.</summary>
public sealed class PipelineSplitTests
{
    const string Account = "123456789012";
    static readonly DateTime Start = new(2025, 11, 17, 0, 0, 0, DateTimeKind.Utc);

    static string Stamp(DateTime t) => t.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);

    // AWS's default layout, one text object per 5 minutes.
    static string FiveMinute(int i)
    {
        var t = Start.AddMinutes(5 * i);
        return $"/e/s3/b/AWSLogs/{Account}/vpcflowlogs/eu-west-1/{t:yyyy}/{t:MM}/{t:dd}/{Account}_vpcflowlogs_eu-west-1_fl-0aaa1111bbbb2222c_{Stamp(t)}_{i:x8}.log.gz";
    }

    // Hive-compatible per-hour Parquet: its keys sort after every default-layout key of the bucket.
    static string HourlyParquet(int i)
    {
        var t = Start.AddHours(i);
        return $"/e/s3/b/AWSLogs/aws-account-id={Account}/aws-service=vpcflowlogs/aws-region=eu-west-1/year={t:yyyy}/month={t:MM}/day={t:dd}/hour={t:HH}/{Account}_vpcflowlogs_eu-west-1_fl-0ddd3333eeee4444f_{Stamp(t)}_{i:x8}.log.parquet";
    }

    static string Page(int i) => $"/e/cloudwatch/critical-eni-flows/filter-log-events-page-{i:D4}.json";

    [Fact]
    public void The_last_percent_is_the_newest_objects_of_every_capture()
    {
        var fiveMinute = Enumerable.Range(0, 864).Select(FiveMinute).ToList(); // 3 days
        var hourly = Enumerable.Range(0, 72).Select(HourlyParquet).ToList();
        var pages = Enumerable.Range(1, 250).Select(Page).ToList();
        string[] configuration = ["/e/describe-flow-logs.json", "/e/describe-network-interfaces.json", "/e/s3-buckets/b.json"];
        var evidence = fiveMinute.Concat(hourly).Concat(pages).Concat(configuration).Append("/e/iocs.txt").Order(StringComparer.Ordinal).ToList();

        var (first, last) = PipelineBench.SplitLastPercent(evidence);

        // 1% of each capture, at least one: the 8 newest 5-minute objects, the newest hour, the last 2 pages.
        Assert.Equal(fiveMinute[^8..].Concat(hourly[^1..]).Concat(pages[^2..]).Order(StringComparer.Ordinal), last.Order(StringComparer.Ordinal));
        Assert.Equal(evidence.Count - 1 - last.Count, first.Count);
        Assert.Empty(first.Intersect(last));
        Assert.Subset(first.ToHashSet(), configuration.ToHashSet());
        Assert.DoesNotContain("/e/iocs.txt", first.Concat(last));
    }

    [Fact]
    public void Objects_of_a_capture_are_ordered_by_their_stamp_not_their_key()
    {
        // The hash suffix decides key order within a folder; a later stamp with a smaller hash must still come last.
        var older = $"/e/s3/b/AWSLogs/{Account}/vpcflowlogs/eu-west-1/2025/11/17/{Account}_vpcflowlogs_eu-west-1_fl-0aaa1111bbbb2222c_20251117T0000Z_ffffffff.log.gz";
        var newer = $"/e/s3/b/AWSLogs/{Account}/vpcflowlogs/eu-west-1/2025/11/17/{Account}_vpcflowlogs_eu-west-1_fl-0aaa1111bbbb2222c_20251117T0005Z_00000000.log.gz";
        var (first, last) = PipelineBench.SplitLastPercent([newer, older]);
        Assert.Equal([newer], last);
        Assert.Equal([older], first);
    }
}
