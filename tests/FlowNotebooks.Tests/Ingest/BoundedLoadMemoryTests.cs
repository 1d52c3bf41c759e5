using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>
/// A load's memory must not grow with the number of distinct texts or with how wide AWS's format is: at 10^8 records the
/// dictionary lookups (one hash table of the whole dictionary per text column) ran past the load's 1 GB DuckDB limit.
/// Here AWS's widest text format, with a new address, instance and interface on every line (so the parser's dictionary
/// fills past its limit and starts again mid-object), loads under a DuckDB limit a fifth of the default, and every
/// record's texts are the ones written on its line.
/// </summary>
public sealed class BoundedLoadMemoryTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";
    const int Lines = 260_000;

    readonly string dir = Directory.CreateTempSubdirectory("flownb-bounded-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    static string Src(int i) => $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}";
    static string Dst(int i) => $"172.{16 + ((i >> 16) & 15)}.{(i >> 8) & 255}.{i & 255}";
    static string Instance(int i) => $"i-{i:x17}";
    static string Interface(int i) => $"eni-{i % 7919:x17}";

    [Fact]
    public void The_widest_format_with_a_new_text_on_every_line_loads_under_a_200MB_limit_with_every_text_on_its_own_record()
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < Lines; i++)
        {
            var action = i % 3 == 0 ? "REJECT" : "ACCEPT";
            var service = i % 5 == 0 ? "S3" : "-";
            text.Append(FormattableString.Invariant(
                $"5 123456789010 {Interface(i)} {Src(i)} {Dst(i)} {1024 + i % 60000} 443 6 {1 + i % 9} {100 + i} 1763478000 1763478060 {action} OK vpc-0a1 subnet-0b2 {Instance(i)} 2 IPv4 {Src(i)} {Dst(i)} eu-west-1 euw1-az3 - - - {service} egress 1\n"));
        }
        var gz = Path.Combine(dir, "123456789010_vpcflowlogs_eu-west-1_fl-0wide_20251118T1500Z_0001.log.gz");
        File.WriteAllBytes(gz, TempCase.Gzip(Encoding.ASCII.GetBytes(text.ToString())));

        var caseFile = Path.Combine(dir, "case.duckdb");
        using var store = CaseStore.Open(caseFile);
        var summary = new EvidenceLoader(store, new IngestOptions { MemoryLimit = "200MB", Workers = 2 }).Load([gz]);

        Assert.Equal(Lines, summary.Records);
        Assert.Equal(0, summary.Rejects);
        var rows = store.Query("""
            SELECT line, interface_id, srcaddr, dstaddr, pkt_srcaddr, instance_id, action, pkt_dst_aws_service, az_id, srcaddr_v4
            FROM flows ORDER BY line
            """).Rows;
        Assert.Equal(Lines, rows.Count);
        for (var i = 0; i < Lines; i++)
        {
            var r = rows[i];
            // Line 1 is the header.
            Assert.Equal((long)i + 2, (long)r[0]!);
            Assert.Equal(Interface(i), r[1]);
            Assert.Equal(Src(i), r[2]);
            Assert.Equal(Dst(i), r[3]);
            Assert.Equal(Src(i), r[4]);
            Assert.Equal(Instance(i), r[5]);
            Assert.Equal(i % 3 == 0 ? "REJECT" : "ACCEPT", r[6]);
            Assert.Equal(i % 5 == 0 ? "S3" : null, r[7]);
            Assert.Equal("euw1-az3", r[8]);
            Assert.Equal((uint)((10u << 24) | (uint)(i & 0xFFFFFF)), Convert.ToUInt32(r[9]));
        }
    }
}
