using System.Globalization;
using FlowNotebooks.Procedures;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>
/// An object whose records contradict what its name claims (the account, the delivery time) is loaded but flagged: in the
/// manifest with the line that shows it, and as a high-severity statement of what can be trusted.
/// </summary>
public sealed class NameContradictionTests
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    static string Record(string account, DateTime start) =>
        string.Create(CultureInfo.InvariantCulture,
            $"2 {account} eni-0a1 10.0.1.5 10.0.2.6 49152 443 6 10 840 {new DateTimeOffset(start).ToUnixTimeSeconds()} {new DateTimeOffset(start).ToUnixTimeSeconds() + 60} ACCEPT OK");

    [Fact]
    public void Records_of_another_account_or_long_before_the_claimed_delivery_flag_the_object_with_their_first_lines()
    {
        using var tc = new TempCase();
        // AWS's name: ACCOUNT_vpcflowlogs_REGION_FLOWLOGID_YYYYMMDDTHHmmZ_HASH under AWSLogs/ACCOUNT/vpcflowlogs/REGION/Y/M/D/.
        var delivered = new DateTime(2025, 11, 18, 10, 5, 0, DateTimeKind.Utc);
        const string Prefix = "AWSLogs/111122223333/vpcflowlogs/us-east-1/2025/11/18/111122223333_vpcflowlogs_us-east-1_fl-0abc";
        tc.WriteGzip(Prefix + "_20251118T1005Z_0a0b0c0d.log.gz", string.Join("\n",
            Header,
            Record("111122223333", delivered.AddMinutes(-4)),     // line 2: as delivered
            Record("999988887777", delivered.AddMinutes(-3)),     // line 3: another account than the name's
            Record("111122223333", delivered.AddDays(-3)),        // line 4: three days before the delivery it claims
            Record("999988887777", delivered.AddMinutes(-2))) + "\n");
        tc.WriteGzip(Prefix + "_20251118T1010Z_0e0f0a0b.log.gz", string.Join("\n",
            Header, Record("111122223333", delivered.AddMinutes(1)), Record("111122223333", delivered.AddMinutes(2))) + "\n");
        tc.Load();

        var rows = tc.Query("SELECT object, name_contradicted, records FROM evidence ORDER BY object").RowsByName.ToList();
        Assert.Equal(2, rows.Count);
        // Every record is still loaded: what the object holds is kept, only its name is not trusted.
        Assert.Equal(4L, rows[0].Long("records"));
        Assert.Equal(
            "its name claims account 111122223333 but 2 records name another (first at line 3); "
            + "its name claims delivery 2025-11-18T10:05Z but 1 records ended over a day before it (first at line 4)",
            rows[0].Text("name_contradicted"));
        Assert.Null(rows[1].TextOrNull("name_contradicted"));
        // The lines named are the ones that show it.
        const string Line = "SELECT f.{0} FROM flows f JOIN evidence e USING (evidence_id) WHERE e.object = $1 AND f.line = $2";
        Assert.Equal("999988887777", tc.Scalar<string>(string.Format(CultureInfo.InvariantCulture, Line, "account_id"), rows[0].Text("object"), 3L));
        Assert.True(tc.Scalar<DateTime>(string.Format(CultureInfo.InvariantCulture, Line, "end_time"), rows[0].Text("object"), 4L) < delivered.AddDays(-1));

        var clock = EvidenceClock.Compute(tc.Store, delivered.AddDays(-4), delivered.AddDays(1));
        var statement = Assert.Single(clock.Statements, s => s.Kind == "suspect_object");
        Assert.Equal(Severity.High, statement.Severity);
        Assert.Contains(rows[0].Text("object"), statement.Statement);
        Assert.Contains("first at line 3", statement.Statement);
    }
}
