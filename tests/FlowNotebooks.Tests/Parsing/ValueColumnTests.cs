using FlowNotebooks.Parsing;

namespace FlowNotebooks.Tests.Parsing;

/// <summary>
/// A number column keeps its nulls as bits beside a plain array. Whether a batch has a null decides how the store writes
/// the column, so the count it is asked about must be honoured at every word's edge, and growing must keep the bits.
/// </summary>
public sealed class ValueColumnTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(129)]
    public void A_null_counts_only_within_the_rows_asked_about(int nullRow)
    {
        var column = new Int64Column("bytes", 130);
        for (var row = 0; row < 130; row++) column.Set(row, row * 10L);
        Assert.False(column.HasNulls(130));
        column.SetNull(nullRow);
        Assert.False(column.HasNulls(nullRow));
        Assert.True(column.HasNulls(nullRow + 1));
        Assert.Null(column[nullRow]);
        Assert.Equal(nullRow == 0 ? 10L : 0L, column[nullRow == 0 ? 1 : 0]);
    }

    [Fact]
    public void Growing_keeps_values_and_nulls_and_a_value_written_again_clears_its_null()
    {
        var column = new Int32Column("srcport", 100);
        for (var row = 0; row < 100; row++)
        {
            if (row % 7 == 0) column.SetNull(row);
            else column.Set(row, row + 1);
        }
        column.Resize(300);
        for (var row = 100; row < 300; row++) column.Set(row, row + 1);
        for (var row = 0; row < 300; row++) Assert.Equal(row < 100 && row % 7 == 0 ? null : row + 1, column[row]);
        column.Set(7, 8);
        Assert.Equal(8, column[7]);
        Assert.True(column.HasNulls(300)); // rows 0, 14, 21, … are still null
    }
}
