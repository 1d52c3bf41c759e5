using System.Globalization;
using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>
/// An incident written from packet journeys by AWS's documented record rules, without the project's generator: each
/// journey is cut into every observing capture's aggregation windows (bytes shared by seconds), logged by the sender's
/// and the receiver's interfaces and, through the NAT gateway, as its two legs with pkt-* addresses; each record goes to
/// the object of its end's 5-minute slot; every idle window is a NODATA record. Then evidence is lost as it is in real
/// cases: one capture's objects of an hour are not delivered (a record that started at 13:56 still arrives later), one
/// capture skips records (SKIPDATA), and one interface's ENI-level capture skips a minute its subnet capture saw whole.
/// The tests compute what every procedure must say from <see cref="Journeys"/> alone.
/// </summary>
/// <remarks>
/// VPC 10.1.0.0/16: web and app in subnet-a (capture fl-0a5b7c11, 600 s, windows starting at :05), app also by its own
/// ENI capture fl-0a99e002 (60 s); db in subnet-b (fl-0b3d4e55, 600 s, sparse: mostly NODATA); the NAT gateway in subnet-pub (fl-0c6f7a88, 60 s).
/// </remarks>
public sealed class JourneyIncident : IDisposable
{
    public static readonly DateTime T0 = new(2026, 4, 7, 12, 0, 0, DateTimeKind.Utc);
    public const string Web = "10.1.1.10", App = "10.1.1.20", Db = "10.1.2.30", Nat = "10.1.0.5", NatPublic = "198.51.100.7";
    /// <summary>The captures (flow-log ids): subnet-a at 600 s, app's own ENI at 60 s, subnet-b at 600 s, the public subnet at 60 s.</summary>
    public const string SubnetA = "fl-0a5b7c11", AppEni = "fl-0a99e002", SubnetB = "fl-0b3d4e55", Public = "fl-0c6f7a88";
    public const string Attacker = "203.0.113.66", Drop = "198.51.100.9", C2 = "203.0.113.50";

    /// <summary>Subnet-a's capture's objects stamped in this hour are not in the evidence.</summary>
    public static readonly (DateTime From, DateTime To) Undelivered = (T0.AddHours(1), T0.AddHours(2));
    /// <summary>Subnet-b's capture skipped records in this window (every other record of db in it is missing).</summary>
    public static readonly (DateTime From, DateTime To) DbSkipped = (T0.AddMinutes(140), T0.AddMinutes(150));
    /// <summary>App's ENI capture skipped this minute, when a beacon connection began (the NAT gateway saw it whole).</summary>
    public static readonly (DateTime From, DateTime To) AppSkipped = (T0.AddMinutes(35), T0.AddMinutes(36));
    /// <summary>The captures' windows run over this span.</summary>
    public static readonly (DateTime From, DateTime To) Span = (T0.AddMinutes(-5), T0.AddMinutes(190));

    public sealed record Journey(string Src, string Dst, int SrcPort, int DstPort, DateTime Start, DateTime End, long Bytes, long Packets, int Flags, string Action = "ACCEPT", int NatPort = 0);

    sealed record Eni(string Id, string Ip, string Subnet, string? Instance, string Name, string Role);
    sealed record Capture(string Id, string Resource, int Interval, int Offset, string[] Enis);

    static readonly Eni[] Enis =
    [
        new("eni-web", Web, "subnet-a", "i-web", "web", "instance"),
        new("eni-app", App, "subnet-a", "i-app", "app", "instance"),
        new("eni-db", Db, "subnet-b", "i-db", "db", "instance"),
        new("eni-nat", Nat, "subnet-pub", null, "nat", "nat_gateway"),
    ];

    static readonly Capture[] Captures =
    [
        new(SubnetA, "subnet-a", 600, 300, ["eni-web", "eni-app"]),
        new(AppEni, "eni-app", 60, 0, ["eni-app"]),
        new(SubnetB, "subnet-b", 600, 0, ["eni-db"]),
        new(Public, "subnet-pub", 60, 0, ["eni-nat"]),
    ];

