using FlowNotebooks.Formats;
using System.Globalization;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>One statement about what can no longer be seen, or until when the rest can.</summary>
/// <param name="Kind">"retention_lost", "retention_clock", "lifecycle_expiry", "lifecycle_transition", "created_late",
/// "delivery_failed", "deleted_object", "not_versioned", "suspect_object", "custody".</param>
/// <param name="Subject">The capture, log group, bucket, key or collection it is about.</param>
/// <param name="At">The date that matters: when records were lost, will expire, were deleted, or the capture began.</param>
public sealed record WindowStatement(string Kind, string Subject, DateTime? At, Severity Severity, string Title, string Statement)
{
    public IReadOnlyList<(string Key, string? Value)> Facts { get; init; } = [];
}

/// <summary>
/// How long the evidence of a window still exists, and what of it is already gone, from the configuration a collection
/// recorded: CloudWatch Logs retention (events older than retentionInDays are deleted), S3 lifecycle rules (an object
/// expires or moves to another class N days after it was written, at the next midnight UTC, as AWS documents), bucket
/// versioning and delete markers, describe-flow-logs' delivery status and creation time, suspect objects and the
/// custody record. Every clock runs from the time the configuration was read (recorded with it), never from now: a
/// case read a month later says what was true at collection. The incident window is at risk while some of its records
/// are still held under a finite retention: that is a high-severity deadline until they are preserved.
/// </summary>
public sealed class EvidenceClock
{
    /// <summary>Classes whose objects need RestoreObject before they can be read (Glacier Instant Retrieval does not).</summary>
    public static readonly IReadOnlySet<string> RestoreClasses = new HashSet<string>(StringComparer.Ordinal) { "GLACIER", "DEEP_ARCHIVE" };

    public required IReadOnlyList<WindowStatement> Statements { get; init; }

    /// <summary>Per capture: why its deliveries stop (FAILED with the message), for the missing-delivery gaps.</summary>
    public required IReadOnlyDictionary<string, string> DeliveryFailures { get; init; }

    /// <summary>Per capture: when it was created (describe-flow-logs), for the no-evidence-before gaps.</summary>
    public required IReadOnlyDictionary<string, DateTime> Created { get; init; }

    /// <summary>Per capture delivering to S3: its bucket's versioning ("Enabled", "Suspended", "Off"), when read.</summary>
    public required IReadOnlyDictionary<string, string> Versioning { get; init; }

    /// <summary>S3 expires or transitions an object written at <paramref name="written"/> after <paramref name="days"/>
    /// days at the next midnight UTC (AWS: "adding the number of days … to the object creation time and rounding the
    /// resulting time to the next day midnight UTC").</summary>
    public static DateTime LifecycleDue(DateTime written, int days) => written.AddDays(days).Date.AddDays(1);

    /// <summary>Why a coverage gap of a capture is there, when the configuration says; null when it does not.</summary>
    public string? GapReason(CoverageGap g)
    {
        if (g.FlowLogId is not { } id) return null;
        if (g.Kind == "before_evidence" && Created.TryGetValue(id, out var created) && created > g.Window.Start)
            return $"the capture was created {ProcedureRun.Show(created)} (describe-flow-logs CreationTime): there is no evidence before it";
        if (g.Kind is "missing_delivery" or "after_evidence" && DeliveryFailures.TryGetValue(id, out var why))
            return $"describe-flow-logs says its delivery FAILED: {why}";
        if (g.Kind == "missing_delivery" && Versioning.TryGetValue(id, out var v))
            return v == "Enabled" ? "its bucket is versioned and shows no delete marker there: not a deletion"
                : $"its bucket is not versioned ({v}): the objects may have been deleted, which leaves no trace";
        return null;
    }

