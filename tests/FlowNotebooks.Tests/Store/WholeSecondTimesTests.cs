using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// AWS's start and end are whole seconds, and the store keeps such times as seconds (they compress to ~5 fewer bytes a
/// record than microseconds); a time with a fraction (a millisecond Unix time) keeps it. Either way <c>flows</c> reads
/// a TIMESTAMP with the exact instant.
/// </summary>
public sealed class WholeSecondTimesTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    [Fact]
    public void Whole_seconds_are_kept_as_seconds_and_fractions_are_kept_and_flows_reads_both_exactly()
    {
        // Two loads: one load's objects of one format may share a batch, and a batch with a fraction keeps microseconds.
        tc.Load(null, tc.Write("seconds.log", Header + "\n2 123456789010 eni-0aaa 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK\n"));
        tc.Load(null, tc.Write("millis.log", Header + "\n2 123456789010 eni-0aaa 10.0.1.5 203.0.113.5 49153 443 6 12 3400 1700000000250 1700000060999 ACCEPT OK\n"));

        var types = tc.Query("""
            SELECT DISTINCT data_type FROM duckdb_columns() WHERE starts_with(table_name, 'flow_records_') AND column_name IN ('start_time', 'end_time') ORDER BY 1
            """).Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal(["TIMESTAMP", "TIMESTAMP_S"], types);
        Assert.Equal("TIMESTAMP", tc.Scalar<string>("SELECT data_type FROM duckdb_columns() WHERE table_name = 'flows' AND column_name = 'start_time'"));

        // 1700000000 s is 2023-11-14 22:13:20 UTC.
        var at = new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc);
        var rows = tc.Query("SELECT start_time, end_time FROM flows ORDER BY srcport").Rows;
        Assert.Equal<object?>([at, at.AddSeconds(60)], rows[0].Select(v => (object?)DateTime.SpecifyKind((DateTime)v!, DateTimeKind.Utc)).ToArray());
        Assert.Equal<object?>([at.AddMilliseconds(250), at.AddMilliseconds(60_999)], rows[1].Select(v => (object?)DateTime.SpecifyKind((DateTime)v!, DateTimeKind.Utc)).ToArray());
        // A window filter reads through the conversion: one record started in [22:13:20, 22:13:20.1).
        Assert.Equal(1L, tc.Scalar<long>("SELECT count(*) FROM flows WHERE start_time >= $1 AND start_time < $2", at, at.AddMilliseconds(100)));
    }
}
