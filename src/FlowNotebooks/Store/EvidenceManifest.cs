using DuckDB.NET.Data;
using FlowNotebooks.Ingest;

namespace FlowNotebooks.Store;

/// <summary>Writes the manifest rows (table <c>evidence</c>) and rejects of loaded objects, and reads the manifest back.</summary>
internal static class EvidenceManifest
{
    public static void Write(DuckDBConnection connection, IReadOnlyList<ObjectLoad> loads)
    {
        if (loads.Count == 0) return;
        var loadedAt = DateTime.UtcNow;
        using (var appender = connection.CreateAppender("evidence"))
        {
            foreach (var l in loads)
            {
                if (l.FlowLogIds.Count > 1) l.Note($"records of flow logs {string.Join(", ", l.FlowLogIds)}");
                var k = l.Object.Key;
                appender.CreateRow()
                    .AppendValue(l.EvidenceId)
                    .AppendValue(l.Object.Name)
                    .AppendValue(l.Kind)
                    .AppendValue(l.Object.Size)
                    .AppendValue(l.Sha256)
                    .AppendValue(l.Status)
                    .AppendValue(l.Formats.Count == 0 ? null : string.Join(" | ", l.Formats.Order(StringComparer.Ordinal)))
                    .AppendValue(l.Records)
                    .AppendValue(l.RejectCount)
                    .AppendValue(l.HeaderLines)
                    .AppendValue(l.BlankLines)
                    .AppendValue(l.FirstTime)
                    .AppendValue(l.LastTime)
                    .AppendValue(l.FlowLogIds.Count > 1 ? null : l.FlowLogIds.Count == 1 ? l.FlowLogIds.Min : l.FlowLogId)
                    .AppendValue(k.AccountId)
                    .AppendValue(k.Region)
                    .AppendValue(k.DeliveryTime)
                    .AppendValue(k.Layout == Sources.KeyLayout.None ? null : k.Layout.ToString())
                    .AppendValue(l.Notes.Count == 0 ? null : string.Join("; ", l.Notes))
                    .AppendValue(loadedAt)
                    .EndRow();
            }
        }
        using (var appender = connection.CreateAppender("rejects"))
        {
            foreach (var l in loads)
                foreach (var r in l.Rejects)
                    appender.CreateRow().AppendValue(l.EvidenceId).AppendValue(r.Object).AppendValue(r.Line).AppendValue(r.Reason).AppendValue(r.Raw).EndRow();
        }
    }
}
