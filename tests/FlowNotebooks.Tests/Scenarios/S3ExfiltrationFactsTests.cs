using System.Text.Json;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>
/// Exfiltration to S3, recomputed from the loaded records with AWS's documented record rules: an instance's egress
/// record names the service of pkt-dstaddr (pkt-dst-aws-service) and its path (traffic-path 7 = gateway VPC endpoint,
/// 1 = another resource in the VPC, here the NAT gateway); the NAT gateway's interface logs four records per
/// conversation, the inside leg with pkt-dstaddr = the real destination; a gateway endpoint's traffic never reaches it.
/// Run on the default seed and on a trainee's seed.
/// </summary>
public abstract class S3ExfiltrationFacts(GeneratedCase c)
{
    AnswerKey Key => c.Key;

    /// <summary>S3 prefixes as AWS's ip-ranges.json publishes them (service S3), for the region of each.</summary>
    static readonly (string Prefix, string Region)[] PublishedS3 = [("52.218.0.0/17", "eu-west-1"), ("52.216.0.0/15", "us-east-1")];

    List<JsonElement> Transfers => [.. Key.Extra["s3_transfers"].EnumerateArray()];

    static bool InPrefix(string ip, string cidr)
    {
        static uint N(string a) => a.Split('.').Aggregate(0u, (v, p) => (v << 8) | uint.Parse(p, System.Globalization.CultureInfo.InvariantCulture));
        var len = int.Parse(cidr[(cidr.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var mask = len == 0 ? 0 : uint.MaxValue << (32 - len);
        return (N(ip) & mask) == (N(cidr[..cidr.IndexOf('/')]) & mask);
    }

    [Fact]
    public void It_loads_without_rejects_and_states_two_copies_to_s3_and_no_exfiltration_to_a_host()
    {
        Assert.Equal(0, c.Summary.Rejects);
        Assert.Equal(c.Result.Records, c.Summary.Records);
        Assert.Equal("s3-exfiltration", Key.Scenario);
        Assert.Null(Key.Exfiltration);
        Assert.Equal(2, Transfers.Count);
        Assert.Equal(Key.Extra["s3_total_bytes"].GetInt64(), Transfers.Sum(t => t.GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public void Each_copy_is_named_s3_on_the_instances_own_egress_records_with_its_path_and_its_bytes()
    {
        var app2 = c.Host("app-2");
        var appLog = c.FlowLogOf(app2.SubnetId!);
        foreach (var t in Transfers)
        {
            var destination = t.GetProperty("destination").GetString()!;
            var viaNat = t.GetProperty("via").GetString() == "nat_gateway";
            // AWS: 7 = through a gateway VPC endpoint (Nitro), 1 = through another resource in the same VPC (the NAT gateway).
            var path = viaNat ? 1 : 7;
            Assert.Equal(path, t.GetProperty("traffic_path").GetInt32());
            var egress = c.Store.Query("""
                SELECT count(*), sum(bytes)::BIGINT, count(*) FILTER (WHERE pkt_dst_aws_service = 'S3' AND flow_direction = 'egress' AND traffic_path = $5)
                FROM flows WHERE flow_log_id = $1 AND interface_id = $2 AND srcaddr = $3 AND dstaddr = $4
                """, [appLog, app2.InterfaceId, app2.PrivateIp, destination, path]).Rows[0];
            Assert.Equal(Convert.ToInt64(egress[0]), Convert.ToInt64(egress[2]));
            Assert.Equal(t.GetProperty("bytes").GetInt64(), Convert.ToInt64(egress[1]));
            // The replies name S3 as the packets' source and carry no traffic-path (it is for egress only).
            Assert.Equal(0, c.Long("""
                SELECT count(*) FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND dstaddr = $3
                AND (pkt_src_aws_service IS DISTINCT FROM 'S3' OR flow_direction <> 'ingress' OR traffic_path IS NOT NULL)
                """, app2.InterfaceId, destination, app2.PrivateIp));
            Assert.Equal(t.GetProperty("window").GetProperty("start").GetDateTime(),
                c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2", app2.PrivateIp, destination));
        }
    }

    [Fact]
    public void Only_the_copy_to_another_region_crosses_the_nat_gateway_which_names_s3_on_all_four_legs()
    {
        var nat = c.Host("nat-gateway");
        var app2 = c.Host("app-2");
        foreach (var t in Transfers)
        {
            var destination = t.GetProperty("destination").GetString()!;
            var onNat = c.Long("SELECT count(*) FROM flows WHERE interface_id = $1 AND (pkt_dstaddr = $2 OR pkt_srcaddr = $2)", nat.InterfaceId, destination);
            if (t.GetProperty("via").GetString() == "gateway_endpoint")
            {
                Assert.Equal(0, onNat);
                continue;
            }
            Assert.Equal(nat.InterfaceId, t.GetProperty("nat_interface").GetString());
            var bytes = t.GetProperty("bytes").GetInt64();
            // Inside leg: from the instance to the NAT gateway's own address, pkt-dstaddr = the S3 address.
            Assert.Equal(bytes, c.Long("""
                SELECT sum(bytes)::BIGINT FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND dstaddr = $3 AND pkt_dstaddr = $4
                AND pkt_dst_aws_service = 'S3' AND flow_direction = 'ingress'
                """, nat.InterfaceId, app2.PrivateIp, nat.PrivateIp, destination));
            // Outside leg: from the NAT gateway's address to S3, egress through the internet gateway (traffic-path 2).
            Assert.Equal(bytes, c.Long("""
                SELECT sum(bytes)::BIGINT FROM flows WHERE interface_id = $1 AND srcaddr = $2 AND dstaddr = $3 AND pkt_dst_aws_service = 'S3'
                AND flow_direction = 'egress' AND traffic_path = 2
                """, nat.InterfaceId, nat.PrivateIp, destination));
            // The two reply legs name S3 as the packets' source.
            Assert.Equal(0, c.Long("SELECT count(*) FROM flows WHERE interface_id = $1 AND pkt_srcaddr = $2 AND pkt_src_aws_service IS DISTINCT FROM 'S3'",
                nat.InterfaceId, destination));
            Assert.True(c.Long("SELECT count(DISTINCT (srcaddr, dstaddr)) FROM flows WHERE interface_id = $1 AND pkt_srcaddr = $2", nat.InterfaceId, destination) == 2);
        }
    }

    [Fact]
    public void The_key_gives_the_published_prefix_and_region_of_each_destination_and_not_the_bucket()
    {
        foreach (var t in Transfers)
        {
            var destination = t.GetProperty("destination").GetString()!;
            var published = PublishedS3.Single(p => InPrefix(destination, p.Prefix));
            Assert.Equal(published.Prefix, t.GetProperty("prefix").GetString());
            Assert.Equal(published.Region, t.GetProperty("region").GetString());
            // A gateway endpoint serves its own region only: in-region goes through it, the other region through the NAT gateway.
            Assert.Equal(published.Region == Key.Region ? "gateway_endpoint" : "nat_gateway", t.GetProperty("via").GetString());
            Assert.False(t.TryGetProperty("bucket", out _));
        }
        var cannot = Key.Extra["flow_logs_cannot_tell"].EnumerateArray().Select(x => x.GetProperty("question").GetString()).ToList();
        Assert.Contains("which bucket", cannot);
        Assert.All(Key.Extra["flow_logs_cannot_tell"].EnumerateArray(), x => Assert.Equal("cannot be determined from flow logs", x.GetProperty("answer").GetString()));
    }

    [Fact]
    public void The_login_the_hop_and_the_database_dump_are_where_the_key_says()
    {
        var ia = Key.InitialAccess!;
        Assert.Equal(c.Host("bastion").PrivateIp, ia.TargetIp);
        Assert.Equal(ia.Time, c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = 22 AND action = 'ACCEPT'",
            ia.AttackerIp, ia.TargetIp));
        var hop = Assert.Single(Key.LateralPath);
        // The admins use the same bastion path by day; the hop is the first session after the stolen login.
        Assert.Equal(hop.FirstSeen, c.Store.Scalar<DateTime>("SELECT min(start_time) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = 22 AND tcp_flags & 2 = 2 AND start_time >= $3",
            hop.SourceIp, hop.DestinationIp, ia.Time));
        Assert.True(c.Long("SELECT count(*) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND dstport = 22 AND start_time < $3", hop.SourceIp, hop.DestinationIp, ia.Time) > 0);
        Assert.True(hop.FirstSeen > ia.Time);
        var dump = Key.Extra["collection"];
        var db = c.Host("db-1");
        Assert.Equal(dump.GetProperty("bytes_in").GetInt64(), c.Long("""
            SELECT sum(bytes)::BIGINT FROM flows WHERE flow_log_id = $1 AND interface_id = $2 AND srcaddr = $3 AND dstaddr = $4 AND srcport = 5432 AND dstport = $5
            """, c.FlowLogOf(db.SubnetId!), db.InterfaceId, db.PrivateIp, dump.GetProperty("host_ip").GetString(), dump.GetProperty("client_port").GetInt32()));
        // The app's own queries use the same pair all day: the dump is one session (one client port) among them.
        Assert.True(c.Long("SELECT count(DISTINCT dstport) FROM flows WHERE srcaddr = $1 AND dstaddr = $2 AND srcport = 5432", db.PrivateIp, dump.GetProperty("host_ip").GetString()) > 1);
        Assert.True(Transfers.Min(t => t.GetProperty("window").GetProperty("start").GetDateTime()) > dump.GetProperty("window").GetProperty("end").GetDateTime());
    }
}

public sealed class S3ExfiltrationFactsTests(S3ExfiltrationCase c) : S3ExfiltrationFacts(c), IClassFixture<S3ExfiltrationCase>;

public sealed class S3ExfiltrationStudentFactsTests(S3ExfiltrationStudentCase c) : S3ExfiltrationFacts(c), IClassFixture<S3ExfiltrationStudentCase>;
