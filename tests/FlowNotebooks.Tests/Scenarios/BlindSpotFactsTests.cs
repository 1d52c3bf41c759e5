using System.Text.Json;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>
/// The blind spot, recomputed from the loaded records and configuration with AWS's documented rules: a SKIPDATA record
/// stands for records the interface skipped; an S3 object holds the records whose end falls in its period, so an
/// undelivered hour has none; CloudWatch Logs deletes events older than the log group's retentionInDays; traffic from an
/// unlogged subnet shows only on logged interfaces it crosses. The key's bounds must be what the evidence allows and
/// must contain what happened. Run on the default seed and on a trainee's seed.
/// </summary>
public abstract class BlindSpotFacts(GeneratedCase c)
{
    AnswerKey Key => c.Key;
    JsonElement Bounds => Key.Extra["bounds"];

    [Fact]
    public void It_loads_without_rejects_and_the_runners_subnet_has_no_flow_log_and_no_record()
    {
        Assert.Equal(0, c.Summary.Rejects);
        Assert.Equal(c.Result.Records, c.Summary.Records);
        var runner = c.Host("ci-runner-1");
        var ops = Assert.Single(Key.Coverage.UnloggedSubnets);
        Assert.Equal(runner.SubnetId, ops.SubnetId);
        Assert.Equal(0, c.Long("SELECT count(*) FROM flow_logs WHERE resource_id IN ($1, $2, $3)", ops.SubnetId, runner.InterfaceId, Key.VpcId));
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE interface_id = $1", runner.InterfaceId));
    }

