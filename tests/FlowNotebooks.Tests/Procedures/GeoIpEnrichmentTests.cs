using FlowNotebooks.Enrichment;
using FlowNotebooks.Presentation.Html;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.TestSupport;
using static FlowNotebooks.Tests.TestSupport.GeoIpCase;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>Optional GeoIP/ASN enrichment of the procedures that list external addresses, on a case whose peers the test databases cover.</summary>
public sealed class GeoIpEnrichmentTests(GeoIpCase c) : IClassFixture<GeoIpCase>
{
    ProcedureResult Run(string procedure, params (string Key, object? Value)[] parameters) =>
        ProcedureRegistry.Get(procedure).Run(c.Store, parameters.ToDictionary(p => p.Key, p => p.Value));

    static object?[] Row(QueryResult t, string column, string address) => t.Rows.Single(r => (string?)r[t.IndexOf(column)] == address);

    static (string? Country, string? CountryName, long? Asn, string? AsOrg) Geo(QueryResult t, string column, string address)
    {
        var r = Row(t, column, address);
        return ((string?)r[t.IndexOf("country")], (string?)r[t.IndexOf("country_name")], (long?)r[t.IndexOf("asn")], (string?)r[t.IndexOf("as_org")]);
    }

    [Fact]
    public void Exfil_ledger_gets_country_and_as_of_each_destination_and_nulls_where_the_databases_know_nothing()
    {
        var r = Run("exfil-ledger", ("geoip_database", c.CountryDatabase), ("asn_database", c.AsnDatabase));
        var t = r.Table;
        var at = t.IndexOf("destination");
        Assert.Equal(["destination", "country", "country_name", "asn", "as_org"], t.Columns.Skip(at).Take(5));
        Assert.Equal(["VARCHAR", "VARCHAR", "BIGINT", "VARCHAR"], t.Types.Skip(at + 1).Take(4));
        Assert.Equal(("SE", "Sweden", 29518L, "Bredband2 AB"), Geo(t, "destination", Se));
        Assert.Equal(("GB", "United Kingdom", null, null), Geo(t, "destination", Gb));
        Assert.Equal((null, null, 1221L, "Telstra Pty Ltd"), Geo(t, "destination", Telstra));
        Assert.Equal((null, null, 209L, null), Geo(t, "destination", As209));
        Assert.Equal(("JP", "Japan", null, null), Geo(t, "destination", Jp));
        Assert.Equal((null, null, null, null), Geo(t, "destination", Unknown));
        // The ledger's own figures are untouched.
        foreach (var (peer, bytes) in BytesOut) Assert.Equal(bytes, Convert.ToInt64(Row(t, "destination", peer)[t.IndexOf("bytes_out")]));

        var se = r.Findings.Single(f => f.Facts.GetValueOrDefault("destination") == Se);
        Assert.Contains($"to {Se} (Sweden (SE), AS29518 Bredband2 AB) (ports 443)", se.Statement);
        Assert.Equal("SE", se.Facts["destination_country"]);
        Assert.Equal("29518", se.Facts["destination_asn"]);
        var unknown = r.Findings.Single(f => f.Facts.GetValueOrDefault("destination") == Unknown);
        Assert.Contains($"to {Unknown} (ports 443)", unknown.Statement);
        Assert.False(unknown.Facts.ContainsKey("destination_country"));
        Assert.Equal(c.CountryDatabase, r.Parameters["geoip_database"]);

        // Shown in a notebook, the organisation is HTML-encoded like every other value.
        Assert.Equal((null, null, 7018L, "AT&T Services"), Geo(t, "destination", Att));
        var html = FindingsView.ToHtml(r, "Exfil ledger");
        Assert.Contains($"to {Att} (AS7018 AT&amp;T Services)", html);
        Assert.DoesNotContain("AT&T", html);
    }

