using System.Globalization;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.Ingest;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// Exact copies of a record count once, and the copy a finding cites is fixed by the evidence alone: the first by
/// evidence id, then by line, whatever order the counting meets the rows in.
/// </summary>
public sealed class CitedCopyTests : IDisposable
{
    readonly TempDir dir = new();
    string folder => dir.Path;

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_record_copied_in_two_objects_and_twice_in_one_cites_the_first_copy_by_object_then_line()
    {
        var stamp = new DateTime(2026, 3, 1, 1, 0, 0, DateTimeKind.Utc);
        var copy = S3TextObjects.Record(stamp, "10.0.0.5", 40005, bytes: 7777);
        // One capture's object holds it twice (its second and fourth records), the next object of the capture once.
        S3TextObjects.Write(folder, "fl-0a", stamp, [S3TextObjects.Record(stamp, "10.0.0.1", 40001), copy, S3TextObjects.Record(stamp, "10.0.0.2", 40002), copy]);
        S3TextObjects.Write(folder, "fl-0a", stamp.AddMinutes(5), [copy, S3TextObjects.Record(stamp, "10.0.0.3", 40003)]);
        using var store = CaseStore.Open();
        new EvidenceLoader(store, new IngestOptions { Workers = 1 }).Load([folder]);
        CountedFlows.EnsureCurrent(store);
        var lines = store.Query("SELECT evidence_id, line FROM flows WHERE bytes = 7777 ORDER BY ALL").Rows
            .Select(r => (Convert.ToInt32(r[0], CultureInfo.InvariantCulture), Convert.ToInt64(r[1], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(3, lines.Count);
        var cited = Assert.Single(store.Query("SELECT evidence_id, line, copies FROM counted_flows WHERE bytes = 7777").Rows);
        // The smallest evidence id, and of its two lines the smaller: computed from the loaded copies, not assumed.
        Assert.Equal((lines[0].Item1, lines[0].Item2, 3L),
            (Convert.ToInt32(cited[0], CultureInfo.InvariantCulture), Convert.ToInt64(cited[1], CultureInfo.InvariantCulture), Convert.ToInt64(cited[2], CultureInfo.InvariantCulture)));
        Assert.Equal(lines[0].Item1, lines[1].Item1);
        Assert.True(lines[0].Item2 < lines[1].Item2);
    }
}
