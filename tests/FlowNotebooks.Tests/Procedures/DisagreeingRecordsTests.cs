using System.Globalization;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.Ingest;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// Where the records behind one row disagree (an interface moved to another instance, two addresses as often its
/// source, a pair seen over TCP and UDP, two service names for one address), the row shows a value chosen by a stated
/// rule, never the one DuckDB happened to meet first: the same evidence gives the same findings. The interface's
/// records come in time order (a first-met pick takes the older instance and the other address); each other pair is
/// loaded in both orders, so a pick by order is wrong in one of them (the code before the rules failed three cases).
/// </summary>
public sealed class DisagreeingRecordsTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id pkt-dst-aws-service";
    static readonly DateTime Stamp = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    readonly TempDir dir = new();
    readonly CaseStore store = CaseStore.Open();

    /// <summary>Writes and loads the records; <paramref name="reversed"/> puts each disagreeing pair of records in the
    /// other order, with each other's source ports, so that no order of meeting them gives the rule's answer both ways.</summary>
    void Load(bool reversed)
    {
        // eni-0b is in no inventory. Two records from 10.0.0.9 on i-old at 10:00, then two from 10.0.0.7 on i-new at 11:00.
        // eni-0c (10.0.0.20): RDP to 10.0.0.30 over UDP and over TCP; 52.95.1.1 named S3 by one record, AMAZON by another.
        (int, int) Ports(int a, int b) => reversed ? (b, a) : (a, b);
        var (udp, tcp) = Ports(50001, 50002);
        var (s3, amazon) = Ports(50003, 50004);
        string[] rdp = [Line("eni-0c", "10.0.0.20", "10.0.0.30", udp, 3389, 17, 5000, -100, "i-c"), Line("eni-0c", "10.0.0.20", "10.0.0.30", tcp, 3389, 6, 5000, -100, "i-c")];
        string[] named = [Line("eni-0c", "10.0.0.20", "52.95.1.1", s3, 443, 6, 9_000_000, -80, "i-c", "S3"), Line("eni-0c", "10.0.0.20", "52.95.1.1", amazon, 443, 6, 9_000_000, -80, "i-c", "AMAZON")];
        string[] lines =
        [
            Line("eni-0b", "10.0.0.9", "10.0.1.9", 40001, 443, 6, 600, -120, "i-old"),
            Line("eni-0b", "10.0.0.9", "10.0.1.9", 40002, 443, 6, 600, -119, "i-old"),
            Line("eni-0b", "10.0.0.7", "10.0.1.9", 40003, 443, 6, 600, -60, "i-new"),
            Line("eni-0b", "10.0.0.7", "10.0.1.9", 40004, 443, 6, 600, -59, "i-new"),
            .. reversed ? rdp.Reverse() : rdp,
            .. reversed ? named.Reverse() : named,
        ];
        S3TextObjects.Write(dir.Path, "fl-0a", Stamp, lines, Header);
        new EvidenceLoader(store, new IngestOptions { Workers = 1 }).Load([dir.Path]);
    }

    public void Dispose()
    {
        store.Dispose();
        dir.Dispose();
    }

    /// <summary>A record <paramref name="minutes"/> before the delivery stamp, one minute long.</summary>
    static string Line(string eni, string src, string dst, int srcport, int dstport, int protocol, long bytes, int minutes, string instance, string service = "-")
    {
        var start = new DateTimeOffset(Stamp.AddMinutes(minutes)).ToUnixTimeSeconds();
        return FormattableString.Invariant($"5 111111111111 {eni} {src} {dst} {srcport} {dstport} {protocol} 10 {bytes} {start} {start + 60} ACCEPT OK {instance} {service}");
    }

    ProcedureResult Run(string name) => ProcedureRegistry.Get(name).Run(store, new Dictionary<string, object?>());

    static string? Text(QueryResult t, object?[] row, string column) => row[t.IndexOf(column)] as string;

    [Fact]
    public void An_interface_shows_the_instance_of_its_last_record_and_the_lower_of_two_equally_frequent_source_addresses()
    {
        Load(reversed: false);
        // Independently of the rule's SQL: the instance of the latest record, and the address counted most, lowest first.
        var records = store.Query("SELECT srcaddr, instance_id, start_time FROM flows WHERE interface_id = 'eni-0b'").Rows;
        var latest = (string)records.MaxBy(r => (DateTime)r[2]!)![1]!;
        var own = records.GroupBy(r => (string)r[0]!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        Assert.Equal(("i-new", "10.0.0.7"), (latest, own));

        var t = Run("coverage").Table;
        var row = t.Rows.Single(r => Text(t, r, "interface_id") == "eni-0b");
        Assert.Equal((latest, own), (Text(t, row, "instance_id"), Text(t, row, "own_ip")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_admin_pair_seen_over_udp_and_tcp_shows_tcp(bool reversed)
    {
        Load(reversed);
        var t = Run("lateral-movement").Table;
        var pair = t.Rows.Single(r => Text(t, r, "client") == "10.0.0.20" && Text(t, r, "server") == "10.0.0.30");
        Assert.Equal(6, Convert.ToInt32(pair[t.IndexOf("protocol")], CultureInfo.InvariantCulture));
        Assert.Equal(10_000L, Convert.ToInt64(pair[t.IndexOf("bytes_to_server")], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_destination_two_records_name_differently_shows_the_first_name_in_text_order(bool reversed)
    {
        Load(reversed);
        var t = Run("exfil-ledger").Table;
        var row = t.Rows.Single(r => Text(t, r, "destination") == "52.95.1.1");
        Assert.Equal("AMAZON", Text(t, row, "aws_service"));
        Assert.Equal(18_000_000L, Convert.ToInt64(row[t.IndexOf("bytes_out")], CultureInfo.InvariantCulture));
    }
}
