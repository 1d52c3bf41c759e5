using FlowNotebooks.Input;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FlowNotebooks.Presentation.Exports;

namespace FlowNotebooks.Tests.Exports;

/// <summary>
/// The OCSF export read back independently — JSON lines with System.Text.Json's DOM, Parquet with DuckDB's reader — and
/// checked against the OCSF 1.1.0 Network Activity class and against the records the evidence holds.
/// </summary>
public sealed class OcsfExportTests(ExportCaseFixture f) : IClassFixture<ExportCaseFixture>
{
    // The attributes OCSF 1.1.0 requires of a Network Activity event, from github.com/ocsf/ocsf-schema at tag v1.1.0:
    // includes/classification.json (activity_id, category_uid, class_uid, type_uid), includes/occurrence.json (time),
    // events/base_event.json (metadata, severity_id), profiles/cloud.json (cloud; the base event includes the profile),
    // events/network/network.json (src_endpoint, dst_endpoint), profiles/security_control.json (action_id, once the
    // event lists the profile in metadata.profiles).
    static readonly string[] RequiredTop = ["activity_id", "category_uid", "class_uid", "type_uid", "time", "metadata", "severity_id", "cloud", "src_endpoint", "dst_endpoint", "action_id"];
    // objects/metadata.json: product, version; objects/product.json: vendor_name; objects/cloud.json: provider;
    // objects/network_connection_info.json: direction_id; objects/observable.json: name, type_id.
    static readonly string[] RequiredMetadata = ["product", "version"];
    // includes/network/network_activities.json: the activity ids of the class; dictionary.json: severity_id, action_id,
    // direction_id enums (security_control narrows action_id to 0, 1, 2).
    static readonly int[] Activities = [0, 1, 2, 3, 4, 5, 6, 99];
    static readonly int[] Severities = [0, 1, 2, 3, 4, 5, 6, 99];
    static readonly int[] Actions = [0, 1, 2];
    static readonly int[] Directions = [0, 1, 2, 3, 99];
    // objects/endpoint.json and network_endpoint.json constraint: at least one of these.
    static readonly string[] EndpointAtLeastOne = ["ip", "uid", "name", "hostname", "svc_name", "instance_uid", "interface_uid", "interface_name"];

