using System.Text;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>The load summary groups rejects by reason: varying numbers and values are grouped, digits inside words stay.</summary>
public sealed class RejectSummaryTests : IDisposable
{
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    [Fact]
    public void Reasons_keep_their_digits_and_group_line_numbers_and_values()
    {
        // No header and no configuration: the default v2 format applies.
        var good = "2 123456789010 eni-0a 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK";
        var lines = new List<byte[]>
        {
            Encoding.ASCII.GetBytes(good),
            Encoding.ASCII.GetBytes("2 123456789010 eni-0a 10.0.1.5"),
            Encoding.ASCII.GetBytes("2 123456789010 eni-0a 10.0.1.5 203.0.113.5 49152"),
            Encoding.ASCII.GetBytes("2 eni-0a ").Concat(new byte[] { 0xC3, 0x28 }).ToArray(),
            Encoding.ASCII.GetBytes("2 123 eni-0b ").Concat(new byte[] { 0xFF }).ToArray(),
            Encoding.ASCII.GetBytes(good.Replace("10.0.1.5", "10.0.1.999")),
            Encoding.ASCII.GetBytes(good.Replace("10.0.1.5", "host-a")),
        };
        tc.Write("a.log", lines.SelectMany(l => l.Concat(new[] { (byte)'\n' })).ToArray());
        var s = tc.Load();
        Assert.Equal(1, s.Records);
        Assert.Equal(6, s.Rejects);
        var reasons = s.RejectReasons.ToDictionary(r => r.Reason, r => r.Count);
        // The two short lines differ in how many fields they have; the two bad UTF-8 lines in the byte; the two bad
        // addresses in their value: each pair is one reason, spelled with its constant digits.
        Assert.Equal(2, reasons["expected N fields (default v2 format) but found N"]);
        Assert.Equal(2, reasons["invalid UTF-8 at byte N of the line"]);
        Assert.Equal(2, reasons["field N 'srcaddr': '…' is not an IPv4 or IPv6 address"]);
        Assert.Equal(3, reasons.Count);
        // The rejects themselves keep every detail.
        Assert.Equal(["expected 14 fields (default v2 format) but found 4", "expected 14 fields (default v2 format) but found 6"],
            tc.Query("SELECT reason FROM rejects WHERE reason LIKE 'expected%' ORDER BY line").Rows.Select(r => (string)r[0]!));
    }
}
