using System.Security.Cryptography;
using FlowNotebooks.Tests.TestSupport;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace FlowNotebooks.Tests.Sources;

/// <summary>
/// Security Lake VPC flow objects (OCSF Network Activity in Parquet, both source versions, nested as Security Lake stores
/// them) read to the same flows values as the flow-log text records they were made from. The OCSF rows are built here
/// from the text records by the documented forward mapping (OCSF project's AWS VPC flow mapping, 1.0.0-rc.2 sample and
/// 1.1.0 table), written with Parquet.Net.
/// </summary>
public sealed class SecurityLakeTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status "
        + "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";

    internal static readonly string[] Records =
    [
        "5 123456789012 eni-0a1 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK vpc-01 subnet-01 i-01 19 IPv4 10.0.1.5 203.0.113.5 us-east-1 use1-az1 - - egress 8",
        "5 123456789012 eni-0a1 198.51.100.7 10.0.1.5 51515 22 6 1 40 1700000010 1700000070 REJECT OK vpc-01 subnet-01 i-01 2 IPv4 198.51.100.7 10.0.1.5 us-east-1 use1-az1 - - ingress -",
        // A NAT gateway's interface: the packet-level source differs from srcaddr.
        "5 123456789012 eni-0nat 10.0.0.9 52.216.1.1 40000 443 6 20 9000 1700000100 1700000160 ACCEPT OK vpc-01 subnet-02 - 3 IPv4 10.0.1.5 52.216.1.1 us-east-1 use1-az1 - S3 egress 2",
        "5 123456789012 eni-0a1 2001:db8::1 2001:db8::5 53 33333 17 2 180 1700000200 1700000260 ACCEPT OK vpc-01 subnet-01 i-01 0 IPv6 2001:db8::1 2001:db8::5 us-east-1 use1-az1 - - ingress -",
    ];

    const string Compared = """
        version, account_id, interface_id, srcaddr, srcaddr_v4, srcaddr_v6, dstaddr, dstaddr_v4, dstaddr_v6, srcport, dstport, protocol,
        packets, bytes, start_time, end_time, action, log_status, vpc_id, subnet_id, instance_id, tcp_flags, type, region, az_id,
        pkt_src_aws_service, pkt_dst_aws_service, flow_direction, traffic_path, line
        """;

    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    static string Key(string version, string file) =>
        $"lake/aws/VPC_FLOW/{version}/region=us-east-1/accountId=123456789012/eventDay=20231114/{file}.gz.parquet";

    [Fact]
    public void Both_source_versions_read_to_the_same_flows_values_as_the_text_records()
    {
        tc.WriteGzip("text/123456789012_vpcflowlogs_us-east-1_fl-0abc_20231114T2210Z_0a1b2c3d.log.gz", Header + "\n" + string.Join("\n", Records) + "\n");
        var v1 = tc.Write(Key("1.0", "v1-part"), Ocsf(Records, rc2: true));
        var v2 = tc.Write(Key("2.0", "v2-part"), Ocsf(Records, rc2: false));
        var s = tc.Load();
        Assert.Equal(12, s.Records);
        Assert.Equal(0, s.Rejects);

        // The text records with what OCSF keeps: pkt-* addresses only where they differ from srcaddr/dstaddr (line = the
        // record's line in the text, the row number in the Parquet object: the header shifts the text by one).
        string Rows(string where) => $"SELECT {Compared}, CASE WHEN pkt_srcaddr <> srcaddr THEN pkt_srcaddr END, CASE WHEN pkt_dstaddr <> dstaddr THEN pkt_dstaddr END FROM flows WHERE evidence_id IN (SELECT evidence_id FROM evidence WHERE {where}) ORDER BY line";
        var text = tc.Query(Rows("kind = 'flow-text'")).Rows.Select(r => { var c = (object?[])r.Clone(); c[^3] = (long)c[^3]! - 1; return c; }).ToList();
        Assert.Equal(4, text.Count);
        foreach (var obj in new[] { v1, v2 })
        {
            var name = Path.GetRelativePath(tc.Dir, obj).Replace('\\', '/');
            var lake = tc.Query(Rows($"object = '{name}'")).Rows;
            Assert.Equal(text.Count, lake.Count);
            for (var i = 0; i < text.Count; i++) Assert.Equal(text[i], lake[i]);
            // Provenance: the object, its SHA-256 and key partitions; the row number as line.
            var e = tc.Query("SELECT kind, status, sha256, account_id, region, key_layout, records, notes FROM evidence WHERE object = $1", name).Rows.Single();
            Assert.Equal("security-lake-ocsf", e[0]);
            Assert.Equal("complete", e[1]);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(obj))), e[2]);
            Assert.Equal<object?>(["123456789012", "us-east-1", "SecurityLake", 4L], e[3..7]);
            Assert.Contains("drops the capture (flow-log id)", (string)e[7]!);
        }
        // The NAT record: OCSF's ip is the packet-level address, srcaddr came back from intermediate_ips.
        Assert.Equal(3L, tc.Scalar<long>("SELECT count(*) FROM flows WHERE srcaddr = '10.0.0.9' AND pkt_srcaddr = '10.0.1.5' AND pkt_dst_aws_service = 'S3'"));
    }

    [Fact]
    public void Coverage_of_a_case_read_only_from_Security_Lake_says_what_it_cannot_show()
    {
        tc.Write(Key("1.0", "v1-part"), Ocsf(Records, rc2: true));
        tc.Write(Key("2.0", "v2-part"), Ocsf(Records, rc2: false));
        tc.Load();
        var result = new FlowNotebooks.Procedures.CoverageReport().Run(tc.Store, new Dictionary<string, object?>
        {
            ["from"] = new DateTime(2023, 11, 14, 22, 0, 0, DateTimeKind.Utc), ["to"] = new DateTime(2023, 11, 14, 23, 0, 0, DateTimeKind.Utc),
        });
        var statement = result.Findings.Single(f => f.Title == "What was logged").Statement;
        Assert.Contains("Read only from Security Lake (2 OCSF object(s)), so it cannot show what OCSF does not keep:", statement);
        Assert.Contains("it drops the capture (flow-log id), so gaps cannot be told per capture", statement);
        Assert.Contains("reject-reason (v8)", statement);
    }

    [Fact]
    public void A_wrong_class_or_a_wrong_type_is_a_reject_naming_the_object_and_the_rest_loads()
    {
        var good = tc.Write(Key("2.0", "a-good"), Ocsf(Records, rc2: false));
        // An Authentication (3002) object in the flow source's place.
        tc.Write(Key("2.0", "b-wrong-class"), Ocsf(Records[..2], rc2: false, classUid: 3002));
        // A port stored as text that is no number.
        tc.Write(Key("2.0", "c-bad-port"), Ocsf(Records, rc2: false, badPortRow: 2));
        var s = tc.Load();
        Assert.Equal(4 + 3, s.Records);
        Assert.Equal(2 + 1, s.Rejects);
        var rejects = tc.Query("SELECT object, line, reason, raw FROM rejects ORDER BY object, line").Rows;
        Assert.All(rejects.Take(2), r => Assert.EndsWith("b-wrong-class.gz.parquet", (string)r[0]!));
        Assert.Equal("class_uid 3002 is not OCSF Network Activity (4001): not a VPC flow record", rejects[0][2]);
        Assert.EndsWith("c-bad-port.gz.parquet", (string)rejects[2][0]!);
        Assert.Equal(2L, rejects[2][1]);
        Assert.Equal("OCSF src_endpoint.port: field 'srcport' (Parquet VARCHAR): 'https' is not a 32-bit integer", rejects[2][2]);
        // The raw text is the rejected row itself as JSON, nested as stored (row 2 of the records: the rejected ingress flow).
        Assert.Contains("\"src_endpoint\":{\"ip\":\"198.51.100.7\",\"port\":\"https\"", (string)rejects[2][3]!);
        Assert.Equal(4L, tc.Scalar<long>("SELECT records FROM evidence WHERE object LIKE '%a-good%'"));
        Assert.Equal(3L, tc.Scalar<long>("SELECT records FROM evidence WHERE object LIKE '%c-bad-port%'"));
    }

    /// <summary>
    /// Flow-log records to OCSF Network Activity rows the way Security Lake stores them (forward mapping: ip = pkt-* address,
    /// intermediate_ips = [srcaddr] when they differ; the interface's ids on dst_endpoint for ingress, src_endpoint for egress;
    /// times in milliseconds; boundary_id = traffic-path + 3; rc.2: cloud.account_uid and disposition; 1.1.0: cloud.account.uid and action).
    /// </summary>
    internal static byte[] Ocsf(string[] records, bool rc2, int classUid = 4001, int badPortRow = 0)
    {
        var names = Header.Split(' ');
        var rows = new List<IDictionary<string, object?>>();
        var n = 0;
        foreach (var record in records)
        {
            n++;
            var f = names.Zip(record.Split(' ')).ToDictionary(p => p.First, p => p.Second == "-" ? null : p.Second);
            var ingress = f["flow-direction"] == "ingress";
            Dictionary<string, object?> Endpoint(string addr, string pkt, string port, string svc, bool local)
            {
                var e = new Dictionary<string, object?>
                {
                    ["ip"] = f[pkt] ?? f[addr],
                    // The bad object stores the source port as text (its other rows hold numbers as text).
                    ["port"] = badPortRow > 0 && addr == "srcaddr" ? (n == badPortRow ? "https" : f[port]) : int.Parse(f[port]!),
                    ["svc_name"] = f[svc] ?? "-",
                    ["intermediate_ips"] = f[pkt] is { } p && p != f[addr] ? new List<ReadOnlyMemory<char>?> { f[addr]!.AsMemory() } : null,
                    ["interface_uid"] = local ? f["interface-id"] : null,
                    ["vpc_uid"] = local ? f["vpc-id"] : null,
                    ["subnet_uid"] = local ? f["subnet-id"] : null,
                    ["instance_uid"] = local ? f["instance-id"] : null,
                };
                return e;
            }
            var accept = f["action"] == "ACCEPT";
            var start = long.Parse(f["start"]!) * 1000;
            var end = long.Parse(f["end"]!) * 1000;
            var row = new Dictionary<string, object?>
            {
                ["metadata"] = new Dictionary<string, object?>
                {
                    ["product"] = new Dictionary<string, object?> { ["version"] = f["version"], ["name"] = "Amazon VPC", ["feature"] = new Dictionary<string, object?> { ["name"] = "Flowlogs" }, ["vendor_name"] = "AWS" },
                    ["profiles"] = new List<ReadOnlyMemory<char>?> { "cloud".AsMemory(), "security_control".AsMemory() },
                    ["version"] = rc2 ? "1.0.0-rc.2" : "1.1.0",
                },
                ["cloud"] = rc2
                    ? new Dictionary<string, object?> { ["account_uid"] = f["account-id"], ["region"] = f["region"], ["zone"] = f["az-id"], ["provider"] = "AWS" }
                    : new Dictionary<string, object?> { ["account"] = new Dictionary<string, object?> { ["uid"] = f["account-id"] }, ["region"] = f["region"], ["zone"] = f["az-id"], ["provider"] = "AWS" },
                ["src_endpoint"] = Endpoint("srcaddr", "pkt-srcaddr", "srcport", "pkt-src-aws-service", !ingress),
                ["dst_endpoint"] = Endpoint("dstaddr", "pkt-dstaddr", "dstport", "pkt-dst-aws-service", ingress),
                ["connection_info"] = new Dictionary<string, object?>
                {
                    ["protocol_num"] = int.Parse(f["protocol"]!), ["tcp_flags"] = int.Parse(f["tcp-flags"]!), ["protocol_ver"] = f["type"],
                    ["boundary_id"] = f["traffic-path"] is { } tp ? int.Parse(tp) + 3 : 99, ["direction_id"] = ingress ? 1 : 2, ["direction"] = ingress ? "Inbound" : "Outbound",
                },
                ["traffic"] = new Dictionary<string, object?> { ["packets"] = long.Parse(f["packets"]!), ["bytes"] = long.Parse(f["bytes"]!) },
                ["time"] = start,
                ["start_time"] = start,
                ["end_time"] = end,
                ["status_code"] = f["log-status"],
                ["class_uid"] = classUid,
                ["category_uid"] = 4,
                ["activity_id"] = accept ? 6 : 5,
                ["type_uid"] = 400100L + (accept ? 6 : 5),
                ["severity_id"] = 1,
            };
            if (rc2)
            {
                row["disposition"] = accept ? "Allowed" : "Blocked";
                row["disposition_id"] = accept ? 1 : 2;
            }
            else
            {
                row["action"] = accept ? "Allowed" : "Denied";
                row["action_id"] = accept ? 1 : 2;
                row["start_time_dt"] = DateTime.UnixEpoch.AddMilliseconds(start);
                row["end_time_dt"] = DateTime.UnixEpoch.AddMilliseconds(end);
            }
            rows.Add(row);
        }
        using var ms = new MemoryStream();
        ParquetSerializer.SerializeUntypedAsync(rows, Schema(rc2, badPortRow > 0), ms, new ParquetOptions { CompressionMethod = CompressionMethod.Gzip })
            .GetAwaiter().GetResult();
        return ms.ToArray();
    }

    static ParquetSchema Schema(bool rc2, bool portAsText)
    {
        StructField Endpoint(string name) => new(name,
            new DataField<string>("ip"), portAsText && name == "src_endpoint" ? new DataField<string>("port") : new DataField<int?>("port"),
            new DataField<string>("svc_name"), new ListField("intermediate_ips", new DataField<string>("element")),
            new DataField<string>("interface_uid"), new DataField<string>("vpc_uid"), new DataField<string>("subnet_uid"), new DataField<string>("instance_uid"));
        var fields = new List<Field>
        {
            new StructField("metadata",
                new StructField("product", new DataField<string>("version"), new DataField<string>("name"),
                    new StructField("feature", new DataField<string>("name")), new DataField<string>("vendor_name")),
                new ListField("profiles", new DataField<string>("element")), new DataField<string>("version")),
            rc2
                ? new StructField("cloud", new DataField<string>("account_uid"), new DataField<string>("region"), new DataField<string>("zone"), new DataField<string>("provider"))
                : new StructField("cloud", new StructField("account", new DataField<string>("uid")), new DataField<string>("region"), new DataField<string>("zone"), new DataField<string>("provider")),
            Endpoint("src_endpoint"),
            Endpoint("dst_endpoint"),
            new StructField("connection_info", new DataField<int?>("protocol_num"), new DataField<int?>("tcp_flags"), new DataField<string>("protocol_ver"),
                new DataField<int?>("boundary_id"), new DataField<int?>("direction_id"), new DataField<string>("direction")),
            new StructField("traffic", new DataField<long?>("packets"), new DataField<long?>("bytes")),
            new DataField<long?>("time"), new DataField<long?>("start_time"), new DataField<long?>("end_time"), new DataField<string>("status_code"),
            new DataField<int?>("class_uid"), new DataField<int?>("category_uid"), new DataField<int?>("activity_id"), new DataField<long?>("type_uid"),
            new DataField<int?>("severity_id"),
        };
        if (rc2) fields.AddRange([new DataField<string>("disposition"), new DataField<int?>("disposition_id")]);
        else fields.AddRange([new DataField<string>("action"), new DataField<int?>("action_id"), new DataField<DateTime?>("start_time_dt"), new DataField<DateTime?>("end_time_dt")]);
        return new ParquetSchema(fields);
    }
}