    [Fact]
    public void Without_databases_the_tables_are_as_before_and_one_database_adds_only_its_columns()
    {
        var plain = Run("exfil-ledger").Table;
        Assert.DoesNotContain("country", plain.Columns);
        Assert.DoesNotContain("asn", plain.Columns);
        Assert.Equal(plain.Columns, Run("exfil-ledger", ("geoip_database", ""), ("asn_database", null)).Table.Columns);

        var asnOnly = Run("exfil-ledger", ("asn_database", c.AsnDatabase)).Table;
        Assert.DoesNotContain("country", asnOnly.Columns);
        Assert.Equal(1221L, Row(asnOnly, "destination", Telstra)[asnOnly.IndexOf("asn")]);
        Assert.Equal(plain.Columns.Count + 2, asnOnly.Columns.Count);
    }

    [Fact]
    public void Attacker_infrastructure_and_conversation_top_talkers_are_enriched_and_our_own_addresses_are_not()
    {
        var infra = Run("attacker-infrastructure", ("iocs", $"{Se},{Unknown}"), ("geoip_database", c.CountryDatabase), ("asn_database", c.AsnDatabase));
        Assert.Equal(("SE", "Sweden", 29518L, "Bredband2 AB"), Geo(infra.Table, "ioc_address", Se));
        Assert.Equal((null, null, null, null), Geo(infra.Table, "ioc_address", Unknown));
        var f = infra.Findings.Single(x => x.Facts.GetValueOrDefault("ioc") == Se);
        Assert.Contains($"IOC {Se} (Sweden (SE), AS29518 Bredband2 AB)", f.Statement);
        Assert.Equal("SE", f.Facts["ioc_country"]);

        var talkers = Run("conversations", ("geoip_database", c.CountryDatabase), ("asn_database", c.AsnDatabase)).Tables["top_talkers"];
        Assert.Equal((null, null, 1221L, "Telstra Pty Ltd"), Geo(talkers, "address", Telstra));
        Assert.Equal(("GB", "United Kingdom", null, null), Geo(talkers, "address", Gb));
        Assert.Equal((null, null, null, null), Geo(talkers, "address", Asset));
    }

    [Fact]
    public void A_missing_damaged_or_wrong_kind_of_database_is_refused_with_its_file_named()
    {
        var missing = Path.Combine(c.Dir, "nope.mmdb");
        var e = Assert.Throws<GeoIpDatabaseException>(() => Run("exfil-ledger", ("geoip_database", missing)));
        Assert.Equal($"GeoIP database '{missing}' does not exist.", e.Message);

        var junk = c.Write("junk.mmdb", "not a database"u8.ToArray());
        e = Assert.Throws<GeoIpDatabaseException>(() => Run("exfil-ledger", ("asn_database", junk)));
        Assert.StartsWith($"ASN database '{junk}' is not a readable MaxMind DB (.mmdb) file", e.Message);

        // The tree cut off: the metadata marker is gone.
        var truncated = c.Write("truncated.mmdb", File.ReadAllBytes(c.AsnDatabase)[..40]);
        e = Assert.Throws<GeoIpDatabaseException>(() => Run("exfil-ledger", ("asn_database", truncated)));
        Assert.Contains($"'{truncated}'", e.Message);

        e = Assert.Throws<GeoIpDatabaseException>(() => Run("exfil-ledger", ("geoip_database", c.AsnDatabase)));
        Assert.Equal($"GeoIP database '{c.AsnDatabase}' is a 'GeoLite2-ASN' database; expected a GeoIP2/GeoLite2 Country or City database.", e.Message);
        e = Assert.Throws<GeoIpDatabaseException>(() => Run("exfil-ledger", ("asn_database", c.CountryDatabase)));
        Assert.Contains("expected a GeoLite2 ASN", e.Message);
    }

    [Fact]
    public void Procedures_that_list_external_addresses_take_the_database_parameters()
    {
        var taking = ProcedureRegistry.All.Where(p => p.Parameters.Contains(CommonParameters.GeoIpDatabase) && p.Parameters.Contains(CommonParameters.AsnDatabase))
            .Select(p => p.Name).Order();
        Assert.Equal(["attacker-infrastructure", "beaconing", "conversations", "exfil-ledger", "rejected-recon"], taking);
    }
}
