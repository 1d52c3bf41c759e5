using System.Numerics;
using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;

namespace FlowNotebooks.Tests.Parsing;

/// <summary>
/// A batch makes its IPv6 columns only with its first IPv6 address (most evidence has none). Rows before it, and IPv4
/// rows after it, must read as no IPv6 address; the IPv6 rows as the address's two halves, through the batch's growth.
/// </summary>
public sealed class AddressColumnTests
{
    static string Line(string src) =>
        string.Join(" ", "2", "123456789012", "eni-0abc", src, "10.0.0.1", "443", "50000", "6", "1", "40", "1763478000", "1763478060", "ACCEPT", "OK");

    [Fact]
    public void IPv6_columns_appear_with_the_first_IPv6_address_and_keep_every_row_right_as_the_batch_grows()
    {
        var parser = new FlowRecordParser();
        var batch = new ColumnBatch(FlowLogFormat.Default);
        var src = (AddressColumn)batch.FieldColumns[3];
        // 5,000 IPv4 rows (past a new batch's 4,096 rows of room), then an IPv6 row, then 5,000 more IPv4 rows.
        var lines = Enumerable.Range(0, 5_000).Select(i => Line($"10.1.{i / 256}.{i % 256}"))
            .Append(Line("2001:db8::ff00:42:8329"))
            .Concat(Enumerable.Range(0, 5_000).Select(i => Line($"10.2.{i / 256}.{i % 256}"))).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryAppend(Encoding.ASCII.GetBytes(lines[i]), batch, out var error), error);
            batch.Count++; // the reader keeps the row (after its context columns)
            if (i == 4_999) Assert.Null(src.V6Hi);
        }
        Assert.Equal(10_001, batch.Count);
        Assert.NotNull(src.V6Hi);
        Assert.True(src.V6Hi!.Length >= batch.Count && src.V6Lo!.Length == src.V6Hi.Length && src.TextCodes.Length == src.V6Hi.Length);

        // From the RFC 4291 text, by hand: 2001:0db8:0000:0000:0000:0000:ff00:0042 / 8329.
        var expected = BigInteger.Parse("20010db8000000000000ff0000428329", System.Globalization.NumberStyles.HexNumber);
        Assert.Equal((ulong)(expected >> 64), src.V6Hi[5_000]);
        Assert.Equal((ulong)(expected & ulong.MaxValue), src.V6Lo[5_000]);
        Assert.Equal("2001:db8::ff00:42:8329", parser.Dictionary.Text(src.TextCodes[5_000]));
        foreach (var row in new[] { 0, 4_095, 4_999, 5_001, 10_000 })
        {
            Assert.Null(src.V6Hi[row]);
            Assert.Null(src.V6Lo[row]);
        }
        Assert.Equal("10.1.15.159", parser.Dictionary.Text(src.TextCodes[3_999])); // the 4,000th of the first run
        Assert.Equal("10.2.19.135", parser.Dictionary.Text(src.TextCodes[10_000])); // the 5,000th of the second run
    }
}
