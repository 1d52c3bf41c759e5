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
                    .AppendNullValue()
                    .AppendNullValue()
                    .AppendValue(l.FlowLogId)
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
        var min = loads.Min(l => l.EvidenceId);
        var max = loads.Max(l => l.EvidenceId);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            UPDATE evidence SET first_time = s.f, last_time = s.l
            FROM (SELECT evidence_id, min(start_time) AS f, max(end_time) AS l FROM flows WHERE evidence_id BETWEEN $1 AND $2 GROUP BY evidence_id) s
            WHERE evidence.evidence_id = s.evidence_id
            """;
        cmd.Parameters.Add(new DuckDBParameter(min));
        cmd.Parameters.Add(new DuckDBParameter(max));
        cmd.ExecuteNonQuery();
    }
}