    const string Format = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction";

    /// <summary>The ground truth: every packet journey of the incident, one direction each.</summary>
    public List<Journey> Journeys { get; } = [];
    /// <summary>Objects stamped with the delivery slots of subnet-a's capture that were dropped, for the expected coverage.</summary>
    public List<DateTime> DroppedSlots { get; } = [];
    public string Dir { get; }
    public CaseStore Store { get; }

    public static DateTime At(int minutes, int seconds = 0) => T0.AddMinutes(minutes).AddSeconds(seconds);

    public JourneyIncident()
    {
        // Initial access: SSH from the internet to web.
        Session(Attacker, Web, 51000, 22, At(5), At(6), 6_000, 9_000);
        // Discovery: web sweeps 40 addresses of subnet-b on 5432 (nothing answers; only web's interface logs the probes).
        for (var i = 0; i < 40; i++)
            Journeys.Add(new(Web, $"10.1.2.{100 + i}", 40100 + i, 5432, At(20, 2 * i), At(20, 2 * i), 60, 1, 2));
        // Lateral hop 1: web → app SSH.
        Session(Web, App, 41000, 22, At(40, 10), At(41, 20), 9_000, 21_000);
        // Lateral hop 2: web → db PostgreSQL inside subnet-a's undelivered hour: only db's interface delivered it.
        Session(Web, Db, 42000, 5432, At(91, 40), At(91, 50), 48_200, 120_000);
        // web → app:8080 starting 13:56, delivered in the object after the undelivered hour.
        Session(Web, App, 43000, 8080, At(116, 10), At(121, 30), 5_000, 7_000);
        // Exfiltration: db → Drop:443 through the NAT gateway; the first transfer runs into subnet-b's SKIPDATA window.
        Session(Db, Drop, 50100, 443, At(132), At(147, 30), 300_000_000, 3_000_000, natPort: 61100);
        Session(Db, Drop, 50101, 443, At(160), At(164), 100_000_000, 1_000_000, natPort: 61101);
        // Beacon: app → C2:443 every 300 s with capture lag; connection 5 reuses connection 3's source port 10 minutes on.
        int[] lag = [0, 20, 5, 40, 10, 0, 30, 15, 45, 5, 25, 10];
        for (var k = 0; k < lag.Length; k++)
        {
            var s = At(10 + 5 * k, lag[k]);
            var port = k == 5 ? 52003 : 52000 + k;
            Session(App, C2, port, 443, s, s.AddSeconds(4), 1_500, 4_000, natPort: 62000 + (k == 5 ? 3 : k));
        }
        Dir = Directory.CreateTempSubdirectory("fnb-journeys-").FullName;
        Write();
        Store = CaseStore.Open();
        new EvidenceLoader(Store, new IngestOptions { Workers = 1 }).Load([Dir]);
    }

    /// <summary>A request and its response (the response's first packet a second later, flags SYN-ACK).</summary>
    void Session(string client, string server, int clientPort, int serverPort, DateTime start, DateTime end, long request, long response, int natPort = 0)
    {
        Journeys.Add(new(client, server, clientPort, serverPort, start, end, request, Math.Max(1, request / 1400), 3, NatPort: natPort));
        Journeys.Add(new(server, client, serverPort, clientPort, start, end, response, Math.Max(1, response / 1400), 19, NatPort: natPort));
    }

    static bool Internal(string ip) => ip.StartsWith("10.1.", StringComparison.Ordinal);
    static Eni? Own(string ip) => Enis.SingleOrDefault(e => e.Ip == ip);

