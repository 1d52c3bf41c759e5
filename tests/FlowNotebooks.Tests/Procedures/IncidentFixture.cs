using System.Globalization;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// A small hand-built incident, written as AWS would deliver it (S3 keys per capture and 5-minute slot, a header line,
/// describe-flow-logs and describe-network-interfaces JSON) and loaded into an in-memory case. Every figure the tests
/// expect follows from the records below by hand.
/// VPC 10.0.0.0/16: subnet-pub (NAT gateway, capture fl-pub), subnet-app (web, app; capture fl-app; web also has its own
/// ENI-level capture fl-eni, so its records are logged twice), subnet-db (db; no capture). 10.0.2.99 is in no inventory.
/// </summary>
public sealed class IncidentFixture : IDisposable
{
    public static readonly DateTime T0 = new(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
    public const string Web = "10.0.1.10", App = "10.0.1.20", Db = "10.0.2.30", Nat = "10.0.0.5", NatPublic = "198.51.100.7", Unmanaged = "10.0.2.99";
    public const string Attacker = "203.0.113.50", Pool = "203.0.113.66", Exfil1 = "192.0.2.80", Exfil2 = "192.0.2.81", Exfil3 = "192.0.2.82";
    public const string C2 = "198.51.100.200", S3 = "52.216.1.1", Scanner = "198.18.5.5";
    public static readonly int[] ScanPorts = [22, 80, 443, 1433, 3306, 5432, 6379, 8080, 8443, 9200, 27017];
    public static readonly int[] ReconPorts = [23, 25, 110, 135, 139, 445, 1433];
    /// <summary>Beacon start offsets: every 300 s plus a capture lag of 0–55 s.</summary>
    public static readonly int[] BeaconLag = [0, 40, 10, 55, 5, 30, 0, 20, 45, 15];
    /// <summary>The fl-app object of this slot is not in the evidence.</summary>
    public static readonly DateTime MissingSlot = T0.AddMinutes(25);

    const string Format = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction pkt-dst-aws-service";

    sealed record Eni(string Id, string Ip, string Subnet, string? Instance, string Name, string Role, string[] Captures);

    static readonly Eni[] Enis =
    [
        new("eni-web", Web, "subnet-app", "i-web", "web", "instance", ["fl-app", "fl-eni"]),
        new("eni-app", App, "subnet-app", "i-app", "app", "instance", ["fl-app"]),
        new("eni-nat", Nat, "subnet-pub", null, "nat", "nat_gateway", ["fl-pub"]),
        new("eni-db", Db, "subnet-db", "i-db", "db", "instance", []),
    ];

    readonly List<(Eni Eni, string Line, DateTime End)> records = [];
    public string Dir { get; }
    public CaseStore Store { get; }

    public IncidentFixture()
    {
        const bool dropMissingSlot = true;
        Dir = Directory.CreateTempSubdirectory("fnb-incident-").FullName;
        Build();
        Write(dropMissingSlot);
        Store = CaseStore.Open();
        new EvidenceLoader(Store, new IngestOptions { Workers = 1 }).Load([Dir]);
    }

    void Build()
    {
        // Initial access: the attacker's SSH to web (both captures of web log it: identical copies).
        Add("eni-web", Attacker, Web, 51000, 22, 20, 5000, 60, 120, flags: 2);
        Add("eni-web", Web, Attacker, 22, 51000, 18, 4000, 60, 120, flags: 18);
        // Discovery: web probes app on 11 ports; only 22 is allowed. Both interfaces log each probe.
        for (var i = 0; i < ScanPorts.Length; i++)
        {
            var action = ScanPorts[i] == 22 ? "ACCEPT" : "REJECT";
            Add("eni-web", Web, App, 40000 + i, ScanPorts[i], 1, 44, 300, 310, action, flags: 2);
            Add("eni-app", Web, App, 40000 + i, ScanPorts[i], 1, 44, 301, 311, action, flags: 2);
        }
        // Hop 1: web → app SSH session at +600 (logged by both ends, in slightly different windows).
        Add("eni-web", Web, App, 41000, 22, 30, 3000, 600, 660, flags: 2);
        Add("eni-app", Web, App, 41000, 22, 30, 3000, 605, 665, flags: 2);
        Add("eni-app", App, Web, 22, 41000, 25, 6000, 605, 665, flags: 18);
        Add("eni-web", App, Web, 22, 41000, 25, 6000, 600, 660, flags: 18);
        // Hop 2: app → db PostgreSQL at +900; db's subnet is unlogged, so only app's interface saw it.
        Add("eni-app", App, Db, 42000, 5432, 20, 2500, 900, 960, flags: 2);
        Add("eni-app", Db, App, 5432, 42000, 20, 8000, 900, 960, flags: 18);
        // Exfiltration 1: app → 192.0.2.80:443 through the NAT gateway, one connection over three windows (30 MB out, 300 kB in).
        for (var k = 0; k < 3; k++)
            ThroughNat(App, Exfil1, 43000, 61000, 443, 10_000_000, 100_000, 1200 + 60 * k, k == 0);
        // Exfiltration 2: app → 192.0.2.81 through the NAT, on both sides of fl-app's missing slot and SKIPDATA (the NAT saw no gap).
        ThroughNat(App, Exfil2, 44000, 61001, 443, 5_000_000, 50_000, 1380, true);
        ThroughNat(App, Exfil2, 44000, 61001, 443, 10_000_000, 50_000, 1860, false);
        // Exfiltration 3: the same shape to 192.0.2.82 but seen only on app's interface (no NAT copy): its gap is blind time.
        Add("eni-app", App, Exfil3, 45000, 443, 4000, 5_000_000, 1380, 1440, flags: 2);
        Add("eni-app", App, Exfil3, 45000, 443, 8000, 10_000_000, 1860, 1920);
        // S3 upload: an AWS service destination, separated from the ledger.
        Add("eni-app", App, S3, 46000, 443, 15000, 20_000_000, 1000, 1060, flags: 2, awsService: "S3");
        // Beacon: web → 198.51.100.200:443 every 300 s, each a new connection.
        for (var k = 0; k < BeaconLag.Length; k++)
        {
            var s = 2000 + 300 * k + BeaconLag[k];
            Add("eni-web", Web, C2, 47000 + k, 443, 8, 1200, s, s + 5, flags: 3);
            Add("eni-web", C2, Web, 443, 47000 + k, 6, 900, s, s + 5, flags: 19);
        }
        // Recon from outside: rejected probes on 7 ports of web.
        for (var i = 0; i < ReconPorts.Length; i++)
            Add("eni-web", Scanner, Web, 50000 + i, ReconPorts[i], 1, 40, 2500, 2510, "REJECT", flags: 2);
        // The unmanaged host in the unlogged subnet mines through the NAT gateway: only the NAT's interface saw it.
        ThroughNat(Unmanaged, Pool, 48000, 61002, 3333, 5_000_000, 50_000, 1000, true);
        // SKIPDATA on app's interface.
        Line("eni-app", "- - - - - - -", 1800, 1859, "-", "SKIPDATA", null, null, null, null);
    }

    /// <summary>The four NAT gateway records of a conversation plus, when the workload is managed, its own two.</summary>
    void ThroughNat(string asset, string remote, int assetPort, int natPort, int remotePort, long bytesOut, long bytesIn, int start, bool first)
    {
        int? fo = first ? 2 : 0, fi = first ? 18 : 0;
        if (asset != Unmanaged)
        {
            Add("eni-app", asset, remote, assetPort, remotePort, bytesOut / 1400, bytesOut, start, start + 60, flags: fo);
            Add("eni-app", remote, asset, remotePort, assetPort, bytesIn / 1400 + 1, bytesIn, start, start + 60, flags: fi);
        }
        Add("eni-nat", asset, Nat, assetPort, remotePort, bytesOut / 1400, bytesOut, start, start + 60, flags: fo, pktDst: remote);
        Add("eni-nat", Nat, remote, natPort, remotePort, bytesOut / 1400, bytesOut, start, start + 60, flags: fo);
        Add("eni-nat", remote, Nat, remotePort, natPort, bytesIn / 1400 + 1, bytesIn, start, start + 60, flags: fi);
        Add("eni-nat", Nat, asset, remotePort, assetPort, bytesIn / 1400 + 1, bytesIn, start, start + 60, flags: fi, pktSrc: remote);
    }

    void Add(string eni, string src, string dst, int sport, int dport, long packets, long bytes, int start, int end, string action = "ACCEPT",
        int? flags = null, string? pktSrc = null, string? pktDst = null, string? awsService = null) =>
        Line(eni, string.Create(CultureInfo.InvariantCulture, $"{src} {dst} {sport} {dport} 6 {packets} {bytes}"), start, end, action, "OK", flags,
            pktSrc ?? src, pktDst ?? dst, awsService, src);

    void Line(string eniId, string middle, int start, int end, string action, string status, int? flags, string? pktSrc, string? pktDst, string? awsService, string? src = null)
    {
        var eni = Enis.Single(e => e.Id == eniId);
        var direction = src is null ? "-" : src == eni.Ip ? "egress" : "ingress";
        var s = T0.AddSeconds(start);
        var e = T0.AddSeconds(end);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"5 123456789012 {eni.Id} {middle} {Epoch(s)} {Epoch(e)} {action} {status} vpc-1 {eni.Subnet} {eni.Instance ?? "-"} {(flags is { } f ? f.ToString(CultureInfo.InvariantCulture) : "-")} IPv4 {pktSrc ?? "-"} {pktDst ?? "-"} {direction} {awsService ?? "-"}");
        records.Add((eni, line, e));
    }

