using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.TestSupport;

/// <summary>
/// A small case whose external peers fall in networks of MaxMind's published test databases, with a Country and an ASN
/// database holding those networks. The networks and values are copied from maxmind/MaxMind-DB (Apache-2.0 / MIT),
/// source-data/GeoIP2-Country-Test.json and source-data/GeoLite2-ASN-Test.json; the .mmdb files are written here by
/// <see cref="MmdbWriter"/>, not copied (MaxMind's own test .mmdb files read the same: checked by hand). One asset, 10.0.1.5 (and fd00::5 for IPv6), uploads to each peer.
/// </summary>
public sealed class GeoIpCase : IDisposable
{
    public const string Asset = "10.0.1.5", Asset6 = "fd00::5";
    /// <summary>GB in the Country database (registered in the US: the column is where it is, not where it is registered); not in the ASN database.</summary>
    public const string Gb = "81.2.69.142";
    /// <summary>SE Sweden and AS29518 Bredband2 AB.</summary>
    public const string Se = "89.160.20.115";
    /// <summary>AS1221 Telstra Pty Ltd; not in the Country database.</summary>
    public const string Telstra = "1.128.0.1";
    /// <summary>AS209, which the ASN database gives without an organisation.</summary>
    public const string As209 = "216.160.83.60";
    /// <summary>AS7018 "AT&amp;T Services" (an organisation that HTML must encode).</summary>
    public const string Att = "12.81.92.10";
    /// <summary>JP Japan (an IPv6 network of the Country database).</summary>
    public const string Jp = "2001:218::10";
    /// <summary>In neither database (TEST-NET-2).</summary>
    public const string Unknown = "198.51.100.77";

    /// <summary>Bytes each peer received from the asset.</summary>
    public static readonly IReadOnlyDictionary<string, long> BytesOut = new Dictionary<string, long>
    {
        [Se] = 60_000_000, [Telstra] = 50_000_000, [Gb] = 40_000_000, [Unknown] = 30_000_000, [As209] = 20_000_000, [Jp] = 15_000_000, [Att] = 12_000_000,
    };

    public GeoIpCase()
    {
        Dir = Directory.CreateTempSubdirectory("flownb-geoip-").FullName;
        Evidence = Path.Combine(Dir, "ev");
        Directory.CreateDirectory(Evidence);
        var lines = BytesOut.Select((p, i) => FormattableString.Invariant(
            $"2 123456789010 eni-0a {(p.Key.Contains(':') ? Asset6 : Asset)} {p.Key} {49152 + i} 443 6 4000 {p.Value} 1700000000 1700000060 ACCEPT OK"));
        File.WriteAllLines(Path.Combine(Evidence, "a.log"),
            ["version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status", .. lines]);
        CountryDatabase = Path.Combine(Dir, "GeoIP2-Country-Test.mmdb");
        MmdbWriter.Write(CountryDatabase, "GeoIP2-Country",
        [
            ("81.2.69.142/31", Place("GB", "United Kingdom", "US", "United States")),
            ("89.160.20.112/28", Place("SE", "Sweden", "DE", "Germany")),
            ("2001:218::/32", Place("JP", "Japan", "JP", "Japan")),
        ]);
        AsnDatabase = Path.Combine(Dir, "GeoLite2-ASN-Test.mmdb");
        MmdbWriter.Write(AsnDatabase, "GeoLite2-ASN",
        [
            ("1.128.0.0/11", new Dictionary<string, object> { ["autonomous_system_number"] = 1221u, ["autonomous_system_organization"] = "Telstra Pty Ltd" }),
            ("89.160.20.112/29", new Dictionary<string, object> { ["autonomous_system_number"] = 29518u, ["autonomous_system_organization"] = "Bredband2 AB" }),
            ("216.160.83.56/29", new Dictionary<string, object> { ["autonomous_system_number"] = 209u }),
            ("12.81.92.0/22", new Dictionary<string, object> { ["autonomous_system_number"] = 7018u, ["autonomous_system_organization"] = "AT&T Services" }),
        ]);
        Store = CaseStore.Open();
        new EvidenceLoader(Store, new IngestOptions { Workers = 1 }).Load([Evidence]);
    }

    public string Dir { get; }
    /// <summary>The flow-log folder (one text object).</summary>
    public string Evidence { get; }
    public string CountryDatabase { get; }
    public string AsnDatabase { get; }
    public CaseStore Store { get; }

    /// <summary>A file in the case folder (for bad databases).</summary>
    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static Dictionary<string, object> Place(string iso, string name, string registeredIso, string registeredName) => new()
    {
        ["country"] = new Dictionary<string, object> { ["iso_code"] = iso, ["names"] = new Dictionary<string, object> { ["en"] = name } },
        ["registered_country"] = new Dictionary<string, object> { ["iso_code"] = registeredIso, ["names"] = new Dictionary<string, object> { ["en"] = registeredName } },
    };

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
