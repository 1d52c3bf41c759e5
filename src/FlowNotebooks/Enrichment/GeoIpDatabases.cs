using System.Net;
using System.Net.Sockets;
using FlowNotebooks.Store;
using MaxMind.Db;

namespace FlowNotebooks.Enrichment;

/// <summary>A GeoIP or ASN database that could not be opened or read; the message names the file.</summary>
public sealed class GeoIpDatabaseException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>What the databases say of one address; a field is null when the address is not in the database (or none was given).</summary>
public sealed record GeoIpInfo(string? CountryCode, string? CountryName, long? Asn, string? AsOrganization)
{
    public static readonly GeoIpInfo None = new(null, null, null, null);

    /// <summary>"Sweden (SE), AS29518 Bredband2 AB"; "" when nothing is known.</summary>
    public override string ToString() =>
        string.Join(", ", new[]
        {
            CountryCode is null ? null : CountryName is null ? CountryCode : $"{CountryName} ({CountryCode})",
            Asn is null ? null : AsOrganization is null ? $"AS{Asn}" : $"AS{Asn} {AsOrganization}",
        }.Where(s => s is not null));
}

/// <summary>
/// The analyst's own MaxMind databases (GeoIP2/GeoLite2 Country or City, and ASN; .mmdb), opened read-only, to say where
/// the external peers of a procedure's results are and whose network they belong to. Both are optional: no file, no
/// columns. The country is where MaxMind places the address (<c>country</c>), not where it is registered.
/// </summary>
public sealed class GeoIpDatabases : IDisposable
{
    /// <summary>Columns added after the address column: <c>country</c> and <c>country_name</c> with a country database, <c>asn</c> and <c>as_org</c> with an ASN database.</summary>
    public static readonly IReadOnlyList<string> CountryColumns = ["country", "country_name"], AsnColumns = ["asn", "as_org"];

    readonly Reader? country;
    readonly Reader? asn;
    readonly string? countryPath;
    readonly string? asnPath;

    GeoIpDatabases(Reader? country, string? countryPath, Reader? asn, string? asnPath) =>
        (this.country, this.countryPath, this.asn, this.asnPath) = (country, countryPath, asn, asnPath);

    /// <summary>Opens the databases given (null or blank: not used); null when neither is given.</summary>
    /// <exception cref="GeoIpDatabaseException">A file is missing, is not a MaxMind DB, or is not of the expected kind.</exception>
    public static GeoIpDatabases? Open(string? countryDatabase, string? asnDatabase)
    {
        var countryGiven = !string.IsNullOrWhiteSpace(countryDatabase);
        var asnGiven = !string.IsNullOrWhiteSpace(asnDatabase);
        if (!countryGiven && !asnGiven) return null;
        var c = countryGiven ? OpenReader(countryDatabase!, "GeoIP", "a GeoIP2/GeoLite2 Country or City database",
            t => t.Contains("Country", StringComparison.OrdinalIgnoreCase) || t.Contains("City", StringComparison.OrdinalIgnoreCase)
                 || t.Contains("Enterprise", StringComparison.OrdinalIgnoreCase)) : null;
        try
        {
            var a = asnGiven ? OpenReader(asnDatabase!, "ASN", "a GeoLite2 ASN (or GeoIP2 ISP) database",
                t => t.Contains("ASN", StringComparison.OrdinalIgnoreCase) || t.Contains("ISP", StringComparison.OrdinalIgnoreCase)) : null;
            return new GeoIpDatabases(c, countryDatabase, a, asnDatabase);
        }
        catch
        {
            c?.Dispose();
            throw;
        }
    }

    static Reader OpenReader(string path, string role, string expected, Func<string, bool> fits)
    {
        if (!File.Exists(path)) throw new GeoIpDatabaseException($"{role} database '{path}' does not exist.");
        Reader reader;
        try
        {
            // Memory: the file is read once (read-only) and closed; nothing holds it open or writes to it.
            reader = new Reader(path, FileAccessMode.Memory);
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or IOException or UnauthorizedAccessException or ArgumentException
                                       or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            throw new GeoIpDatabaseException($"{role} database '{path}' is not a readable MaxMind DB (.mmdb) file: {ex.Message}", ex);
        }
        var type = reader.Metadata.DatabaseType ?? "";
        if (!fits(type))
        {
            reader.Dispose();
            throw new GeoIpDatabaseException($"{role} database '{path}' is a '{type}' database; expected {expected}.");
        }
        return reader;
    }

