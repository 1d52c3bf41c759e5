using DuckDB.NET.Data;
using FlowNotebooks.Parsing;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// The manifest is appended by position: each value must land in the column of its name, on a case built by
/// <see cref="CaseSchema"/> (including the columns added after the first release), and every kept reject in rejects.
/// </summary>
public sealed class EvidenceManifestTests : IDisposable
{
    readonly DuckDBConnection db = new("DataSource=:memory:");

    public EvidenceManifestTests()
    {
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = CaseSchema.CreateSql();
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => db.Dispose();

    Dictionary<string, object?> Row(string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        var row = Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => r.IsDBNull(i) ? null : r.GetValue(i));
        Assert.False(r.Read());
        return row;
    }

    [Fact]
    public void Each_value_lands_in_the_column_of_its_name_and_kept_rejects_in_rejects()
    {
        // Every value distinct, so a value written one column off cannot pass.
        var row = new ManifestRow
        {
            EvidenceId = 7, Object = "AWSLogs/111111111111/vpcflowlogs/eu-west-1/2026/03/01/111111111111_vpcflowlogs_eu-west-1_fl-0a_20260301T1005Z_1a2b3c4d.log.gz",
            Kind = "s3-text", Size = 12_345, Sha256 = new string('a', 64), Status = "loaded", Format = "version account-id", Records = 1000, Rejected = 3,
            HeaderLines = 1, BlankLines = 2, FirstTime = new DateTime(2026, 3, 1, 9, 58, 0), LastTime = new DateTime(2026, 3, 1, 10, 4, 0), FlowLogId = "fl-0a",
            AccountId = "111111111111", Region = "eu-west-1", DeliveryTime = new DateTime(2026, 3, 1, 10, 5, 0), KeyLayout = "default", Notes = "a note",
            LogGroup = "vpc-logs", ImplausibleTimes = 4, NameContradicted = "names account 222222222222",
            Rejects = [new Reject("obj.log.gz", 17, "bad port", "2 x y"), new Reject("obj.log.gz", 0, "truncated gzip", "")],
        };
        var before = DateTime.UtcNow.AddSeconds(-1);
        EvidenceManifest.Write(db, [row]);

        var e = Row("SELECT * FROM evidence");
        Assert.Equal(7, e["evidence_id"]);
        Assert.Equal(row.Object, e["object"]);
        Assert.Equal(("s3-text", 12_345L, row.Sha256, "loaded", "version account-id"), (e["kind"], e["size"], e["sha256"], e["status"], e["format"]));
        Assert.Equal((1000L, 3L, 1L, 2L), (e["records"], e["rejected"], e["header_lines"], e["blank_lines"]));
        Assert.Equal((row.FirstTime, row.LastTime, row.DeliveryTime), ((DateTime?)e["first_time"], (DateTime?)e["last_time"], (DateTime?)e["delivery_time"]));
        Assert.Equal(("fl-0a", "111111111111", "eu-west-1", "default", "a note"), (e["flow_log_id"], e["account_id"], e["region"], e["key_layout"], e["notes"]));
        Assert.Equal(("vpc-logs", 4L, "names account 222222222222"), (e["log_group"], e["implausible_times"], e["name_contradicted"]));
        Assert.InRange((DateTime)e["loaded_at"]!, before, DateTime.UtcNow.AddSeconds(1));

        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT evidence_id, object, line, reason, raw FROM rejects ORDER BY line DESC";
        using var r = cmd.ExecuteReader();
        var rejects = new List<(int, string, long, string, string)>();
        while (r.Read()) rejects.Add((r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4)));
        Assert.Equal([(7, "obj.log.gz", 17L, "bad port", "2 x y"), (7, "obj.log.gz", 0L, "truncated gzip", "")], rejects);
    }

    [Fact]
    public void Values_an_object_lacks_stay_null_and_no_rows_write_nothing()
    {
        EvidenceManifest.Write(db, []);
        Assert.Equal(0L, Row("SELECT count(*) AS n FROM evidence")["n"]);
        EvidenceManifest.Write(db, [new ManifestRow { EvidenceId = 1, Object = "describe-flow-logs.json", Kind = "config", Size = 10, Sha256 = new string('b', 64), Status = "loaded" }]);
        var e = Row("SELECT format, first_time, flow_log_id, log_group, name_contradicted, implausible_times FROM evidence");
        Assert.All(new[] { "format", "first_time", "flow_log_id", "log_group", "name_contradicted" }, c => Assert.Null(e[c]));
        Assert.Equal(0L, e["implausible_times"]);
        Assert.Equal(0L, Row("SELECT count(*) AS n FROM rejects")["n"]);
    }
}
