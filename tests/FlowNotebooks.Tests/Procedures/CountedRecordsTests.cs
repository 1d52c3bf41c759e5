using FlowNotebooks.Procedures;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// <c>counted_records</c> keeps the interface's addresses only where they are not the packet's, and times as whole
/// seconds when every record's are; <c>counted_flows</c> must still read as the records were logged: each counted row's
/// srcaddr and dstaddr those of the record it cites (checked against <c>flows</c>, not against the build), its times
/// exact, a fraction kept.
/// </summary>
public sealed class CountedRecordsTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    // Every counted row against the record it cites: the interface's addresses (text and numbers) and the times.
    static long RowsUnlikeTheirRecord(TempCase tc) => tc.Scalar<long>("""
        SELECT count(*) FROM counted_flows c JOIN flows f USING (evidence_id, line)
        WHERE c.srcaddr IS DISTINCT FROM f.srcaddr OR c.dstaddr IS DISTINCT FROM f.dstaddr
           OR c.srcaddr_v4 IS DISTINCT FROM f.srcaddr_v4 OR c.dstaddr_v4 IS DISTINCT FROM f.dstaddr_v4
           OR c.srcaddr_v6 IS DISTINCT FROM f.srcaddr_v6 OR c.dstaddr_v6 IS DISTINCT FROM f.dstaddr_v6
           OR c.start_time <> f.start_time OR c.end_time IS DISTINCT FROM f.end_time
           OR c.src IS DISTINCT FROM coalesce(f.pkt_srcaddr, f.srcaddr) OR c.dst IS DISTINCT FROM coalesce(f.pkt_dstaddr, f.dstaddr)
        """);

    string TimeType() => tc.Scalar<string>(
        "SELECT data_type FROM duckdb_columns() WHERE table_name = 'counted_records' AND column_name = 'start_time'")!;

    [Fact]
    public void A_nat_gateways_records_read_with_the_addresses_it_logged_and_the_packets()
    {
        // A NAT gateway's interface logs the workload's packet to the internet with its own address as srcaddr (and the
        // workload's as pkt-srcaddr); a custom format may log pkt-dstaddr without dstaddr.
        tc.Write("nat.log", """
            version interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status
            5 eni-0nat 10.0.0.9 203.0.113.5 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK
            5 eni-0nat 10.0.1.5 10.0.0.9 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK
            5 eni-0app 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5 49153 443 6 3 900 1700000000 1700000060 ACCEPT OK
            """);
        tc.Write("no-dstaddr.log", """
            version interface-id srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status
            5 eni-0db 10.0.2.7 198.51.100.1 5432 50000 6 4 800 1700000000 1700000060 ACCEPT OK
            """);
        tc.Load();
        CountedFlows.EnsureCurrent(tc.Store);

        Assert.Equal(4L, tc.Scalar<long>("SELECT count(*) FROM counted_flows"));
        Assert.Equal(0L, RowsUnlikeTheirRecord(tc));
        // Not vacuous: the NAT's two legs and the record without a dstaddr are stored with the interface's addresses, the
        // workload's own record without.
        Assert.Equal(3L, tc.Scalar<long>("SELECT count(*) FROM counted_records WHERE logged_other"));
        Assert.Equal(1L, tc.Scalar<long>("SELECT count(*) FROM counted_flows WHERE dstaddr IS NULL AND dst = '198.51.100.1'"));
        Assert.Equal("10.0.0.9", tc.Scalar<string>("SELECT srcaddr FROM counted_flows WHERE interface_id = 'eni-0nat' AND dstaddr = '203.0.113.5'"));
        // case_addresses names the interface's addresses too (the NAT's own), as before the table was narrowed.
        Assert.Equal(1L, tc.Scalar<long>("SELECT count(*) FROM case_addresses WHERE ip = '10.0.0.9' AND ip_v4 = 167772169"));
        Assert.Equal("TIMESTAMP_S", TimeType());
        Assert.Equal("TIMESTAMP", tc.Scalar<string>("SELECT data_type FROM duckdb_columns() WHERE table_name = 'counted_flows' AND column_name = 'start_time'"));
    }

    [Fact]
    public void A_fraction_of_a_second_brought_by_new_evidence_counts_the_case_again_in_microseconds()
    {
        tc.Load(null, tc.Write("seconds.log", Header + "\n2 123456789010 eni-0aaa 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK\n"));
        CountedFlows.EnsureCurrent(tc.Store);
        Assert.Equal("TIMESTAMP_S", TimeType());

        // A millisecond Unix time: kept as it was logged, which seconds cannot hold.
        tc.Load(null, tc.Write("millis.log", Header + "\n2 123456789010 eni-0aaa 10.0.1.5 203.0.113.5 49153 443 6 12 3400 1700000000250 1700000060999 ACCEPT OK\n"));
        CountedFlows.EnsureCurrent(tc.Store);
        Assert.Equal("TIMESTAMP", TimeType());
        Assert.Equal(0L, RowsUnlikeTheirRecord(tc));
        // 1700000000 s is 2023-11-14 22:13:20 UTC.
        var at = new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc);
        var times = tc.Query("SELECT start_time, end_time FROM counted_flows ORDER BY srcport").Rows
            .Select(r => r.Select(v => DateTime.SpecifyKind((DateTime)v!, DateTimeKind.Utc)).ToArray()).ToList();
        Assert.Equal([at, at.AddSeconds(60)], times[0]);
        Assert.Equal([at.AddMilliseconds(250), at.AddMilliseconds(60_999)], times[1]);
        // Counted whole again (an update would have cut the fraction): the build record is a whole build, no update after it.
        var record = DerivedTablesRecord.Load(tc.Store)!.Statements;
        Assert.Contains(record, s => s.Name == "counted_records" && s.Sql.StartsWith("CREATE", StringComparison.Ordinal));
        Assert.DoesNotContain(record, s => s.Name == "fnb_update_hours");
    }
}
