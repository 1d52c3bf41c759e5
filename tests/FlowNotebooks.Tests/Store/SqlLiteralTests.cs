using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>A value written as a literal means in DuckDB what the same value bound as a parameter means: type and value.</summary>
public sealed class SqlLiteralTests : IDisposable
{
    readonly CaseStore store = CaseStore.Open();

    public static TheoryData<object?> Values() => new()
    {
        null, true, false, "plain", "it's \"quoted\" -- not a comment; $1", "line\r\nbreak", "",
        (sbyte)-8, (short)-300, 42, -42, 1000L, long.MaxValue, long.MinValue, (byte)255, (ushort)65535, uint.MaxValue, ulong.MaxValue,
        0.1, -1.5e-300, 123456.789012345678, double.MaxValue, 0.25f,
        new DateTime(2025, 11, 18, 3, 0, 0, DateTimeKind.Utc), new DateTime(2025, 11, 18, 3, 0, 0, 123, DateTimeKind.Utc).AddTicks(4560),
        TimeSpan.FromSeconds(90.5), Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_literal_has_the_type_and_value_of_the_bound_parameter(object? value)
    {
        var bound = store.Query("SELECT typeof($1) AS t, $1 AS v", [value]);
        var literal = SqlLiteral.Of(value);
        var inlined = store.Query($"SELECT typeof({literal}) AS t, {literal} AS v");
        Assert.Equal(bound.Rows[0][0], inlined.Rows[0][0]);
        Assert.Equal(bound.Rows[0][1], inlined.Rows[0][1]);
    }

    [Fact]
    public void Lists_keep_their_element_type_also_when_empty()
    {
        Assert.Equal("[1::BIGINT, 2::BIGINT]", SqlLiteral.Of(new List<long> { 1, 2 }));
        Assert.Equal("INTEGER[]", store.Scalar<string>($"SELECT typeof({SqlLiteral.Of(Array.Empty<int>())})"));
        Assert.Equal("VARCHAR[]", store.Scalar<string>($"SELECT typeof({SqlLiteral.Of(new[] { "a'b" })})"));
    }

    [Fact]
    public void Only_placeholders_outside_quotes_and_comments_are_replaced()
    {
        var sql = "SELECT '$1' AS a, \"$1\" AS b, -$1 AS c, $10 AS d /* $2 */ -- $2\nFROM t";
        var values = Enumerable.Range(1, 10).Select(i => (object?)(long)-i).ToList();
        Assert.Equal("SELECT '$1' AS a, \"$1\" AS b, -CAST(-1 AS BIGINT) AS c, CAST(-10 AS BIGINT) AS d /* $2 */ -- $2\nFROM t", SqlLiteral.Inline(sql, values));
        Assert.Throws<ArgumentException>(() => SqlLiteral.Inline("SELECT $3", [1L, 2L]));
    }

    [Fact]
    public void A_statement_with_its_values_inlined_returns_what_the_parameterised_one_returns()
    {
        const string sql = "SELECT $1 || $2 AS s, $3 - $4 AS n, $5 + INTERVAL 1 HOUR AS t, $6 IS NULL AS none";
        object?[] values = ["o'", "k", 10L, -5L, new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), null];
        Assert.Equal(store.Query(sql, values).Rows[0], store.Query(SqlLiteral.Inline(sql, values)).Rows[0]);
    }

    [Fact]
    public void An_unknown_type_is_refused_rather_than_guessed() =>
        Assert.Throws<NotSupportedException>(() => SqlLiteral.Of(new Uri("https://example.com")));

    public void Dispose() => store.Dispose();
}
