using FlowNotebooks.Formats;
using DuckDB.NET.Data;

namespace FlowNotebooks.Store;

/// <summary>Writes the manifest rows (table <c>evidence</c>) and rejects of loaded objects.</summary>
internal static class EvidenceManifest
{
    public static void Write(DuckDBConnection connection, IReadOnlyList<ManifestRow> rows)
    {
        if (rows.Count == 0) return;
        var loadedAt = DateTime.UtcNow;
        using (var appender = connection.CreateAppender("evidence"))
        {
            foreach (var r in rows)
            {
                appender.CreateRow()
                    .AppendValue(r.EvidenceId)
                    .AppendValue(r.Object)
                    .AppendValue(r.Kind)
                    .AppendValue(r.Size)
                    .AppendValue(r.Sha256)
                    .AppendValue(r.Status)
                    .AppendValue(r.Format)
                    .AppendValue(r.Records)
                    .AppendValue(r.Rejected)
                    .AppendValue(r.HeaderLines)
                    .AppendValue(r.BlankLines)
                    .AppendValue(r.FirstTime)
                    .AppendValue(r.LastTime)
                    .AppendValue(r.FlowLogId)
                    .AppendValue(r.AccountId)
                    .AppendValue(r.Region)
                    .AppendValue(r.DeliveryTime)
                    .AppendValue(r.KeyLayout)
                    .AppendValue(r.Notes)
                    .AppendValue(loadedAt)
                    .AppendValue(r.LogGroup)
                    .AppendValue(r.ImplausibleTimes)
                    .AppendValue(r.NameContradicted)
                    .EndRow();
            }
        }
        using (var appender = connection.CreateAppender("rejects"))
        {
            foreach (var r in rows)
                foreach (var j in r.Rejects)
                    appender.CreateRow().AppendValue(r.EvidenceId).AppendValue(j.Object).AppendValue(j.Line).AppendValue(j.Reason).AppendValue(j.Raw).EndRow();
        }
    }
}
