using System.Globalization;
using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Exports;

/// <summary>
/// Evidence for the export tests: three hourly S3 objects (gzip, the key layout AWS documents) of one interface in a
/// custom format with a header line (version 5 fields: vpc-id, subnet-id, instance-id, tcp-flags, flow-direction),
/// written from a fixed list of records so the tests can compute every figure from the records themselves:
/// outbound HTTPS accepted, inbound SSH probes rejected, DNS to the resolver, and NODATA records (not traffic).
/// </summary>
public sealed class ExportEvidence : IDisposable
{
    public const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags flow-direction";
    public const string Eni = "eni-0a1b2c3d4e5f60001", Own = "10.0.1.15", Account = "123456789010", Vpc = "vpc-0aa11bb22cc33dd44", Subnet = "subnet-0123456789abcdef0", Instance = "i-0123456789abcdef0";
    public static readonly DateTime Start = new(2025, 11, 18, 3, 0, 0, DateTimeKind.Utc);

    public ExportEvidence()
    {
        Folder = Directory.CreateTempSubdirectory("flownb-export-").FullName;
        for (var h = 0; h < 3; h++)
        {
            var hour = Start.AddHours(h);
            var lines = Enumerable.Range(0, 40).Select(i => Line(hour, h, i)).ToList();
            var stamp = hour.AddHours(1).AddMinutes(5).ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);
            var key = $"AWSLogs/{Account}/vpcflowlogs/us-east-1/2025/11/18/{Account}_vpcflowlogs_us-east-1_fl-0abc1234def567890_{stamp}_0a1b2c3{h}.log.gz";
            var path = Path.Combine(Folder, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, TempCase.Gzip(Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", lines) + "\n")));
            Objects.Add((path, lines));
        }
    }

    public string Folder { get; }
    /// <summary>Each object's path and its record lines (line 1 is the header: record i is line i + 2).</summary>
    public List<(string Path, List<string> Lines)> Objects { get; } = [];

    /// <summary>Every record as the test reads it back: the fields by name, split on spaces as AWS writes them.</summary>
    public IEnumerable<Dictionary<string, string>> Records() =>
        Objects.SelectMany(o => o.Lines).Select(l => Header.Split(' ').Zip(l.Split(' ')).ToDictionary(p => p.First, p => p.Second));

    /// <summary>The traffic records (log-status OK): what the counted journeys of a one-interface case are.</summary>
    public IEnumerable<Dictionary<string, string>> Traffic() => Records().Where(r => r["log-status"] == "OK");

    static string Line(DateTime hour, int h, int i)
    {
        var start = hour.AddSeconds(i * 80 + 7);
        long s = new DateTimeOffset(start).ToUnixTimeSeconds(), e = s + 50;
        string Rec(string src, string dst, int sp, int dp, int proto, long packets, long bytes, string action, int flags, string dir) =>
            $"5 {Account} {Eni} {src} {dst} {sp} {dp} {proto} {packets} {bytes} {s} {e} {action} OK {Vpc} {Subnet} {Instance} {flags} {dir}";
        return (i % 8) switch
        {
            0 => $"5 {Account} {Eni} - - - - - - - {s} {e} - NODATA {Vpc} {Subnet} {Instance} - -",
            1 or 2 or 3 => Rec(Own, $"198.51.100.{10 + i % 5}", 40000 + i, 443, 6, 10 + i, 5000L * (i + 1) + h, "ACCEPT", 19, "egress"),
            4 => Rec($"203.0.113.{50 + h}", Own, 50000 + i, 22, 6, 1, 44, "REJECT", 2, "ingress"),
            5 => Rec(Own, "10.0.0.2", 53000 + i, 53, 17, 2, 150 + i, "ACCEPT", 0, "egress"),
            6 => Rec("198.51.100.10", Own, 443, 40000 + i, 6, 8 + i, 900L * (i + 3), "ACCEPT", 18, "ingress"),
            _ => Rec($"203.0.113.{60 + i % 3}", Own, 51000 + i, 3389, 6, 1, 40, "REJECT", 2, "ingress"),
        };
    }

    /// <summary>A new in-memory case with this evidence loaded and counted.</summary>
    public FlowCase Load()
    {
        var c = FlowCase.Open();
        c.Load([Folder], new IngestOptions());
        return c;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