    /// <summary>The records each interface writes for a journey: (interface, srcaddr, dstaddr, srcport, dstport, pkt-src, pkt-dst).</summary>
    static IEnumerable<(Eni Eni, string Src, string Dst, int SrcPort, int DstPort, string PktSrc, string PktDst)> Observations(Journey j)
    {
        if (Own(j.Src) is { } s) yield return (s, j.Src, j.Dst, j.SrcPort, j.DstPort, j.Src, j.Dst);
        if (Own(j.Dst) is { } d) yield return (d, j.Src, j.Dst, j.SrcPort, j.DstPort, j.Src, j.Dst);
        var nat = Enis.Single(e => e.Role == "nat_gateway");
        if (j.NatPort == 0) yield break;
        // Through the NAT gateway (AWS's NAT example): the private leg to or from the gateway's own address with the remote
        // end in pkt-*, and the translated leg between the gateway and the remote end on the gateway's port.
        if (Internal(j.Src))
        {
            yield return (nat, j.Src, Nat, j.SrcPort, j.DstPort, j.Src, j.Dst);
            yield return (nat, Nat, j.Dst, j.NatPort, j.DstPort, Nat, j.Dst);
        }
        else
        {
            yield return (nat, j.Src, Nat, j.SrcPort, j.NatPort, j.Src, Nat);
            yield return (nat, Nat, j.Dst, j.SrcPort, j.DstPort, j.Src, j.Dst);
        }
    }

    /// <summary>A journey cut into a capture's aggregation windows: (start, end, bytes, packets), bytes shared by seconds.</summary>
    static IEnumerable<(DateTime Start, DateTime End, long Bytes, long Packets)> Windows(Journey j, Capture c)
    {
        var seconds = (long)(j.End - j.Start).TotalSeconds + 1;
        long done = 0, bytesDone = 0, packetsDone = 0;
        for (var w = WindowStart(j.Start, c); w <= j.End; w = w.AddSeconds(c.Interval))
        {
            var s = j.Start > w ? j.Start : w;
            var e = j.End < w.AddSeconds(c.Interval - 1) ? j.End : w.AddSeconds(c.Interval - 1);
            done += (long)(e - s).TotalSeconds + 1;
            var b = j.Bytes * done / seconds;
            var p = Math.Max(packetsDone + 1, j.Packets * done / seconds);
            yield return (s, e, b - bytesDone, p - packetsDone);
            (bytesDone, packetsDone) = (b, p);
        }
    }

    static DateTime WindowStart(DateTime t, Capture c)
    {
        var epoch = (long)(t - DateTime.UnixEpoch).TotalSeconds;
        return DateTime.UnixEpoch.AddSeconds(epoch - ((epoch - c.Offset) % c.Interval + c.Interval) % c.Interval);
    }