    internal static EvidenceClock Compute(CaseStore store, DateTime from, DateTime to)
    {
        var c = CultureInfo.InvariantCulture;
        var list = new List<WindowStatement>();
        var captures = store.Query("""
            SELECT DISTINCT ON (flow_log_id) flow_log_id, log_destination_type, log_destination, log_group_name, creation_time,
                   deliver_logs_status, deliver_logs_error_message, flow_log_status
            FROM flow_logs ORDER BY flow_log_id, evidence_id DESC
            """).RowsByName.ToList();
        var collectedAt = store.Scalar<DateTime?>("SELECT max(collected_at) FROM custody");

        // Delivery failures and late captures.
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        var created = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var r in captures)
        {
            var id = r.Text("flow_log_id");
            if (string.Equals(r.TextOrNull("deliver_logs_status"), "FAILED", StringComparison.OrdinalIgnoreCase))
            {
                var message = r.TextOrNull("deliver_logs_error_message") ?? "no message given";
                failures[id] = message;
                list.Add(new("delivery_failed", id, null, Severity.High, $"Capture {id}: delivery FAILED ({message})",
                    $"describe-flow-logs reports DeliverLogsStatus FAILED for {id} with \"{message}\": its records are not reaching {r.TextOrNull("log_destination") ?? r.TextOrNull("log_group_name") ?? "its destination"}. "
                    + "Hours it did not deliver are explained by this failure (access denied to the destination, rate limiting), not by an absence of traffic.")
                { Facts = [("flow_log_id", id), ("deliver_logs_status", "FAILED"), ("deliver_logs_error_message", message)] });
            }
            if (r.TimeOrNull("creation_time") is { } ct)
            {
                created[id] = ct;
                if (ct > from && ct < to)
                    list.Add(new("created_late", id, ct, Severity.High, $"No evidence of capture {id} before {ProcedureRun.Show(ct)}",
                        $"Capture {id} was created {ProcedureRun.Show(ct)}, after the incident window began ({ProcedureRun.Show(from)}): nothing it logs can show traffic before that time; the reason is the capture's creation, not an absence of traffic.")
                    { Facts = [("flow_log_id", id), ("creation_time", Finding.Iso(ct))] });
            }
        }

        // CloudWatch Logs retention.
        foreach (var g in store.Query("SELECT DISTINCT ON (log_group_name) * FROM log_groups ORDER BY log_group_name, evidence_id DESC").RowsByName)
        {
            var name = g.Text("log_group_name");
            var ids = captures.Where(r => r.TextOrNull("log_group_name") == name || (r.TextOrNull("log_destination") ?? "").EndsWith($":log-group:{name}", StringComparison.Ordinal)
                    || (r.TextOrNull("log_destination") ?? "").EndsWith($":log-group:{name}:*", StringComparison.Ordinal))
                .Select(r => r.Text("flow_log_id")).ToList();
            var who = ids.Count > 0 ? $"capture {string.Join(", ", ids)} (log group {name})" : $"log group {name}";
            var now = g.TimeOrNull("described_at") ?? collectedAt;
            if (g.IsNull("retention_days"))
            {
                list.Add(new("retention_clock", name, null, Severity.Info, $"Log group {name} keeps events forever",
                    $"{who}: retention is not set, so CloudWatch Logs never expires its events; only deletion of the group or its streams removes them."));
                continue;
            }
            var days = g.Int("retention_days");
            if (now is not { } t)
            {
                list.Add(new("retention_clock", name, null, Severity.Medium, $"Log group {name} keeps events {days} days",
                    $"{who}: events expire {days} days after their time; the time the retention was read is not recorded, so what is already gone cannot be dated."));
                continue;
            }
            var goneBefore = t.AddDays(-days);
            var facts = new List<(string, string?)> { ("log_group", name), ("retention_days", days.ToString(c)), ("described_at", Finding.Iso(t)), ("gone_before", Finding.Iso(goneBefore)) };
            if (from < goneBefore)
                list.Add(new("retention_lost", name, goneBefore, Severity.High, $"Records of {name} before {ProcedureRun.Show(goneBefore)} are gone (retention {days} days)",
                    $"{who}: with a retention of {days} days read {ProcedureRun.Show(t)}, events before {ProcedureRun.Show(goneBefore)} had already been deleted by CloudWatch Logs; "
                    + $"the part of the incident window from {ProcedureRun.Show(from)} to {ProcedureRun.Show(goneBefore < to ? goneBefore : to)} can no longer be seen there.") { Facts = facts });
            var oldest = from > goneBefore ? from : goneBefore;
            if (oldest < to)
            {
                var expires = oldest.AddDays(days);
                list.Add(new("retention_clock", name, expires, Severity.High, $"The oldest window records of {name} still held expire {ProcedureRun.Show(expires)}",
                    $"{who}: the incident window's oldest events still held ({ProcedureRun.Show(oldest)}) expire {ProcedureRun.Show(expires)} (retention {days} days), and the rest of the window follows hour by hour until {ProcedureRun.Show(to.AddDays(days))}: "
                    + "copy them before then (flownb collect --plan lists the order).") { Facts = [.. facts, ("expires_at", Finding.Iso(expires))] });
            }
            if (g.TimeOrNull("creation_time") is { } born && born > from)
                list.Add(new("created_late", name, born, Severity.High, $"No evidence in {name} before {ProcedureRun.Show(born)}",
                    $"{who}: the log group was created {ProcedureRun.Show(born)}, after the window began: nothing was delivered to it before."));
        }

