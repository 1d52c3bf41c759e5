using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>Rows read by column name and type: the SELECT's order does not matter, and a wrong column, type or NULL is an error naming it.</summary>
public sealed class QueryRowTests : IDisposable
{
    readonly CaseStore store = CaseStore.Open();

    public void Dispose() => store.Dispose();

    [Fact]
    public void The_same_columns_in_another_order_read_the_same()
    {
        var a = store.Query("SELECT '10.0.0.1' AS src, 443::INTEGER AS port, 5000::BIGINT AS bytes, TIMESTAMP '2025-11-18 03:01:48' AS first_seen, [22, 80] AS ports, true AS managed").Row(0);
        var b = store.Query("SELECT [22, 80] AS ports, true AS managed, TIMESTAMP '2025-11-18 03:01:48' AS first_seen, 5000::BIGINT AS bytes, 443::INTEGER AS port, '10.0.0.1' AS src").Row(0);
        foreach (var r in new[] { a, b })
        {
            Assert.Equal("10.0.0.1", r.Text("src"));
            Assert.Equal(443, r.Int("port"));
            Assert.Equal(5000L, r.Long("bytes"));
            Assert.Equal(new DateTime(2025, 11, 18, 3, 1, 48), r.Time("first_seen"));
            Assert.Equal(["22", "80"], r.List("ports"));
            Assert.True(r.Flag("managed"));
        }
    }

    [Fact]
    public void Every_integer_type_DuckDB_returns_reads_as_a_whole_number()
    {
        var r = store.Query("SELECT 1::TINYINT AS a, 2::SMALLINT AS b, 3::UINTEGER AS c, 4::UBIGINT AS d, 5::HUGEINT AS e, 6::DECIMAL(18, 0) AS f, sum(7) AS g").Row(0);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], new[] { "a", "b", "c", "d", "e", "f", "g" }.Select(r.Long));
    }

    [Fact]
    public void A_missing_column_a_wrong_type_or_a_null_is_an_error_that_names_the_column()
    {
        var r = store.Query("SELECT 'x' AS src, 2.5::DOUBLE AS ratio, NULL::BIGINT AS bytes, NULL::VARCHAR AS name").Row(0);
        Assert.Contains("'dst'", Assert.Throws<KeyNotFoundException>(() => r.Text("dst")).Message);
        Assert.Contains("'src'", Assert.Throws<InvalidCastException>(() => r.Long("src")).Message);
        Assert.Contains("'ratio'", Assert.Throws<InvalidCastException>(() => r.Long("ratio")).Message);
        Assert.Contains("'bytes'", Assert.Throws<InvalidCastException>(() => r.Long("bytes")).Message);
        Assert.Contains("'src'", Assert.Throws<InvalidCastException>(() => r.Time("src")).Message);
        Assert.Null(r.TextOrNull("name"));
        Assert.Null(r.TimeOrNull("bytes"));
        Assert.Equal(2.5, r.NumberOrNull("ratio"));
        Assert.True(r.IsNull("bytes"));
    }
}