    static long Epoch(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalSeconds;
    static DateTime Slot(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.FromMinutes(5).Ticks, DateTimeKind.Utc);

    static string Line(Eni eni, string middle, DateTime s, DateTime e, string action, string status, string flags, string pkt, string direction) =>
        string.Create(CultureInfo.InvariantCulture,
            $"5 123456789012 {eni.Id} {middle} {Epoch(s)} {Epoch(e)} {action} {status} vpc-1 {eni.Subnet} {eni.Instance ?? "-"} {flags} IPv4 {pkt} {direction}");

    void Write()
    {
        var objects = new SortedDictionary<(string Capture, DateTime Slot), List<string>>();
        void Put(Capture c, DateTime end, string line)
        {
            var key = (c.Id, Slot(end));
            if (!objects.TryGetValue(key, out var list)) objects[key] = list = [];
            list.Add(line);
        }
        var busy = new HashSet<(string Capture, string Eni, DateTime Window)>();
        var dbSkipCount = 0;
        foreach (var j in Journeys)
            foreach (var o in Observations(j))
                foreach (var c in Captures.Where(c => c.Enis.Contains(o.Eni.Id)))
                    foreach (var (s, e, bytes, packets) in Windows(j, c))
                    {
                        busy.Add((c.Id, o.Eni.Id, WindowStart(s, c)));
                        // SKIPDATA: subnet-b's capture lost every other record of db in its skipped window; app's ENI capture lost the skipped minute.
                        if (c.Id == SubnetB && s >= DbSkipped.From && s < DbSkipped.To && dbSkipCount++ % 2 == 0) continue;
                        if (c.Id == AppEni && s >= AppSkipped.From && s < AppSkipped.To) continue;
                        var middle = string.Create(CultureInfo.InvariantCulture, $"{o.Src} {o.Dst} {o.SrcPort} {o.DstPort} 6 {packets} {bytes}");
                        var direction = o.Src == o.Eni.Ip || o.PktSrc == o.Eni.Ip ? "egress" : "ingress";
                        var flags = (s == j.Start ? j.Flags : j.Flags & ~2).ToString(CultureInfo.InvariantCulture);
                        Put(c, e, Line(o.Eni, middle, s, e, j.Action, "OK", flags, $"{o.PktSrc} {o.PktDst}", direction));
                    }
        // Idle windows are NODATA; skipped ones SKIPDATA (the window's whole span).
        foreach (var c in Captures)
            foreach (var eni in Enis.Where(e => c.Enis.Contains(e.Id)))
                for (var w = WindowStart(Span.From, c); w < Span.To; w = w.AddSeconds(c.Interval))
                {
                    var end = w.AddSeconds(c.Interval - 1);
                    var skipped = (c.Id == SubnetB && w >= DbSkipped.From && w < DbSkipped.To) || (c.Id == AppEni && w >= AppSkipped.From && w < AppSkipped.To);
                    if (skipped) Put(c, end, Line(eni, "- - - - - - -", w, end, "-", "SKIPDATA", "-", "- -", "-"));
                    else if (!busy.Contains((c.Id, eni.Id, w))) Put(c, end, Line(eni, "- - - - - - -", w, end, "-", "NODATA", "-", "- -", "-"));
                }
        var folder = Path.Combine(Dir, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "04", "07");
        Directory.CreateDirectory(folder);
        foreach (var ((capture, slot), lines) in objects)
        {
            if (capture == SubnetA && slot >= Undelivered.From && slot < Undelivered.To)
            {
                DroppedSlots.Add(slot);
                continue;
            }
            var name = string.Create(CultureInfo.InvariantCulture, $"123456789012_vpcflowlogs_us-east-1_{capture}_{slot:yyyyMMdd'T'HHmm'Z'}_{capture[3..]}.log");
            File.WriteAllText(Path.Combine(folder, name), Format + "\n" + string.Join("\n", lines) + "\n");
        }
        var format = "${" + string.Join("} ${", Format.Split(' ')) + "}";
        File.WriteAllText(Path.Combine(Dir, "describe-flow-logs.json"), "{\"FlowLogs\": [" + string.Join(",", Captures.Select(c =>
            $$"""{"FlowLogId": "{{c.Id}}", "ResourceId": "{{c.Resource}}", "TrafficType": "ALL", "LogDestinationType": "s3", "LogFormat": "{{format}}", "MaxAggregationInterval": {{c.Interval}}}""")) + "]}");
        var sb = new StringBuilder("{\"NetworkInterfaces\": [");
        sb.AppendJoin(",", Enis.Select(e => $$"""
            {"NetworkInterfaceId": "{{e.Id}}", "InterfaceType": "{{(e.Role == "nat_gateway" ? "nat_gateway" : "interface")}}",
             "Description": "{{(e.Role == "nat_gateway" ? "Interface for NAT Gateway nat-1" : "")}}", "VpcId": "vpc-1", "SubnetId": "{{e.Subnet}}",
             "PrivateIpAddress": "{{e.Ip}}", {{(e.Instance is null ? "" : $"\"Attachment\": {{\"InstanceId\": \"{e.Instance}\"}},")}}
             {{(e.Role == "nat_gateway" ? $"\"Association\": {{\"PublicIp\": \"{NatPublic}\"}}," : "")}}
             "PrivateIpAddresses": [{"PrivateIpAddress": "{{e.Ip}}", "Primary": true}],
             "TagSet": [{"Key": "Name", "Value": "{{e.Name}}"}]}
            """));
        sb.Append("]}");
        File.WriteAllText(Path.Combine(Dir, "describe-network-interfaces.json"), sb.ToString());
    }

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