    /// <summary>True when a country (or city) database is open.</summary>
    public bool HasCountry => country is not null;

    /// <summary>True when an ASN database is open.</summary>
    public bool HasAsn => asn is not null;

    /// <summary>What the databases say of an address; <see cref="GeoIpInfo.None"/> for text that is not an address.</summary>
    /// <exception cref="GeoIpDatabaseException">The database is damaged where the address leads.</exception>
    public GeoIpInfo Lookup(string? address)
    {
        if (!IPAddress.TryParse(address, out var ip)) return GeoIpInfo.None;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var c = Find(country, countryPath, ip);
        var a = Find(asn, asnPath, ip);
        var place = Field(c, "country");
        return new GeoIpInfo(
            Field(place, "iso_code") as string,
            Field(Field(place, "names"), "en") as string,
            Field(a, "autonomous_system_number") is { } n ? Convert.ToInt64(n, System.Globalization.CultureInfo.InvariantCulture) : null,
            Field(a, "autonomous_system_organization") as string);
    }

    static object? Field(object? map, string key) => map is IDictionary<string, object> d && d.TryGetValue(key, out var v) ? v : null;

    static Dictionary<string, object>? Find(Reader? reader, string? path, IPAddress ip)
    {
        // An IPv4-only database has no answer for an IPv6 address (the reader would throw).
        if (reader is null || (reader.Metadata.IPVersion == 4 && ip.AddressFamily == AddressFamily.InterNetworkV6)) return null;
        try
        {
            return reader.Find<Dictionary<string, object>>(ip);
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or DeserializationException or IndexOutOfRangeException or ArgumentException or InvalidCastException)
        {
            throw new GeoIpDatabaseException($"Database '{path}' is damaged (looking up {ip}): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The table with country and AS columns inserted after <paramref name="column"/> (an address column), each distinct
    /// address looked up once. Addresses in <paramref name="internalRanges"/> are ours and get nulls.
    /// </summary>
    public QueryResult Enrich(QueryResult table, string column, CidrList? internalRanges)
    {
        var at = table.IndexOf(column);
        var infos = new Dictionary<string, GeoIpInfo>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
            if (row[at] is string address && !infos.ContainsKey(address))
                infos[address] = internalRanges?.Contains(address) == true ? GeoIpInfo.None : Lookup(address);
        var added = new List<(string Name, string Type, Func<GeoIpInfo, object?> Value)>();
        if (HasCountry) added.AddRange([(CountryColumns[0], "VARCHAR", i => i.CountryCode), (CountryColumns[1], "VARCHAR", i => i.CountryName)]);
        if (HasAsn) added.AddRange([(AsnColumns[0], "BIGINT", i => i.Asn), (AsnColumns[1], "VARCHAR", i => i.AsOrganization)]);
        IReadOnlyList<T> Insert<T>(IReadOnlyList<T> items, IEnumerable<T> extra) => [.. items.Take(at + 1), .. extra, .. items.Skip(at + 1)];
        var rows = table.Rows.Select(r =>
        {
            var info = r[at] is string a ? infos[a] : GeoIpInfo.None;
            return Insert(r, added.Select(c => c.Value(info))).ToArray();
        }).ToList();
        return new QueryResult(Insert(table.Columns, added.Select(c => c.Name)), Insert(table.Types, added.Select(c => c.Type)), rows, table.Truncated);
    }

    /// <summary>What an enriched row says of its peer ("Sweden (SE), AS29518 Bredband2 AB"); null when the table has no such columns or nothing is known.</summary>
    public static GeoIpInfo? Of(QueryResult table, object?[] row) => Of(new QueryRow(table, row));

    /// <summary>What an enriched row says of its peer (see <see cref="Of(QueryResult, object?[])"/>).</summary>
    public static GeoIpInfo? Of(QueryRow row)
    {
        object? Cell(string c) => row.Has(c) ? row[c] : null;
        var info = new GeoIpInfo(Cell("country") as string, Cell("country_name") as string, Cell("asn") as long?, Cell("as_org") as string);
        return info == GeoIpInfo.None ? null : info;
    }

    public void Dispose()
    {
        country?.Dispose();
        asn?.Dispose();
    }
}
