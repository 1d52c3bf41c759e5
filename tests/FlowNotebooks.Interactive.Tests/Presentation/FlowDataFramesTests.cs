using System.Numerics;
using FlowNotebooks.Presentation.DataFrames;
using FlowNotebooks.Store;
using Microsoft.Data.Analysis;

namespace FlowNotebooks.Interactive.Tests.Presentation;

public class FlowDataFramesTests
{
    static DataFrame Query(string sql, int maxRows = FlowDataFrames.DefaultMaxRows)
    {
        using var store = CaseStore.Open();
        return FlowDataFrames.Query(store, sql, null, maxRows);
    }

    [Fact]
    public void Columns_keep_their_types_and_nulls()
    {
        var frame = Query("SELECT 1::INTEGER AS i, 2::BIGINT AS l, 1.5::DOUBLE AS d, 'x' AS s, TIMESTAMP '2024-06-01 00:00:00' AS t, true AS b, NULL::INTEGER AS n");
        Assert.IsType<Int32DataFrameColumn>(frame["i"]);
        Assert.IsType<Int64DataFrameColumn>(frame["l"]);
        Assert.IsType<DoubleDataFrameColumn>(frame["d"]);
        Assert.IsType<StringDataFrameColumn>(frame["s"]);
        Assert.IsType<DateTimeDataFrameColumn>(frame["t"]);
        Assert.IsType<BooleanDataFrameColumn>(frame["b"]);
        Assert.Equal(new DateTime(2024, 6, 1), frame["t"][0]);
        Assert.Null(frame["n"][0]);
    }

    [Fact]
    public void Huge_integers_become_the_narrowest_exact_column()
    {
        var frame = Query("""
            SELECT sum(x) AS fits_long, 10::HUGEINT ** 20 AS wide FROM (VALUES (4000000000::BIGINT), (4000000000::BIGINT)) v(x)
            """);
        Assert.IsType<Int64DataFrameColumn>(frame["fits_long"]);
        Assert.Equal(8_000_000_000L, frame["fits_long"][0]);
        Assert.IsNotType<Int64DataFrameColumn>(frame["wide"]);

        var beyondDecimal = FlowDataFrames.FromQueryResult(new QueryResult(["v"], ["HUGEINT"], [[BigInteger.Pow(10, 30)]], false));
        Assert.Equal("1000000000000000000000000000000", beyondDecimal["v"][0]);
        var decimalSized = FlowDataFrames.FromQueryResult(new QueryResult(["v"], ["HUGEINT"], [[BigInteger.Pow(10, 20)]], false));
        Assert.IsType<DecimalDataFrameColumn>(decimalSized["v"]);
    }

    [Fact]
    public void Ipv6_number_columns_read_as_addresses()
    {
        var frame = FlowDataFrames.FromQueryResult(new QueryResult(["srcaddr_v6"], ["UHUGEINT"], [[BigInteger.Parse("42540766411282592856903984951653826561")]], false));
        Assert.Equal("2001:db8::1", frame["srcaddr_v6"][0]);
    }

    [Fact]
    public void More_rows_than_the_cap_throw_rather_than_truncate()
    {
        var e = Assert.Throws<RowLimitExceededException>(() => Query("SELECT * FROM range(10)", maxRows: 9));
        Assert.Contains("more than 9 rows", e.Message);
        Assert.Equal(10, Query("SELECT * FROM range(10)", maxRows: 10).Rows.Count);
        Assert.Equal(10, Query("SELECT * FROM range(10)", maxRows: 0).Rows.Count);
    }

    [Fact]
    public void Repeated_column_names_are_made_unique()
    {
        var frame = Query("SELECT 1 AS x, 2 AS x");
        Assert.Equal(["x", "x (2)"], frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Lists_and_other_types_without_a_column_type_become_text()
    {
        var frame = Query("SELECT [1, 2] AS l, INTERVAL 90 SECOND AS i");
        Assert.Equal("[1, 2]", frame["l"][0]);
        Assert.IsType<StringDataFrameColumn>(frame["i"]);
    }
}
