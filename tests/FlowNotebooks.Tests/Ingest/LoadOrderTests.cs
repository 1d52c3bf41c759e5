using System.Globalization;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>
/// Objects load hour by hour of delivery (larger first within an hour), not in name or size order: a records table then
/// keeps an hour's records in neighbouring row groups, which is what lets counting read one range's row groups only.
/// </summary>
public sealed class LoadOrderTests : IDisposable
{
    readonly TempDir dir = new();
    string folder => dir.Path;

    public void Dispose() => dir.Dispose();

    string Object(string flowLogId, DateTime stamp, int records) =>
        S3TextObjects.Write(folder, flowLogId, stamp, [.. Enumerable.Range(0, records).Select(i => S3TextObjects.Record(stamp, $"10.0.0.{i + 1}", 40000 + i))]);

    [Fact]
    public void Objects_load_hour_by_hour_of_delivery_larger_first_within_an_hour()
    {
        var day = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        // Evidence ids follow the names: fl-0a@01:00 = 1, fl-0a@05:00 = 2, fl-0b@03:00 = 3, fl-0c@01:00 = 4.
        var files = new[]
        {
            Object("fl-0a", day.AddHours(1), 2), Object("fl-0a", day.AddHours(5), 3),
            Object("fl-0b", day.AddHours(3), 1), Object("fl-0c", day.AddHours(1), 4),
        };
        using var store = CaseStore.Open();
        var summary = new EvidenceLoader(store, new IngestOptions { Workers = 1 }).Load(files.ToList());
        Assert.Equal(10, summary.Records);
        Assert.Equal(4L, store.Scalar<long>("SELECT count(*) FROM evidence WHERE status = 'complete'"));
        var table = Assert.Single(store.RecordTables());
        // The order the records went into their table: by name it would be 1, 2, 3, 4; by size alone 4, 2, 1, 3.
        var order = store.Query($"SELECT evidence_id FROM {SqlText.Identifier(table)} ORDER BY rowid").Rows
            .Select(r => Convert.ToInt32(r[0], CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal([4, 1, 3, 2], order);
        // And each object's id is the one its name gives (the order of loading never changes an id).
        Assert.Equal(["fl-0a|01", "fl-0a|05", "fl-0b|03", "fl-0c|01"], store.Query(
            "SELECT flow_log_id || '|' || strftime(delivery_time, '%H') FROM evidence ORDER BY evidence_id").Rows.Select(r => (string)r[0]!));
    }
}