    [Fact]
    public void Every_event_has_the_required_attributes_types_and_ids_of_network_activity_and_the_values_of_its_record()
    {
        var summary = f.Export("journeys.ocsf.jsonl", ExportFormat.OcsfJsonLines);
        var lines = File.ReadAllLines(summary.Path);
        var traffic = f.Evidence.Traffic().OrderBy(r => long.Parse(r["start"], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(traffic.Count, lines.Length);
        Assert.Equal(105, lines.Length); // 3 hours × 40 records, 5 of each 40 NODATA
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var e = doc.RootElement;
            foreach (var a in RequiredTop) Assert.True(e.TryGetProperty(a, out _), $"event {i}: no {a}");
            var classUid = Int(e, "class_uid");
            var activity = Int(e, "activity_id");
            Assert.Equal(4001, classUid);
            Assert.Equal(4, Int(e, "category_uid"));
            Assert.Equal(6, activity); // Traffic
            Assert.Contains(activity, Activities);
            Assert.Equal(classUid * 100L + activity, e.GetProperty("type_uid").GetInt64());
            Assert.Contains(Int(e, "severity_id"), Severities);
            Assert.Contains(Int(e, "action_id"), Actions);
            var metadata = e.GetProperty("metadata");
            foreach (var a in RequiredMetadata) Assert.True(metadata.TryGetProperty(a, out _), $"metadata.{a}");
            Assert.Equal("1.1.0", metadata.GetProperty("version").GetString());
            Assert.False(string.IsNullOrEmpty(metadata.GetProperty("product").GetProperty("vendor_name").GetString()));
            Assert.Equal("AWS", e.GetProperty("cloud").GetProperty("provider").GetString());
            var connection = e.GetProperty("connection_info");
            Assert.Contains(Int(connection, "direction_id"), Directions);
            foreach (var side in new[] { "src_endpoint", "dst_endpoint" })
            {
                var ep = e.GetProperty(side);
                Assert.Contains(EndpointAtLeastOne, a => ep.TryGetProperty(a, out _));
                Assert.True(IPAddress.TryParse(ep.GetProperty("ip").GetString(), out _), $"{side}.ip is an ip_t");
                Assert.InRange(Int(ep, "port"), 0, 65535);
            }
            foreach (var o in e.GetProperty("observables").EnumerateArray())
            {
                Assert.Equal(2, Int(o, "type_id")); // IP Address
                Assert.Contains(o.GetProperty("name").GetString(), new[] { "src_endpoint.ip", "dst_endpoint.ip" });
            }

            // The event carries its record's values (records in start order; each start is unique in this evidence).
            var r = traffic[i];
            var startMs = long.Parse(r["start"], CultureInfo.InvariantCulture) * 1000;
            Assert.Equal(startMs, e.GetProperty("time").GetInt64()); // timestamp_t: milliseconds
            Assert.Equal(startMs, e.GetProperty("start_time").GetInt64());
            Assert.Equal(long.Parse(r["end"], CultureInfo.InvariantCulture) * 1000, e.GetProperty("end_time").GetInt64());
            Assert.Equal(r["srcaddr"], e.GetProperty("src_endpoint").GetProperty("ip").GetString());
            Assert.Equal(int.Parse(r["srcport"], CultureInfo.InvariantCulture), Int(e.GetProperty("src_endpoint"), "port"));
            Assert.Equal(r["dstaddr"], e.GetProperty("dst_endpoint").GetProperty("ip").GetString());
            Assert.Equal(int.Parse(r["dstport"], CultureInfo.InvariantCulture), Int(e.GetProperty("dst_endpoint"), "port"));
            Assert.Equal(int.Parse(r["protocol"], CultureInfo.InvariantCulture), Int(connection, "protocol_num"));
            Assert.Equal(int.Parse(r["tcp-flags"], CultureInfo.InvariantCulture), Int(connection, "tcp_flags"));
            Assert.Equal(r["flow-direction"] == "ingress" ? 1 : 2, Int(connection, "direction_id"));
            Assert.Equal(long.Parse(r["bytes"], CultureInfo.InvariantCulture), e.GetProperty("traffic").GetProperty("bytes").GetInt64());
            Assert.Equal(long.Parse(r["packets"], CultureInfo.InvariantCulture), e.GetProperty("traffic").GetProperty("packets").GetInt64());
            Assert.Equal(r["action"] == "ACCEPT" ? 1 : 2, Int(e, "action_id"));
            Assert.Equal(ExportEvidence.Account, e.GetProperty("cloud").GetProperty("account").GetProperty("uid").GetString());
            Assert.Equal("us-east-1", e.GetProperty("cloud").GetProperty("region").GetString());
            // The interface that logged the record is ours: the sender's side when it sent, the receiver's when it received.
            var ours = e.GetProperty(r["srcaddr"] == ExportEvidence.Own ? "src_endpoint" : "dst_endpoint");
            Assert.Equal(ExportEvidence.Eni, ours.GetProperty("interface_uid").GetString());
            Assert.Equal(ExportEvidence.Vpc, ours.GetProperty("vpc_uid").GetString());
            Assert.Equal(ExportEvidence.Subnet, ours.GetProperty("subnet_uid").GetString());
            Assert.Equal(ExportEvidence.Instance, ours.GetProperty("instance_uid").GetString());
        }
    }

    [Fact]
    public void The_parquet_file_read_by_duckdb_has_the_ocsf_types_nested_structs_and_the_same_events()
    {
        var jsonl = f.Export("same.ocsf.jsonl", ExportFormat.OcsfJsonLines);
        var parquet = f.Export("journeys.ocsf.parquet", ExportFormat.OcsfParquet);
        using var duck = CaseStore.Open();
        var types = duck.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{parquet.Path}'))").Rows
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("INTEGER", types["class_uid"]);
        Assert.Equal("INTEGER", types["category_uid"]);
        Assert.Equal("INTEGER", types["activity_id"]);
        Assert.Equal("BIGINT", types["type_uid"]);
        Assert.Equal("BIGINT", types["time"]);
        Assert.StartsWith("STRUCT(", types["metadata"]);
        Assert.Contains("vendor_name VARCHAR", types["metadata"]);
        Assert.Contains("ip VARCHAR", types["src_endpoint"]);
        Assert.Contains("port INTEGER", types["src_endpoint"]);
        Assert.Contains("direction_id INTEGER", types["connection_info"]);
        Assert.Contains("bytes BIGINT", types["traffic"]);
        Assert.Matches(@"^STRUCT\(.*type_id INTEGER.*\)\[\]$", types["observables"]);
        // Same events as the JSON lines, in the same order.
        var fromParquet = duck.Query($"""
            SELECT class_uid, type_uid, time, src_endpoint.ip, src_endpoint.port, dst_endpoint.ip, dst_endpoint.port, traffic.bytes,
                   traffic.packets, action_id, connection_info.direction_id, metadata.version, cloud.account.uid, len(observables)
            FROM read_parquet('{parquet.Path}')
            """).Rows;
        var fromJson = File.ReadAllLines(jsonl.Path).Select(l => JsonDocument.Parse(l).RootElement).Select(e => new object?[]
        {
            Int(e, "class_uid"), e.GetProperty("type_uid").GetInt64(), e.GetProperty("time").GetInt64(),
            e.GetProperty("src_endpoint").GetProperty("ip").GetString(), Int(e.GetProperty("src_endpoint"), "port"),
            e.GetProperty("dst_endpoint").GetProperty("ip").GetString(), Int(e.GetProperty("dst_endpoint"), "port"),
            e.GetProperty("traffic").GetProperty("bytes").GetInt64(), e.GetProperty("traffic").GetProperty("packets").GetInt64(),
            Int(e, "action_id"), Int(e.GetProperty("connection_info"), "direction_id"), e.GetProperty("metadata").GetProperty("version").GetString(),
            e.GetProperty("cloud").GetProperty("account").GetProperty("uid").GetString(), (long)e.GetProperty("observables").GetArrayLength(),
        }).ToList();
        Assert.Equal(fromJson.Count, fromParquet.Count);
        for (var i = 0; i < fromJson.Count; i++)
            Assert.Equal(fromJson[i].Select(Text), fromParquet[i].Select(Text));
        // The provenance travels inside the Parquet file too.
        var meta = duck.Query($"SELECT decode(value) FROM parquet_kv_metadata('{parquet.Path}') WHERE decode(key) = 'flownb.provenance'").Rows;
        var provenance = JsonDocument.Parse((string)Assert.Single(meta)[0]!).RootElement;
        Assert.Equal(f.Case.Store.Scalar<string>("SELECT sha256(string_agg(sha256, chr(10) ORDER BY sha256)) FROM evidence"),
            provenance.GetProperty("case").GetProperty("evidence_sha256_set").GetString());
    }

    [Fact]
    public void Findings_and_tables_are_not_network_activity_events()
    {
        var e = Assert.Throws<ArgumentException>(() => f.Export("x.jsonl", ExportFormat.OcsfJsonLines, "rejected-recon", findings: true));
        Assert.Contains("counted journeys", e.Message);
    }

    static int Int(JsonElement e, string name)
    {
        var v = e.GetProperty(name);
        Assert.Equal(JsonValueKind.Number, v.ValueKind);
        return v.GetInt32(); // throws for a fraction or a value beyond an integer
    }

    static string Text(object? v) => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
}
