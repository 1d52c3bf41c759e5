using FlowNotebooks.Enrichment;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>The SQL a CIDR list renders, run in DuckDB over IPv4, IPv6 and missing addresses: in, and NOT in.</summary>
public sealed class CidrPredicateTests
{
    // Address numbers as the case store keeps them (IPv4 in _v4, IPv6 in _v6, text beside).
    static readonly (string Ip, string V4, string V6)[] Rows =
    [
        ("10.1.2.3", "167838211", "NULL"),
        ("192.168.0.1", "3232235521", "NULL"),
        ("203.0.113.9", "3405803785", "NULL"),
        ("fd00::1", "NULL", "336294682933583715844663186250927177729"),
        ("2001:db8::1", "NULL", "42540766411282592856903984951653826561"),
        ("-", "NULL", "NULL"),
    ];

    [Theory]
    [InlineData("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7", "10.1.2.3,192.168.0.1,fd00::1")]
    [InlineData("10.0.0.0/8", "10.1.2.3")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("fc00::/7", "fd00::1")]
    [InlineData("2001:db8::/32,192.168.0.0/16", "192.168.0.1,2001:db8::1")]
    public void In_and_not_in_hold_for_each_family_and_a_missing_address(string list, string expectedIn)
    {
        using var store = CaseStore.Open();
        store.Execute("CREATE TABLE t (addr VARCHAR, addr_v4 UINTEGER, addr_v6 UHUGEINT)");
        foreach (var (ip, v4, v6) in Rows)
            store.Execute($"INSERT INTO t VALUES ('{ip}', {v4}, {(v6 == "NULL" ? "NULL" : $"'{v6}'::UHUGEINT")})");
        var parameters = new List<object?>();
        var predicate = CidrList.Parse(list).Predicate("addr", parameters);
        var inside = store.Query($"SELECT addr FROM t WHERE {predicate} ORDER BY addr", parameters).Rows.Select(r => (string)r[0]!).ToList();
        var outside = store.Query($"SELECT addr FROM t WHERE NOT {predicate} ORDER BY addr", parameters).Rows.Select(r => (string)r[0]!).ToList();
        var expected = expectedIn.Split(',').Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, inside.Order(StringComparer.Ordinal).ToList());
        // Every other row, the missing address included, is "not in": none is lost to NULL.
        Assert.Equal(Rows.Select(r => r.Ip).Except(expected).Order(StringComparer.Ordinal).ToList(), outside.Order(StringComparer.Ordinal).ToList());
    }
}
