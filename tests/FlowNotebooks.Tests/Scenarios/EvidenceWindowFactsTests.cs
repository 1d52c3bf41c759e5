using FlowNotebooks.Formats;
using System.IO.Compression;
using FlowNotebooks.Procedures;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Sources;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>
/// The default scenario's evidence window (bucket lifecycle and versioning, log group retention, a FAILED delivery, a
/// deleted-then-recovered object) against the coverage procedure's findings. Expected dates come from the answer key,
/// which the generator computed from AWS's documented rules; the recovered object's records are counted in its file.
/// </summary>
public sealed class EvidenceWindowFactsTests(VpcCompromiseCase c) : IClassFixture<VpcCompromiseCase>
{
    KeyEvidenceWindow W => c.Key.EvidenceWindow!;

    ProcedureResult Coverage() => ProcedureRegistry.Get("coverage").Run(c.Store, new Dictionary<string, object?>
    {
        ["from"] = c.Key.Window.Start, ["to"] = c.Key.Window.End, ["internal_cidrs"] = c.Key.VpcCidr,
    });

    static IEnumerable<Finding> Kind(ProcedureResult r, string kind) => r.Findings.Where(f => f.Facts.GetValueOrDefault("kind") == kind);

    [Fact]
    public void The_answer_key_dates_follow_AWS_rules_from_the_window_and_the_collection_time()
    {
        static DateTime NextMidnight(DateTime t) => new DateTime(t.Year, t.Month, t.Day, 0, 0, 0, DateTimeKind.Utc).AddDays(1);
        Assert.Equal(NextMidnight(c.Key.Window.Start.AddDays(W.ExpireDays)), W.OldestExpiresAt);
        Assert.Equal(NextMidnight(c.Key.Window.Start.AddDays(W.TransitionDays)), W.TransitionAt);
        Assert.Equal(c.Key.Window.Start.AddDays(W.LogGroupRetentionDays!.Value), W.LogGroupOldestExpiresAt);
        Assert.True(W.CollectedAt > c.Key.Window.End);
        Assert.NotNull(W.DeletedObject);
    }

    [Fact]
    public void Coverage_states_the_lifecycle_and_retention_clocks_of_the_answer_key()
    {
        var cov = Coverage();
        var expiry = Assert.Single(Kind(cov, "lifecycle_expiry"), f => f.Facts["action"] == "expire");
        Assert.Equal(Finding.Iso(W.OldestExpiresAt), expiry.Facts["expires_at"]);
        Assert.Equal(Severity.High, expiry.Severity);
        var glacier = Assert.Single(Kind(cov, "lifecycle_transition"));
        Assert.Equal(Finding.Iso(W.TransitionAt), glacier.Facts["due_at"]);
        Assert.Equal(W.TransitionClass, glacier.Facts["storage_class"]);
        Assert.Equal("true", glacier.Facts["needs_restore"]);
        var group = Assert.Single(Kind(cov, "retention_clock"));
        Assert.Equal(Finding.Iso(W.LogGroupOldestExpiresAt!.Value), group.Facts["expires_at"]);
        Assert.Equal(W.LogGroup, group.Facts["log_group"]);
        // Read two days after the window, with 30 and 90 days of retention: nothing of the window is gone yet.
        Assert.Empty(Kind(cov, "retention_lost"));
    }

    [Fact]
    public void The_failed_delivery_is_named_and_explains_the_missing_hour()
    {
        var cov = Coverage();
        var failed = Assert.Single(Kind(cov, "delivery_failed"));
        Assert.Equal(W.FailedDelivery!.FlowLogId, failed.Facts["flow_log_id"]);
        Assert.Equal(W.FailedDelivery!.Message, failed.Facts["deliver_logs_error_message"]);
        var missing = Assert.Single(c.Key.Coverage.MissingDeliveryWindows);
        var gap = Assert.Single(Kind(cov, "missing_delivery"), f => f.Facts["flow_log_id"] == missing.FlowLogId);
        Assert.Equal(W.FailedDelivery!.FlowLogId, missing.FlowLogId);
        Assert.Contains($"delivery FAILED: {W.FailedDelivery!.Message}", gap.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deleted_object_is_named_with_its_deletion_time_and_its_recovered_records_are_in_the_case()
    {
        var d = W.DeletedObject!;
        var file = Path.Combine(c.Folder, "s3", W.Bucket, d.Key);
        long lines;
        using (var z = new GZipStream(File.OpenRead(file), CompressionMode.Decompress))
        using (var r = new StreamReader(z))
            lines = r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1; // minus the header
        Assert.True(lines > 0);
        Assert.Equal(d.FlowLogId, S3KeyLayout.Parse(d.Key).FlowLogId);

        var deleted = Assert.Single(Kind(Coverage(), "deleted_object"));
        Assert.Equal(d.Key, deleted.Facts["key"]);
        Assert.Equal(Finding.Iso(d.DeletedAt), deleted.Facts["deleted_at"]);
        Assert.Equal(d.VersionId, deleted.Facts["earlier_version"]);
        Assert.Equal(lines.ToString(System.Globalization.CultureInfo.InvariantCulture), deleted.Facts["records"]);
        Assert.Equal(lines, c.Long("SELECT count(*) FROM flows f JOIN evidence e USING (evidence_id) WHERE e.object = $1", $"s3/{W.Bucket}/{d.Key}"));
    }
}
