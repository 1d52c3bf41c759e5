namespace FlowNotebooks.Tests.Procedures.Athena;
public sealed class DiagTests(VpcCompromiseOnTrino c) : IClassFixture<VpcCompromiseOnTrino>
{
    [Fact]
    public async Task Diag()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var q in new[] { "SELECT count(*), sum(records), sum(ok), sum(bytes) FROM interface_hours", "SELECT count(*), sum(records), count(*) FILTER (WHERE skipped) FROM capture_minutes",
            "SELECT count(*) FROM counted_captures", "SELECT count(*), count(*) FILTER (WHERE counts) FROM counted_flows", "SELECT count(*), sum(records) FROM evidence", "SELECT count(*) FROM flows", "SELECT count(*) FROM observed_minutes", "SELECT * FROM interface_own_address ORDER BY 1",
            "SELECT object, records, first_time, last_time FROM evidence ORDER BY object LIMIT 2" })
            sb.AppendLine(q + "\n L " + string.Join(" | ", c.Local.Query(q).Rows.Select(r => string.Join(",", r))) + "\n A " + string.Join(" | ", c.Remote.Query(q).Rows.Select(r => string.Join(",", r))));
        foreach (var q in new[] { "SELECT 0, count(*), count(DISTINCT \"$path\"), min(day), max(day) FROM flow_logs_0", "SELECT 1, count(*), count(DISTINCT \"$path\"), min(day), max(day) FROM flow_logs_1", "SELECT 2, count(*), count(DISTINCT \"$path\"), min(day), max(day) FROM flow_logs_2" })
            sb.AppendLine(string.Join(",", (await c.Athena.RunAsync(new(q, "w", null, null, [], "t"), default)).Rows[0]));
        sb.AppendLine(c.Athena.Received[0].Sql);
        Assert.Fail(sb.ToString());
    }
}
