using FlowNotebooks.Formats;

namespace FlowNotebooks.Tests;

public class SmokeTests
{
    [Fact]
    public void Default_format_is_the_fourteen_v2_fields_in_documented_order()
    {
        var f = FlowLogFormat.Default;
        Assert.Equal(14, f.Fields.Count);
        Assert.Equal("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status", f.Signature);
        Assert.Equal(2, f.HighestVersion);
    }
}