    [Fact]
    public void The_uploads_lower_bound_is_what_the_nat_gateway_logged_outside_its_skipdata_window_and_the_truth_is_above_it()
    {
        var x = Key.Exfiltration!;
        var d = Assert.Single(x.Destinations);
        var skip = Assert.Single(Key.Coverage.SkipdataWindows);
        Assert.Equal(x.NatInterfaceId, skip.InterfaceId);
        // One SKIPDATA record per minute of the window, and no OK record of that interface starting in it.
        Assert.Equal((long)(skip.Window.End - skip.Window.Start).TotalMinutes,
            c.Long("SELECT count(*) FROM flows WHERE interface_id = $1 AND log_status = 'SKIPDATA'", skip.InterfaceId));
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE interface_id = $1 AND log_status = 'OK' AND start_time >= $2 AND start_time < $3",
            skip.InterfaceId, skip.Window.Start, skip.Window.End));
        // The upload overlaps the window: the NAT gateway is the only interface that logged it, on both legs.
        Assert.True(d.Window.Start < skip.Window.Start && skip.Window.End < d.Window.End);
        var inside = c.Long("SELECT sum(bytes)::BIGINT FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND pkt_dstaddr = $3", x.NatInterfaceId, x.SourceIp, d.Ip);
        var outside = c.Long("SELECT sum(bytes)::BIGINT FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND dstaddr = $3", x.NatInterfaceId, x.NatPrivateIp, d.Ip);
        Assert.Equal(inside, outside);
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE interface_id <> $1 AND (dstaddr = $2 OR pkt_dstaddr = $2)", x.NatInterfaceId, d.Ip));
        var upload = Bounds.GetProperty("upload_bytes");
        Assert.Equal(inside, upload.GetProperty("lower").GetInt64());
        Assert.Equal(d.Bytes, upload.GetProperty("actual").GetInt64());
        Assert.True(inside < d.Bytes, "the SKIPDATA window must hide part of the upload");
    }

    [Fact]
    public void The_database_read_is_bounded_by_the_undelivered_hour_and_the_first_record_that_survived()
    {
        var runner = c.Host("ci-runner-1");
        var db = c.Host("db-1");
        var missing = Assert.Single(Key.Coverage.MissingDeliveryWindows);
        var dataLog = c.FlowLogOf(db.SubnetId!);
        Assert.Equal(dataLog, missing.FlowLogId);
        // No object of the data subnet's flow log is stamped in the hour; the hours around it have one.
        Assert.Equal(0, c.Long("SELECT count(*) FROM evidence WHERE flow_log_id = $1 AND delivery_time >= $2 AND delivery_time < $3", dataLog, missing.Window.Start, missing.Window.End));
        Assert.Equal(1, c.Long("SELECT count(*) FROM evidence WHERE flow_log_id = $1 AND delivery_time >= $2 AND delivery_time < $3", dataLog, missing.Window.Start.AddHours(-1), missing.Window.Start));
        var read = Bounds.GetProperty("database_read_start");
        var notBefore = read.GetProperty("not_before").GetDateTime();
        var notAfter = read.GetProperty("not_after").GetDateTime();
        Assert.Equal(missing.Window.Start, notBefore);
        // db-1's records of the runner: none before the hour, the first one just after it, in any capture.
        var first = c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND dstaddr = $3 AND dstport = 5432",
            db.InterfaceId, runner.PrivateIp, db.PrivateIp);
        Assert.Equal(notAfter, first);
        Assert.True(first >= missing.Window.End.AddMinutes(-1));
        Assert.InRange(read.GetProperty("actual").GetDateTime(), notBefore, notAfter);
        Assert.True(read.GetProperty("actual").GetDateTime() < missing.Window.End, "the read must start inside the undelivered hour");
        var bytes = Bounds.GetProperty("database_read_bytes");
        Assert.Equal(bytes.GetProperty("lower").GetInt64(), c.Long("""
            SELECT sum(bytes)::BIGINT FROM flows WHERE flow_log_id = $1 AND interface_id = $2 AND srcaddr = $3 AND dstaddr = $4 AND srcport = 5432
            """, dataLog, db.InterfaceId, db.PrivateIp, runner.PrivateIp));
        Assert.True(bytes.GetProperty("lower").GetInt64() < bytes.GetProperty("actual").GetInt64());
    }

    [Fact]
    public void The_log_groups_retention_removed_every_event_older_than_retention_days_before_collection()
    {
        var w = Key.EvidenceWindow!;
        Assert.Equal(7, w.LogGroupRetentionDays);
        var groups = JsonDocument.Parse(File.ReadAllText(Path.Combine(c.Folder, "cloudwatch", "describe-log-groups.json"))).RootElement;
        var group = Assert.Single(groups.GetProperty("logGroups").EnumerateArray());
        Assert.Equal(w.LogGroup, group.GetProperty("logGroupName").GetString());
        var described = groups.GetProperty("describedAt").GetDateTime().ToUniversalTime();
        Assert.Equal(w.CollectedAt, described);
        var lostBefore = described.AddDays(-group.GetProperty("retentionInDays").GetInt32());
        Assert.Equal(lostBefore, Key.Extra["log_group_lost_before"].GetDateTime());
        var cw = c.Store.Query("SELECT DISTINCT flow_log_id FROM flow_logs WHERE log_group_name = $1", [w.LogGroup]).Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal(2, cw.Count);
        foreach (var id in cw)
        {
            Assert.True(c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE flow_log_id = $1", id) >= lostBefore.AddMinutes(-10));
            Assert.True(c.Long("SELECT count(*) FROM flows WHERE flow_log_id = $1", id) > 0);
        }
        // The database read happened before that: db-1's interface-level flow log cannot show it either.
        Assert.True(Bounds.GetProperty("database_read_start").GetProperty("not_after").GetDateTime() < lostBefore);
    }

    [Fact]
    public void The_deleted_object_is_the_hour_after_the_gap_and_its_recovered_records_are_in_the_case()
    {
        var deleted = Key.EvidenceWindow!.DeletedObject!;
        var missing = Assert.Single(Key.Coverage.MissingDeliveryWindows);
        Assert.Equal(missing.FlowLogId, deleted.FlowLogId);
        Assert.Contains($"_{missing.Window.End:yyyyMMdd'T'HHmm}Z_", deleted.Key, StringComparison.Ordinal);
        var path = Path.Combine(c.Folder, "s3", Key.EvidenceWindow.Bucket, deleted.Key);
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        var lines = new StreamReader(gz).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.Equal(lines, c.Long("SELECT records FROM evidence WHERE object LIKE '%' || $1", deleted.Key));
        // It holds the first records of the read that survived.
        var first = Bounds.GetProperty("database_read_start").GetProperty("not_after").GetDateTime();
        Assert.Equal(1, c.Long("SELECT count(DISTINCT e.object) FROM flows f JOIN evidence e USING (evidence_id) WHERE f.start_time = $1 AND f.dstport = 5432 AND e.object LIKE '%' || $2",
            first, deleted.Key));
    }

    [Fact]
    public void What_the_key_says_cannot_be_determined_has_no_record_and_the_hidden_copy_crossed_no_logged_interface()
    {
        var hidden = Key.Extra["hidden_truth"].GetProperty("s3_copy");
        Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE (srcaddr = $1 OR pkt_srcaddr = $1) AND (dstaddr = $2 OR pkt_dstaddr = $2)",
            hidden.GetProperty("host_ip").GetString(), hidden.GetProperty("destination").GetString()));
        var answers = Key.Extra["cannot_determine"].EnumerateArray().ToList();
        Assert.True(answers.Count >= 3);
        Assert.All(answers, a => Assert.StartsWith("cannot be determined from flow logs", a.GetProperty("answer").GetString(), StringComparison.Ordinal));
        // The first contact is visible only through the NAT gateway.
        var first = Key.Extra["first_contact"];
        Assert.Equal(first.GetProperty("time").GetDateTime(), c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND pkt_dstaddr = $3",
            c.Host("nat-gateway").InterfaceId, first.GetProperty("host_ip").GetString(), first.GetProperty("destination").GetString()));
    }
}

public sealed class BlindSpotFactsTests(BlindSpotCase c) : BlindSpotFacts(c), IClassFixture<BlindSpotCase>;

public sealed class BlindSpotStudentFactsTests(BlindSpotStudentCase c) : BlindSpotFacts(c), IClassFixture<BlindSpotStudentCase>;