    static long Epoch(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalSeconds;

    static DateTime Slot(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.FromMinutes(5).Ticks, DateTimeKind.Utc);

    void Write(bool dropMissingSlot)
    {
        var lines = new Dictionary<(string FlowLog, DateTime Slot), List<string>>();
        foreach (var (eni, line, end) in records)
            foreach (var fl in eni.Captures)
            {
                var key = (fl, Slot(end));
                if (!lines.TryGetValue(key, out var list)) lines[key] = list = [];
                list.Add(line);
            }
        // An idle interface writes NODATA: every capture has an object in every slot from the first to the last.
        var first = lines.Keys.Min(k => k.Slot);
        var last = lines.Keys.Max(k => k.Slot);
        foreach (var fl in new[] { "fl-app", "fl-eni", "fl-pub" })
            for (var slot = first; slot <= last; slot = slot.AddMinutes(5))
                foreach (var eni in Enis.Where(e => e.Captures.Contains(fl)))
                {
                    var key = (fl, slot);
                    if (!lines.TryGetValue(key, out var list)) lines[key] = list = [];
                    if (!list.Any(l => l.Contains($" {eni.Id} ", StringComparison.Ordinal)))
                        list.Add(string.Create(CultureInfo.InvariantCulture, $"5 123456789012 {eni.Id} - - - - - - - {Epoch(slot)} {Epoch(slot.AddSeconds(60))} - NODATA vpc-1 {eni.Subnet} {eni.Instance ?? "-"} - - - - - -"));
                }
        foreach (var ((fl, slot), list) in lines)
        {
            if (dropMissingSlot && fl == "fl-app" && slot == MissingSlot) continue;
            var folder = Path.Combine(Dir, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "03", "01");
            Directory.CreateDirectory(folder);
            var name = string.Create(CultureInfo.InvariantCulture, $"123456789012_vpcflowlogs_us-east-1_{fl}_{slot:yyyyMMdd'T'HHmm'Z'}_{slot:HHmm}{fl[3..]}.log");
            File.WriteAllText(Path.Combine(folder, name), Format + "\n" + string.Join("\n", list) + "\n");
        }
        var format = "${" + string.Join("} ${", Format.Split(' ')) + "}";
        File.WriteAllText(Path.Combine(Dir, "describe-flow-logs.json"), $$"""
            {"FlowLogs": [
              {"FlowLogId": "fl-app", "ResourceId": "subnet-app", "TrafficType": "ALL", "LogDestinationType": "s3", "LogFormat": "{{format}}", "MaxAggregationInterval": 60},
              {"FlowLogId": "fl-eni", "ResourceId": "eni-web", "TrafficType": "ALL", "LogDestinationType": "s3", "LogFormat": "{{format}}", "MaxAggregationInterval": 60},
              {"FlowLogId": "fl-pub", "ResourceId": "subnet-pub", "TrafficType": "ALL", "LogDestinationType": "s3", "LogFormat": "{{format}}", "MaxAggregationInterval": 60}
            ]}
            """);
        InventoryJson.Write(Path.Combine(Dir, "describe-network-interfaces.json"),
            Enis.Select(e => new InventoryJson.Interface(e.Id, e.Ip, e.Subnet, e.Instance, e.Name, e.Role)), NatPublic);
    }

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
