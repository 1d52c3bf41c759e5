using FlowNotebooks.Formats;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Sources;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Sources;

/// <summary>
/// Records of a custom format without start/end get times bounded by their delivery, with a column saying where the
/// bound came from; records with implausible times are kept, flagged and left out of the case span. Expected bounds follow
/// AWS's documented rules: an S3 object stamped T holds records whose end falls in [T, T + 5 min) and a record spans at
/// most one aggregation interval (600 s at most); a CloudWatch event's timestamp is the record's start.
/// </summary>
public sealed class BoundedTimeTests : IDisposable
{
    const string Header = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes action log-status";
    static readonly string[] Records =
    [
        "5 eni-0aaa1111bbbb22223 10.0.1.5 203.0.113.5 49152 443 6 12 3400 ACCEPT OK",
        "5 eni-0aaa1111bbbb22223 203.0.113.5 10.0.1.5 443 49152 6 10 98000 ACCEPT OK",
    ];
    static readonly DateTime Stamp = new(2023, 11, 14, 22, 10, 0, DateTimeKind.Utc);
    static readonly DateTime EventTime = new(2023, 11, 14, 22, 8, 20, DateTimeKind.Utc);
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    static string S3Key(string hash) =>
        S3KeyLayout.Folder(null, "123456789010", "us-east-1", Stamp, KeyLayout.Default) + S3KeyLayout.FileName("123456789010", "us-east-1", "fl-0custom", Stamp, hash);

    [Fact]
    public void An_s3_object_and_a_cloudwatch_export_of_records_without_start_or_end_get_bounded_times_with_their_source()
    {
        tc.WriteGzip(S3Key("0a0b0c0d"), Header + "\n" + string.Join("\n", Records) + "\n");
        tc.WriteGzip("export/5d2a-task/eni-0aaa1111bbbb22223-all/000000.gz",
            string.Concat(Records.Select(r => $"{EventTime:yyyy-MM-dd'T'HH:mm:ss}.000Z {r}\n")));
        var s = tc.Load(new IngestOptions { Format = FlowNotebooks.Formats.FlowLogFormat.Parse("${" + Header.Replace(" ", "} ${") + "}", "--format") });
        Assert.Equal((4L, 0L), (s.Records, s.Rejects));

        var rows = tc.Query("""
            SELECT e.kind, f.srcport, f.start_time, f.end_time, f.time_source, f.time_bound_seconds
            FROM flows f JOIN evidence e USING (evidence_id) ORDER BY e.object, f.line
            """).Rows;
        // The S3 object (AWSLogs/… sorts first): end in [T, T + 5 min), start up to one interval before T.
        Assert.Equal<object?>(["flow-text", 49152, Stamp.AddSeconds(-600), Stamp.AddMinutes(5), "s3 key stamp (5 min)", 900L], rows[0]);
        Assert.Equal<object?>(["flow-text", 443, Stamp.AddSeconds(-600), Stamp.AddMinutes(5), "s3 key stamp (5 min)", 900L], rows[1]);
        // The export: start = the event timestamp, end within one aggregation interval after it.
        Assert.Equal<object?>(["flow-text", 49152, EventTime, EventTime.AddSeconds(600), "cloudwatch event timestamp", 600L], rows[2]);
        Assert.Equal<object?>(["flow-text", 443, EventTime, EventTime.AddSeconds(600), "cloudwatch event timestamp", 600L], rows[3]);
        Assert.Equal<object?>(["eni-0aaa1111bbbb22223"], tc.Query("SELECT DISTINCT interface_id FROM flows").Rows.Single());

        // The load summary and coverage say the times are bounds.
        Assert.Equal([("cloudwatch event timestamp", 2L, 600L), ("s3 key stamp (5 min)", 2L, 900L)], s.BoundedTimes);
        Assert.Contains(IngestNotes.Times(s), l => l.StartsWith("Times bounded from the s3 key stamp (5 min): 2 records have no start/end", StringComparison.Ordinal));
        var coverage = new CoverageReport().Run(tc.Store).Coverage;
        Assert.Contains("2 record(s) have no start/end of their own: their times are bounds from the cloudwatch event timestamp, up to 600 s wide", coverage);
        Assert.Contains("2 record(s) have no start/end of their own: their times are bounds from the s3 key stamp (5 min), up to 900 s wide", coverage);
    }

    [Fact]
    public void Records_with_their_own_times_say_so()
    {
        tc.Write("a.log", "version srcaddr dstaddr start end\n2 10.0.0.1 10.0.0.2 1700000000 1700000060\n");
        tc.Load();
        Assert.Equal<object?>(["record", null], tc.Query("SELECT time_source, time_bound_seconds FROM flows").Rows.Single());
    }

    [Fact]
    public void Implausible_times_are_kept_flagged_and_left_out_of_the_span()
    {
        const string H = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
        var good = (Start: Stamp.AddMinutes(-1), End: Stamp);
        long U(DateTime t) => new DateTimeOffset(t).ToUnixTimeSeconds();
        tc.WriteGzip(S3Key("1a1b1c1d"), H + "\n"
            + $"2 eni-0a 10.0.1.5 203.0.113.5 49152 443 6 12 3400 {U(good.Start)} {U(good.End)} ACCEPT OK\n"
            // 1975: before VPC Flow Logs existed.
            + $"2 eni-0a 10.0.1.5 203.0.113.5 49153 443 6 12 3400 {U(new DateTime(1975, 1, 1, 0, 0, 0, DateTimeKind.Utc))} {U(new DateTime(1975, 1, 1, 0, 1, 0, DateTimeKind.Utc))} ACCEPT OK\n"
            // Two days after the object's delivery stamp.
            + $"2 eni-0a 10.0.1.5 203.0.113.5 49154 443 6 12 3400 {U(Stamp.AddDays(2))} {U(Stamp.AddDays(2).AddMinutes(1))} ACCEPT OK\n");
        var s = tc.Load();
        Assert.Equal((3L, 0L, 2L), (s.Records, s.Rejects, s.ImplausibleTimes));
        Assert.Equal((good.Start, good.End), (s.FirstTime, s.LastTime));
        Assert.Contains(IngestNotes.Times(s), l => l.StartsWith("Implausible times: 2 records start before 2015-06-10", StringComparison.Ordinal));
        var e = tc.Query("SELECT records, implausible_times, first_time, last_time, notes FROM evidence").Rows.Single();
        Assert.Equal<object?>([3L, 2L, good.Start, good.End], e[..4]);
        Assert.Contains("2 records with implausible times", (string)e[4]!);
        // All three are in the case; the default window of an analysis is the plausible span, and coverage says why.
        Assert.Equal(3L, tc.Scalar<long>("SELECT count(*) FROM flows"));
        var r = new CoverageReport().Run(tc.Store);
        Assert.Equal(good.Start, r.From);
        Assert.Equal(good.End.AddSeconds(1), r.To);
        Assert.Contains("2 record(s) with implausible times (before 2015-06-10 or more than a day after delivery) are kept but left out of the default window", r.Coverage);
    }
}
