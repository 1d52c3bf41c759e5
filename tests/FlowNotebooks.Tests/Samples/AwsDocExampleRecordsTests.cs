using System.Numerics;
using FlowNotebooks.Parsing;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Samples;

/// <summary>
/// Every example record of the VPC user guide's "flow log record examples" page, loaded through the engine (each
/// section as an S3-style object whose header line is the section's format) and checked against what the page says
/// the record means.
/// </summary>
public sealed class AwsDocExampleRecordsTests : IDisposable
{
    readonly TempCase tc = new();
    readonly IReadOnlyList<DocSection> sections = DocSection.Read();

    public AwsDocExampleRecordsTests()
    {
        for (var i = 0; i < sections.Count; i++)
        {
            var s = sections[i];
            tc.Write($"section-{i:D2}.log", s.Format + "\n" + string.Join("\n", s.Records) + "\n");
        }
        tc.Load();
    }

    public void Dispose() => tc.Dispose();

    /// <summary>Record <paramref name="n"/> (0-based) of the section whose name starts with <paramref name="section"/>.</summary>
    object?[] Row(string section, int n, string columns)
    {
        var index = sections.Select((s, i) => (s, i)).Single(x => x.s.Name.StartsWith(section, StringComparison.Ordinal)).i;
        var r = tc.Query($"SELECT {columns} FROM flows WHERE evidence_id = (SELECT evidence_id FROM evidence WHERE object = $1) AND line = $2", $"section-{index:D2}.log", n + 2);
        Assert.Single(r.Rows);
        return r.Rows[0];
    }

    static DateTime Utc(long unix) => DateTime.UnixEpoch.AddSeconds(unix);

    [Fact]
    public void Every_record_loads_and_nothing_is_rejected()
    {
        Assert.Equal(0L, tc.Scalar<long>("SELECT count(*) FROM rejects"));
        Assert.Equal((long)sections.Sum(s => s.Records.Count), tc.Scalar<long>("SELECT count(*) FROM flows"));
        Assert.Equal(sections.Count, tc.Scalar<int>("SELECT count(*) FROM evidence WHERE status = 'complete'"));
    }

    [Fact]
    public void Accepted_ssh_and_rejected_rdp()
    {
        var ssh = Row("Accepted and rejected", 0, "version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start_time, end_time, action, log_status");
        Assert.Equal<object?>([2, "123456789010", "eni-1235b8ca123456789", "172.31.16.139", "172.31.16.21", 20641, 22, 6, 20L, 4249L, Utc(1418530010), Utc(1418530070), "ACCEPT", "OK"], ssh);
        var rdp = Row("Accepted and rejected", 1, "srcaddr, dstaddr, dstport, action");
        Assert.Equal<object?>(["172.31.9.69", "172.31.9.12", 3389, "REJECT"], rdp);
    }

    [Fact]
    public void Nodata_and_skipdata_have_null_flow_fields_but_keep_their_window()
    {
        foreach (var (n, status, eni) in new[] { (0, "NODATA", "eni-1235b8ca123456789"), (1, "SKIPDATA", "eni-11111111aaaaaaaaa") })
        {
            var r = Row("No data and skipped", n, "interface_id, srcaddr, dstaddr, srcaddr_v4, srcport, dstport, protocol, packets, bytes, action, log_status, start_time, end_time");
            Assert.Equal<object?>([eni, null, null, null, null, null, null, null, null, null, status, Utc(1431280876), Utc(1431280934)], r);
        }
    }

    [Fact]
    public void Icmp_ping_accepted_in_and_reply_rejected_out_means_the_nacl_blocks_outbound()
    {
        var inbound = Row("Security group and network ACL", 0, "srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, action");
        var reply = Row("Security group and network ACL", 1, "srcaddr, dstaddr, protocol, action");
        Assert.Equal<object?>(["203.0.113.12", "172.31.16.139", 0, 0, 1, 4L, 336L, "ACCEPT"], inbound);
        Assert.Equal<object?>(["172.31.16.139", "203.0.113.12", 1, "REJECT"], reply);
        Assert.Equal("ICMP", ProtocolNames.Describe(1));
    }

    [Fact]
    public void Ipv6_addresses_keep_their_text_and_get_128_bit_numbers()
    {
        var r = Row("IPv6 traffic", 0, "srcaddr, dstaddr, srcaddr_v4, CAST(srcaddr_v6 AS VARCHAR), CAST(dstaddr_v6 AS VARCHAR), dstport, bytes");
        Assert.Equal("2001:db8:1234:a100:8d6e:3477:df66:f105", r[0]);
        Assert.Equal("2001:db8:1234:a102:3304:8879:34cf:4071", r[1]);
        Assert.Null(r[2]);
        Assert.Equal(BigInteger.Parse("020010db81234a1008d6e3477df66f105", System.Globalization.NumberStyles.HexNumber).ToString(), r[3]);
        Assert.Equal(BigInteger.Parse("020010db81234a1023304887934cf4071", System.Globalization.NumberStyles.HexNumber).ToString(), r[4]);
        Assert.Equal<object?>([22, 8855L], r[5..]);
    }