        // S3 buckets: versioning, lifecycle, deleted objects.
        var versioning = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in store.Query("SELECT DISTINCT ON (bucket) * FROM buckets ORDER BY bucket, evidence_id DESC").RowsByName)
        {
            var bucket = b.Text("bucket");
            var now = b.TimeOrNull("described_at") ?? collectedAt ?? to;
            var ids = captures.Where(r => S3Bucket(r.TextOrNull("log_destination")) == bucket).Select(r => r.Text("flow_log_id")).ToList();
            foreach (var id in ids) if (b.TextOrNull("versioning") is { } v) versioning[id] = v;
            var who = ids.Count > 0 ? $"capture {string.Join(", ", ids)} (bucket {bucket})" : $"bucket {bucket}";
            if (b.TextOrNull("versioning") is "Off" or "Suspended")
                list.Add(new("not_versioned", bucket, null, Severity.Medium, $"Bucket {bucket} is not versioned",
                    $"{who}: versioning is {b.Text("versioning")}, so an object deleted from it is gone without a trace: a gap in a regular delivery sequence may be a deletion."));
            else if (b.TextOrNull("versioning") is null)
                list.Add(new("not_versioned", bucket, null, Severity.Low, $"Versioning of bucket {bucket} unknown",
                    $"{who}: the versioning state could not be read ({b.TextOrNull("versioning_error")}): deletions can be neither excluded nor recovered."));
            foreach (var l in store.Query("SELECT * FROM bucket_lifecycle WHERE bucket = $1 AND status = 'Enabled' ORDER BY action, rule_id", [bucket]).RowsByName)
                list.AddRange(Lifecycle(l, who, now, from, to));
        }
        foreach (var d in store.Query("""
            WITH latest AS (SELECT DISTINCT ON (bucket, key) * FROM object_versions ORDER BY bucket, key, is_latest DESC, last_modified DESC)
            SELECT m.bucket, m.key, m.version_id AS marker_id, m.last_modified AS deleted_at,
                   (SELECT arg_max(v.version_id, v.last_modified) FROM object_versions v WHERE v.bucket = m.bucket AND v.key = m.key AND NOT v.delete_marker AND v.last_modified <= m.last_modified) AS earlier_id,
                   (SELECT max(v.last_modified) FROM object_versions v WHERE v.bucket = m.bucket AND v.key = m.key AND NOT v.delete_marker AND v.last_modified <= m.last_modified) AS written_at,
                   (SELECT sum(e.records) FROM evidence e WHERE e.object = m.bucket || '/' || m.key OR e.object = m.key OR e.object LIKE '%/' || m.bucket || '/' || m.key)::BIGINT AS records
            FROM latest m WHERE m.delete_marker ORDER BY m.bucket, m.key
            """).RowsByName)
        {
            var key = d.Text("key");
            var at = d.Time("deleted_at");
            var earlier = d.TextOrNull("earlier_id");
            var records = d.IsNull("records") ? (long?)null : d.Long("records");
            var fl = Formats.S3KeyLayout.Parse(key).FlowLogId;
            list.Add(new("deleted_object", key, at, Severity.High, $"Flow-log object deleted {ProcedureRun.Show(at)}: {key}",
                $"s3://{d.Text("bucket")}/{key}{(fl is null ? "" : $" (capture {fl})")} was deleted {ProcedureRun.Show(at)} (delete marker {d.Text("marker_id")})"
                + (earlier is null ? ", and no earlier version is listed: its records are lost."
                    : $"; its earlier version {earlier}, written {ProcedureRun.Show(d.Time("written_at"))}, " + (records is { } n
                        ? string.Create(c, $"was collected and loaded like any object: {n:N0} records.")
                        : "was not loaded into this case: collect it (flownb collect recovers earlier versions of deleted objects).")))
            { Facts = [("bucket", d.Text("bucket")), ("key", key), ("deleted_at", Finding.Iso(at)), ("marker_version", d.Text("marker_id")), ("earlier_version", earlier),
                ("records", records?.ToString(c))] });
        }

        foreach (var s in store.Query("SELECT DISTINCT source, path, reason FROM suspect_objects ORDER BY source").RowsByName)
            list.Add(new("suspect_object", s.Text("source"), null, Severity.High, $"Suspect object in the log bucket: {s.Text("source")}",
                $"{s.Text("source")}: {s.Text("reason")}. AWS's delivery does not write such an object; whoever can write to the log bucket can, so it is set apart from the evidence "
                + $"(kept as {s.Text("path")}) and its content is not trusted.") { Facts = [("source", s.Text("source")), ("path", s.Text("path")), ("reason", s.Text("reason"))] });

        foreach (var o in store.Query("SELECT object, name_contradicted FROM evidence WHERE name_contradicted IS NOT NULL AND status <> 'duplicate' ORDER BY object").RowsByName)
            list.Add(new("suspect_object", o.Text("object"), null, Severity.High, $"Object whose records contradict its name: {o.Text("object")}",
                $"{o.Text("object")}: {o.Text("name_contradicted")}. AWS's delivery writes a capture's records under the account and "
                + "delivery time the object's name states; whoever can write to the log bucket can write others. Its records are loaded "
                + "(they are still what the object holds) but neither its name nor its records can be taken as that capture's.")
            { Facts = [("source", o.Text("object")), ("reason", o.Text("name_contradicted"))] });

        foreach (var r in store.Query("SELECT * FROM custody ORDER BY collected_at").RowsByName)
        {
            var check = r.Text("manifest_check");
            list.Add(new("custody", r.Text("target"), r.Time("collected_at"), check.StartsWith("FAILED", StringComparison.Ordinal) ? Severity.High : Severity.Info,
                $"Collected {ProcedureRun.Show(r.Time("collected_at"))} by {r.Text("principal")}",
                $"{r.Text("target")} was collected {ProcedureRun.Show(r.Time("collected_at"))} by {r.Text("principal")} (local user {r.Text("local_user")} on {r.Text("host")}, flownb {r.Text("tool_version")}) "
                + $"from {r.Text("sources")}; command: {r.Text("command_line")}. Manifest SHA-256 {r.Text("manifest_sha256")}: {check}.")
            { Facts = [("collected_at", Finding.Iso(r.Time("collected_at"))), ("principal", r.Text("principal")), ("manifest_sha256", r.Text("manifest_sha256")), ("manifest_check", check)] });
        }

        return new EvidenceClock
        {
            Statements = list.OrderBy(s => s.Kind == "custody").ThenByDescending(s => s.Severity).ThenBy(s => s.At ?? DateTime.MaxValue).ThenBy(s => s.Subject, StringComparer.Ordinal).ToList(),
            DeliveryFailures = failures, Created = created, Versioning = versioning,
        };
    }

    static IEnumerable<WindowStatement> Lifecycle(QueryRow l, string who, DateTime now, DateTime from, DateTime to)
    {
        var c = CultureInfo.InvariantCulture;
        var prefix = l.TextOrNull("prefix") is { Length: > 0 } p ? $"'{p}'" : "the whole bucket";
        var rule = l.TextOrNull("rule_id") is { Length: > 0 } id ? $"rule {id}" : "a rule";
        var action = l.Text("action");
        var days = l.IsNull("days") ? (int?)null : l.Int("days");
        var date = l.TimeOrNull("date");
        IReadOnlyList<(string, string?)> facts = [("prefix", l.TextOrNull("prefix") ?? ""), ("action", action), ("days", days?.ToString(c)), ("rule_id", l.TextOrNull("rule_id"))];
        if (action == "expire-noncurrent" && days is { } nd)
        {
            yield return new("lifecycle_expiry", l.TextOrNull("prefix") ?? "", null, Severity.Medium, $"Earlier versions under {prefix} expire {nd} days after they stop being current",
                $"{who}: {rule} deletes noncurrent versions under {prefix} {nd} days after they were overwritten or deleted: the earlier version of a deleted object can be recovered only until then.") { Facts = facts };
            yield break;
        }
        // The date an object written at t meets the rule; objects written before `lost` have met it by `now`.
        DateTime Due(DateTime t) => days is { } n ? LifecycleDue(t, n) : date!.Value;
        if (days is null && date is null) yield break;
        var lostBefore = days is { } d ? now.Date.AddDays(-d) : (date <= now ? DateTime.MaxValue : DateTime.MinValue);
        if (action == "expire")
        {
            if (from < lostBefore)
                yield return new("retention_lost", l.TextOrNull("prefix") ?? "", lostBefore == DateTime.MaxValue ? date : lostBefore, Severity.High,
                    $"Objects under {prefix} written before {ProcedureRun.Show(lostBefore == DateTime.MaxValue ? now : lostBefore)} are gone ({rule})",
                    $"{who}: {rule} expires objects under {prefix} {(days is { } x ? $"{x} days after they are written (at the next midnight UTC)" : $"on {ProcedureRun.Show(date!.Value)}")}; "
                    + $"read {ProcedureRun.Show(now)}, so deliveries of the window before {ProcedureRun.Show(lostBefore == DateTime.MaxValue ? to : lostBefore)} can no longer be seen.") { Facts = facts };
            var oldest = from > lostBefore ? from : lostBefore;
            if (oldest < to)
                yield return new("lifecycle_expiry", l.TextOrNull("prefix") ?? "", Due(oldest), Severity.High, $"The oldest window objects under {prefix} expire {ProcedureRun.Show(Due(oldest))}",
                    $"{who}: {rule} will delete the window's oldest objects still held (written {ProcedureRun.Show(oldest)}) at {ProcedureRun.Show(Due(oldest))}, and the window's last at {ProcedureRun.Show(Due(to))}: copy them before then.")
                { Facts = [.. facts, ("expires_at", Finding.Iso(Due(oldest)))] };
        }
        else if (action == "transition")
        {
            var cls = l.TextOrNull("storage_class") ?? "?";
            var restore = RestoreClasses.Contains(cls);
            yield return new("lifecycle_transition", l.TextOrNull("prefix") ?? "", Due(from), restore ? Severity.Medium : Severity.Info,
                $"Objects under {prefix} move to {cls} {(days is { } x ? $"{x} days after delivery" : $"on {ProcedureRun.Show(date!.Value)}")}",
                $"{who}: {rule} moves objects under {prefix} to {cls}; the window's first deliveries move {ProcedureRun.Show(Due(from))}"
                + (Due(from) <= now ? " (already done when read)" : "")
                + (restore ? $". {cls} objects cannot be read until restored (RestoreObject, hours to days): request a restore before collecting them." : "; they stay readable."))
            { Facts = [.. facts, ("storage_class", cls), ("due_at", Finding.Iso(Due(from))), ("needs_restore", restore ? "true" : "false")] };
        }
    }

    /// <summary>The bucket of an S3 destination ARN (arn:aws:s3:::bucket[/prefix]).</summary>
    static string? S3Bucket(string? arn) =>
        arn is not null && arn.StartsWith("arn:aws", StringComparison.Ordinal) && arn.Contains(":s3:::", StringComparison.Ordinal)
            ? arn[(arn.IndexOf(":s3:::", StringComparison.Ordinal) + 6)..].Split('/')[0] : null;
}
