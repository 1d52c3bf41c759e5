using FlowNotebooks.Sources;

namespace FlowNotebooks.Store;

internal sealed partial class CaseWriter
{
    /// <summary>describe-log-groups into <c>log_groups</c>, inside the open transaction.</summary>
    public void WriteLogGroups(IReadOnlyList<LogGroupInfo> groups, DateTime? describedAt, int evidenceId)
    {
        Begin();
        using var a = Connection.CreateAppender("log_groups");
        foreach (var g in groups)
            a.CreateRow().AppendValue(g.Name).AppendValue(g.Arn).AppendValue(g.RetentionDays).AppendValue(g.CreationTime).AppendValue(g.StoredBytes)
                .AppendValue(describedAt).AppendValue(evidenceId).EndRow();
    }

    /// <summary>A bucket state into <c>buckets</c>, <c>bucket_lifecycle</c> and <c>object_versions</c>.</summary>
    public void WriteBucketState(BucketState s, int evidenceId)
    {
        Begin();
        using (var a = Connection.CreateAppender("buckets"))
            a.CreateRow().AppendValue(s.Bucket).AppendValue(s.Region).AppendValue(s.Versioning).AppendValue(s.VersioningError).AppendValue(s.LifecycleError)
                .AppendValue(s.DescribedAt).AppendValue(evidenceId).EndRow();
        using (var a = Connection.CreateAppender("bucket_lifecycle"))
            foreach (var l in s.Lifecycle)
                a.CreateRow().AppendValue(s.Bucket).AppendValue(l.RuleId).AppendValue(l.Prefix).AppendValue(l.Status).AppendValue(l.Action).AppendValue(l.Days)
                    .AppendValue(l.Date).AppendValue(l.StorageClass).AppendValue(evidenceId).EndRow();
        using (var a = Connection.CreateAppender("object_versions"))
            foreach (var v in s.Versions)
                a.CreateRow().AppendValue(s.Bucket).AppendValue(v.Key).AppendValue(v.VersionId).AppendValue(v.IsLatest).AppendValue(v.DeleteMarker)
                    .AppendValue(v.LastModified).AppendValue(v.Size).AppendValue(v.ETag).AppendValue(v.StorageClass).AppendValue(evidenceId).EndRow();
    }

    /// <summary>A custody record into <c>custody</c> (one row per run) and <c>suspect_objects</c>.</summary>
    public void WriteCustody(CustodyRecord r, string manifestCheck, int evidenceId)
    {
        Begin();
        using (var a = Connection.CreateAppender("custody"))
            foreach (var run in r.Runs)
                a.CreateRow().AppendValue(run.CollectedAt)
                    .AppendValue(string.Join("; ", run.Principals.Select(p => p.Arn ?? $"unknown ({p.Error})")))
                    .AppendValue(run.LocalUser).AppendValue(run.Host).AppendValue(run.ToolVersion).AppendValue(run.CommandLine).AppendValue(run.Target)
                    .AppendValue(string.Join(", ", run.Sources)).AppendValue(string.Join(", ", run.Regions)).AppendValue(string.Join(", ", run.Accounts))
                    .AppendValue(run.From).AppendValue(run.To).AppendValue(r.ManifestSha256).AppendValue(manifestCheck).AppendValue(evidenceId).EndRow();
        using (var a = Connection.CreateAppender("suspect_objects"))
            foreach (var o in r.Objects.Where(o => o.Suspect is not null))
                a.CreateRow().AppendValue(o.Source).AppendValue(o.Path).AppendValue(o.Suspect).AppendValue(evidenceId).EndRow();
    }
}
