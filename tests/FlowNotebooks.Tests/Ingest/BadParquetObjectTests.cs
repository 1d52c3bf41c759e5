using FlowNotebooks.Formats;
using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>
/// Parquet objects not as AWS writes them never stop a load: a value that does not fit its field rejects its row, an
/// object that cannot be decoded at all becomes an unreadable manifest row naming it, and the objects around it load.
/// </summary>
public sealed class BadParquetObjectTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_bad_parquet_object_between_good_ones_keeps_both_and_is_named_in_the_manifest_and_rejects(int workers)
    {
        var good = Path.Combine(tc.Dir, "a-good.log.parquet");
        var mixed = Path.Combine(tc.Dir, "b-not-aws-types.parquet");
        var nested = Path.Combine(tc.Dir, "c-nested.parquet");
        // AWS types: ints, bigints, strings.
        tc.Store.Execute($"""
            COPY (SELECT 5::INTEGER AS version, '123456789010' AS account_id, 'eni-0good' AS interface_id, '10.0.1.' || i AS srcaddr,
                         '203.0.113.5' AS dstaddr, (40000 + i)::INTEGER AS srcport, 443::INTEGER AS dstport, 6::INTEGER AS protocol,
                         1::BIGINT AS packets, (100 * i)::BIGINT AS bytes, 1700000000::BIGINT AS "start", 1700000060::BIGINT AS "end",
                         'ACCEPT' AS action, 'OK' AS log_status
                  FROM range(1, 4) t(i)) TO '{good}' (FORMAT parquet)
            """);
        // Numbers stored as text holding '-' and 'None', and an integer account id: rows 3 and 4 cannot be records.
        tc.Store.Execute($"""
            COPY (SELECT * FROM (VALUES
              (123456789010::BIGINT, 'eni-0mixed', '10.0.2.1', '443', '-', '1700000000', '1700000060'),
              (123456789010::BIGINT, 'eni-0mixed', '10.0.2.2', '-', '99', '1700000000', '1700000060'),
              (123456789010::BIGINT, 'eni-0mixed', '10.0.2.3', 'None', '99', '1700000000', '1700000060'),
              (123456789010::BIGINT, 'eni-0mixed', 'None', '443', 'None', 'None', '1700000060'))
              t(account_id, interface_id, srcaddr, dstport, bytes, "start", "end")) TO '{mixed}' (FORMAT parquet)
            """);
        // A column type no flow-log field has (a list): nothing in the object can be read as records.
        tc.Store.Execute($"COPY (SELECT 'eni-0nested' AS interface_id, [1, 2]::INTEGER[] AS tags) TO '{nested}' (FORMAT parquet)");
        tc.Write("d-corrupt.parquet", Encoding.ASCII.GetBytes("PAR1 not really parquet PAR1"));
        tc.WriteGzip("e-good.log.gz", Header + "\n" + string.Join("\n", Enumerable.Range(1, 5).Select(i =>
            $"2 123456789010 eni-0text 10.0.3.{i} 198.51.100.7 {50000 + i} 443 6 10 {1000 + i} 1700000000 1700000060 ACCEPT OK")) + "\n");

        var summary = tc.Load(new IngestOptions { Workers = workers });

        Assert.Equal(5, summary.Objects);
        var manifest = tc.Query("SELECT object, status, records, rejected FROM evidence ORDER BY object").Rows;
        Assert.Equal<object?>(["a-good.log.parquet", "complete", 3L, 0L], manifest[0]);
        Assert.Equal<object?>(["b-not-aws-types.parquet", "complete", 2L, 2L], manifest[1]);
        Assert.Equal<object?>(["c-nested.parquet", "unreadable", 0L, 1L], manifest[2]);
        Assert.Equal<object?>(["d-corrupt.parquet", "unreadable", 0L, 1L], manifest[3]);
        Assert.Equal<object?>(["e-good.log.gz", "complete", 5L, 0L], manifest[4]);
        Assert.Equal(3L, tc.Scalar<long>("SELECT count(*) FROM flows WHERE interface_id = 'eni-0good'"));
        Assert.Equal(5L, tc.Scalar<long>("SELECT count(*) FROM flows WHERE interface_id = 'eni-0text'"));
        Assert.Equal<object?>([1L, "123456789010", 443, null], tc.Query("SELECT line, account_id, dstport, bytes FROM flows WHERE srcaddr = '10.0.2.1'").Rows.Single());
        Assert.Equal<object?>([2L, null, 99L], tc.Query("SELECT line, dstport, bytes FROM flows WHERE srcaddr = '10.0.2.2'").Rows.Single());

        var rejects = tc.Query("SELECT object, line, reason, raw FROM rejects ORDER BY object, line").Rows;
        Assert.Equal(4, rejects.Count);
        Assert.Equal<object?>(["b-not-aws-types.parquet", 3L, "field 'dstport' (Parquet VARCHAR): 'None' is not a 32-bit integer"], rejects[0][..3]);
        Assert.Contains("\"srcaddr\":\"10.0.2.3\"", (string)rejects[0][3]!);
        Assert.Equal<object?>(["b-not-aws-types.parquet", 4L, "field 'srcaddr' (Parquet VARCHAR): 'None' is not an IPv4 or IPv6 address"], rejects[1][..3]);
        Assert.Equal<object?>(["c-nested.parquet", 0L], rejects[2][..2]);
        Assert.Equal("object c-nested.parquet could not be read: column 'tags' is a list, a Parquet type no flow-log field can hold", rejects[2][2]);
        Assert.Equal<object?>(["d-corrupt.parquet", 0L], rejects[3][..2]);
        Assert.StartsWith("object d-corrupt.parquet could not be read: not a readable Parquet file", (string)rejects[3][2]!);
    }

    [Fact]
    public void Objects_that_fail_with_io_errors_are_unreadable_manifest_rows_and_the_rest_loads()
    {
        static string Line(int i) => $"2 123456789010 eni-0io 10.0.0.{i} 10.0.0.200 {i} 2 6 1 1 1700000000 1700000060 ACCEPT OK";
        byte[] Text(string eni) => Encoding.ASCII.GetBytes(Header + "\n" + string.Join("\n", Enumerable.Range(1, 40).Select(Line)).Replace("eni-0io", eni) + "\n");
        var text = Text("eni-0a");
        var other = Text("eni-0b");
        var opens = 0;
        var key = new FlowNotebooks.Formats.KeyMetadata(null, null, null, null, null, FlowNotebooks.Formats.KeyLayout.None, null);
        FlowNotebooks.Sources.EvidenceObject[] objects =
        [
            new("a-fine.log", text.Length, key, () => new MemoryStream(text)),
            // Hashed fine, then the disk fails part-way through the read: the records before the failure stay.
            new("b-fails-midway.log", other.Length, key, () => Interlocked.Increment(ref opens) == 1 ? new MemoryStream(other) : new FailingStream(other, other.Length / 2)),
            // Cannot even be opened: its bytes are unknown, the manifest says so.
            new("c-gone.log", 10, key, () => throw new IOException("Input/output error")),
        ];
        using var store = FlowNotebooks.Store.CaseStore.Open();
        var summary = new EvidenceLoader(store, new IngestOptions { Workers = 1 }).Load(objects);

        Assert.Equal(3, summary.Objects);
        var rows = store.Query("SELECT object, status, records, rejected, sha256 FROM evidence ORDER BY object").Rows;
        Assert.Equal<object?>(["a-fine.log", "complete", 40L, 0L], rows[0][..4]);
        Assert.Equal("unreadable", rows[1][1]);
        Assert.InRange((long)rows[1][2]!, 1L, 39L);
        Assert.Equal<object?>(["c-gone.log", "unreadable", 0L, 1L, ""], rows[2]);
        var reasons = store.Query("SELECT object, reason FROM rejects ORDER BY object").Rows;
        Assert.StartsWith("object b-fails-midway.log could not be read: disk read failed", (string)reasons[0][1]!);
        Assert.Contains("records before it are kept", (string)reasons[0][1]!);
        Assert.Equal("object c-gone.log could not be read: Input/output error", reasons[1][1]);
        Assert.Equal(40L + (long)rows[1][2]!, store.Scalar<long>("SELECT count(*) FROM flows"));
    }

    /// <summary>Gives the first bytes of an object, then fails as a bad disk would.</summary>
    sealed class FailingStream(byte[] data, int failAt) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAt) throw new IOException("disk read failed");
            return base.Read(buffer, offset, (int)Math.Min(count, failAt - Position));
        }

        public override int Read(Span<byte> buffer)
        {
            var chunk = new byte[buffer.Length];
            var n = Read(chunk, 0, chunk.Length);
            chunk.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
    }
}