    [Fact]
    public void Tcp_flag_sequence_in_a_custom_v3_layout_with_bytes_before_packets()
    {
        // The layout puts bytes before packets: "6 568 8" is 568 bytes in 8 packets.
        var first = Row("TCP flag sequence", 0, "vpc_id, subnet_id, instance_id, type, srcaddr, dstaddr, srcport, dstport, pkt_srcaddr, pkt_dstaddr, protocol, bytes, packets, tcp_flags");
        Assert.Equal<object?>(["vpc-abcdefab012345678", "subnet-aaaaaaaa012345678", "i-01234567890123456", "IPv4", "52.213.180.42", "10.0.0.62", 43416, 5001, "52.213.180.42", "10.0.0.62", 6, 568L, 8L, 2], first);
        var flags = Enumerable.Range(0, 8).Select(i => (int)Row("TCP flag sequence", i, "tcp_flags")[0]!).ToArray();
        Assert.Equal([2, 18, 2, 18, 1, 1, 3, 19], flags);
        // The client sends SYN (2) and the server answers SYN-ACK (18); short connections OR them with FIN.
        Assert.True(TcpFlags.IsClientOpening(2));
        Assert.True(TcpFlags.IsServerAnswer(18));
        Assert.Equal("SYN FIN", TcpFlags.Describe(3));
        Assert.Equal("SYN-ACK FIN", TcpFlags.Describe(19));
        // The record with a double space between two fields still has 21 fields.
        var doubled = Row("TCP flag sequence", 7, "srcport, dstport, pkt_srcaddr, bytes, packets");
        Assert.Equal<object?>([5001, 43638, "10.0.0.62", 967L, 14L], doubled);
    }

    [Fact]
    public void Nat_gateway_records_show_the_internet_host_only_in_pkt_fields()
    {
        // Instance 10.0.1.5 → NAT 10.0.0.220 → 203.0.113.5: on the NAT ENI the first record's dstaddr is the NAT, pkt-dstaddr the internet host.
        var toNat = Row("Traffic through a NAT gateway", 0, "instance_id, interface_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr");
        Assert.Equal<object?>([null, "eni-1235b8ca123456789", "10.0.1.5", "10.0.0.220", "10.0.1.5", "203.0.113.5"], toNat);
        var natToInstance = Row("Traffic through a NAT gateway", 3, "srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr");
        Assert.Equal<object?>(["10.0.0.220", "10.0.1.5", "203.0.113.5", "10.0.1.5"], natToInstance);
        // On the instance's own ENI src = pkt-src and dst = pkt-dst.
        var own = Row("Traffic through a NAT gateway", 4, "instance_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr, version, start_time");
        Assert.Equal<object?>(["i-01234567890123456", "10.0.1.5", "203.0.113.5", "10.0.1.5", "203.0.113.5", null, null], own);
    }

    [Fact]
    public void Transit_gateway_eni_records_carry_the_client_in_pkt_srcaddr()
    {
        var viaTgw = Row("Traffic through a transit gateway", 2, "interface_id, instance_id, srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr, tcp_flags");
        Assert.Equal<object?>(["eni-11111111111111111", null, "10.40.1.175", "10.40.2.236", "10.20.33.164", "10.40.2.236", 3], viaTgw);
    }

    [Fact]
    public void V5_service_traffic_path_and_direction()
    {
        const string cols = "srcaddr, dstaddr, region, az_id, sublocation_type, sublocation_id, pkt_src_aws_service, pkt_dst_aws_service, traffic_path, flow_direction, packets, bytes";
        var ingress = Row("Service name", 0, cols);
        Assert.Equal<object?>(["52.95.128.179", "10.0.0.71", "ap-southeast-2", "apse2-az3", null, null, "S3", null, null, "ingress", 14L, 15044L], ingress);
        var egress = Row("Service name", 1, cols);
        Assert.Equal<object?>(["10.0.0.71", "52.95.128.179", "ap-southeast-2", "apse2-az3", null, null, null, "S3", 8, "egress", 7L, 471L], egress);
        Assert.Equal("through an internet gateway (Nitro-based instances only)", TrafficPath.Describe(8));
    }

    [Fact]
    public void Historic_short_interface_ids_read_in_the_default_layout()
    {
        var r = Row("Historic variants", 0, "interface_id, srcaddr, action");
        Assert.Equal<object?>(["eni-1235b8ca", "172.31.16.139", "REJECT"], r);
    }

    [Fact]
    public void Numeric_ipv4_columns_support_cidr_filters()
    {
        // 172.31.0.0/16 = 2887712768 .. 2887778303
        var n = tc.Scalar<long>("SELECT count(*) FROM flows WHERE srcaddr_v4 BETWEEN 2887712768 AND 2887778303");
        var expected = tc.Scalar<long>("SELECT count(*) FROM flows WHERE srcaddr LIKE '172.31.%'");
        Assert.True(expected > 0);
        Assert.Equal(expected, n);
        Assert.Equal(2887717003u, tc.Scalar<uint>("SELECT srcaddr_v4 FROM flows WHERE srcaddr = '172.31.16.139' LIMIT 1"));
        // Read from the text: the records tables keep each address once.
        Assert.Equal(0L, tc.Scalar<long>("SELECT count(*) FROM duckdb_columns() WHERE starts_with(table_name, 'flow_records_') AND ends_with(column_name, '_v4')"));
        Assert.True(tc.Scalar<long>("SELECT count(*) FROM duckdb_columns() WHERE starts_with(table_name, 'flow_records_') AND column_name = 'srcaddr'") > 0);
    }
}

public class AddressTextTests
{
    [Fact]
    public void Non_canonical_ipv4_text_is_kept_as_written_while_its_number_is_the_address()
    {
        using var tc = new TempCase();
        tc.Write("a.log", "srcaddr dstaddr\n010.0.0.1 10.0.0.2\n");
        tc.Load();
        Assert.Equal<object?>(["010.0.0.1", 167772161u, "10.0.0.2", 167772162u], tc.Query("SELECT srcaddr, srcaddr_v4, dstaddr, dstaddr_v4 FROM flows").Rows.Single());
    }
}
