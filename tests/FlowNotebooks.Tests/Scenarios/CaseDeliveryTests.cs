using FlowNotebooks.Formats;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Scenarios.Catalog;
using FlowNotebooks.Sources;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>The generated folder looks exactly like AWS delivery and CLI output (flow-log-format.md §3, §4, §6, §7), and is reproducible.</summary>
public sealed partial class CaseDeliveryTests(VpcCompromiseCase c) : IClassFixture<VpcCompromiseCase>
{
    [GeneratedRegex(@"^(?<acct>\d{12})_vpcflowlogs_(?<region>[a-z0-9-]+)_(?<fl>fl-0[0-9a-f]{16})_(?<ts>\d{8}T\d{4}Z)_[0-9a-f]{8}\.log\.(?<ext>gz|parquet)$")]
    private static partial Regex ObjectName();

    JsonElement FlowLogs()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(c.Folder, "describe-flow-logs.json")));
        return doc.RootElement.GetProperty("FlowLogs").Clone();
    }

    [Fact]
    public void Every_s3_object_has_the_aws_key_of_its_flow_log_layout_and_a_stamp_on_its_delivery_period()
    {
        var configs = FlowLogs().EnumerateArray().Where(f => f.GetProperty("LogDestinationType").GetString() == "s3")
            .ToDictionary(f => f.GetProperty("FlowLogId").GetString()!);
        var seen = new HashSet<string>();
        var layouts = new HashSet<KeyLayout>();
        var bucket = Path.Combine(c.Folder, "s3", ShopVpc.Bucket);
        foreach (var file in Directory.EnumerateFiles(bucket, "*", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(bucket, file).Replace('\\', '/');
            var m = ObjectName().Match(Path.GetFileName(key));
            Assert.True(m.Success, key);
            Assert.Equal(c.Key.AccountId, m.Groups["acct"].Value);
            Assert.Equal(c.Key.Region, m.Groups["region"].Value);
            var config = configs[m.Groups["fl"].Value];
            var options = config.GetProperty("DestinationOptions");
            var hive = options.GetProperty("HiveCompatiblePartitions").GetBoolean();
            var perHour = options.GetProperty("PerHourPartition").GetBoolean();
            var stamp = DateTime.ParseExact(m.Groups["ts"].Value, "yyyyMMdd'T'HHmm'Z'", null, System.Globalization.DateTimeStyles.AdjustToUniversal);
            var expectedLayout = hive ? (perHour ? KeyLayout.HivePerHour : KeyLayout.Hive) : (perHour ? KeyLayout.DefaultPerHour : KeyLayout.Default);
            Assert.Equal(S3KeyLayout.Folder(null, c.Key.AccountId, c.Key.Region, stamp, expectedLayout), key[..(key.LastIndexOf('/') + 1)]);
            var parsed = S3KeyLayout.Parse(key);
            Assert.Equal((expectedLayout, m.Groups["fl"].Value, stamp), (parsed.Layout, parsed.FlowLogId, parsed.DeliveryTime!.Value));
            Assert.Equal(options.GetProperty("FileFormat").GetString() == "parquet" ? "parquet" : "gz", m.Groups["ext"].Value);
            Assert.Equal(0, stamp.Minute % 5);
            layouts.Add(expectedLayout);
            seen.Add(m.Groups["fl"].Value);
        }
        Assert.Equal(configs.Keys.Order(), seen.Order());
        Assert.Equal([KeyLayout.Default, KeyLayout.DefaultPerHour, KeyLayout.Hive, KeyLayout.HivePerHour], layouts.Order());
        // One flow log delivers 5-minute objects, the others one per hour.
        Assert.True(c.Long("SELECT count(*) FROM evidence WHERE minute(delivery_time) NOT IN (0)") > 100);
        Assert.Equal(1, c.Long("SELECT count(DISTINCT flow_log_id) FROM evidence WHERE minute(delivery_time) <> 0"));
    }

    [Fact]
    public void Text_objects_are_deterministic_gzip_whose_first_line_is_the_flow_logs_header()
    {
        var formats = FlowLogs().EnumerateArray().ToDictionary(f => f.GetProperty("FlowLogId").GetString()!, f => f.GetProperty("LogFormat").GetString()!);
        var files = Directory.EnumerateFiles(Path.Combine(c.Folder, "s3"), "*.log.gz", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count > 200);
        var headers = new HashSet<string>();
        foreach (var file in files.Where((_, i) => i % 7 == 0))
        {
            var bytes = File.ReadAllBytes(file);
            // Magic, deflate, no FNAME/FEXTRA flags, mtime 0: nothing time- or machine-dependent in the header.
            Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, bytes[..8]);
            using var reader = new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
            var text = reader.ReadToEnd();
            Assert.DoesNotContain('\r', text);
            Assert.EndsWith("\n", text);
            var header = text[..text.IndexOf('\n')];
            var fl = S3KeyLayout.Parse(file).FlowLogId!;
            Assert.Equal(formats[fl].Replace("${", "").Replace("}", ""), header);
            headers.Add(header);
            var width = header.Split(' ').Length;
            Assert.All(text.TrimEnd('\n').Split('\n').Skip(1), line => Assert.Equal(width, line.Split(' ').Length));
        }
        Assert.Equal(2, headers.Count);
    }

    [Fact]
    public void Parquet_objects_name_columns_with_underscores_and_type_them_per_the_field_table()
    {
        var file = Directory.EnumerateFiles(Path.Combine(c.Folder, "s3"), "*.log.parquet", SearchOption.AllDirectories).First();
        using var duck = CaseStore.Open();
        // The object sits in a Hive-style folder; DuckDB would add the partition keys as columns unless told not to.
        var columns = duck.Query($"DESCRIBE SELECT * FROM read_parquet({SqlText.Literal(file)}, hive_partitioning = false)").Rows
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(ShopVpc.AppFormat.Replace("${", "").Replace("}", "").Replace('-', '_').Split(' '), columns.Keys);
        Assert.Equal("INTEGER", columns["version"]);
        Assert.Equal("INTEGER", columns["dstport"]);
        Assert.Equal("INTEGER", columns["tcp_flags"]);
        Assert.Equal("INTEGER", columns["traffic_path"]);
        Assert.Equal("BIGINT", columns["bytes"]);
        Assert.Equal("BIGINT", columns["start"]);
        Assert.Equal("VARCHAR", columns["pkt_srcaddr"]);
        Assert.Equal("VARCHAR", columns["log_status"]);
        Assert.Equal(5, duck.Scalar<int>($"SELECT min(version) FROM read_parquet({SqlText.Literal(file)}, hive_partitioning = false)"));
    }

    [Fact]
    public void The_cloudwatch_export_is_filter_log_events_output_with_one_stream_per_interface()
    {
        var pages = Directory.GetFiles(Path.Combine(c.Folder, "cloudwatch", ShopVpc.LogGroup), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.True(pages.Count >= 2);
        var streams = new HashSet<string>();
        var events = 0;
        for (var i = 0; i < pages.Count; i++)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(pages[i]));
            Assert.Equal(i < pages.Count - 1, doc.RootElement.TryGetProperty("nextToken", out _));
            foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
            {
                var message = e.GetProperty("message").GetString()!;
                var fields = message.Split(' ');
                Assert.Equal(14, fields.Length);
                Assert.Equal("2", fields[0]);
                Assert.Equal(fields[2] + "-all", e.GetProperty("logStreamName").GetString());
                Assert.Equal(long.Parse(fields[10]) * 1000, e.GetProperty("timestamp").GetInt64());
                Assert.True(e.GetProperty("ingestionTime").GetInt64() > long.Parse(fields[11]) * 1000);
                Assert.Matches("^[0-9]{56}$", e.GetProperty("eventId").GetString()!);
                streams.Add(e.GetProperty("logStreamName").GetString()!);
                events++;
            }
        }
        Assert.Equal(new[] { c.Host("db-1").InterfaceId + "-all", c.Host("web-1").InterfaceId + "-all" }.Order(), streams.Order());
        Assert.Equal(events, c.Long("SELECT sum(records)::BIGINT FROM evidence WHERE kind = 'cloudwatch-json'"));
    }

    [Fact]
    public void Describe_outputs_have_the_aws_cli_shape_and_leave_out_the_unmanaged_host()
    {
        foreach (var f in FlowLogs().EnumerateArray())
        {
            foreach (var member in new[] { "CreationTime", "DeliverLogsStatus", "FlowLogId", "FlowLogStatus", "ResourceId", "TrafficType", "LogDestinationType", "LogDestination", "LogFormat", "MaxAggregationInterval" })
                Assert.True(f.TryGetProperty(member, out _), member);
            Assert.Equal(f.GetProperty("LogDestinationType").GetString() == "cloud-watch-logs", f.TryGetProperty("LogGroupName", out _));
        }
        // v2 default (web, data, both interface-level), all v2–v5 fields (public subnets), custom order (app).
        Assert.Equal(3, c.Long("SELECT count(DISTINCT log_format) FROM flow_logs"));
        Assert.Equal(1, c.Long("SELECT count(*) FROM flow_logs WHERE file_format = 'parquet' AND hive_compatible AND per_hour"));
        Assert.Equal(2, c.Long("SELECT count(*) FROM flow_logs WHERE log_destination_type = 'cloud-watch-logs' AND resource_id LIKE 'eni-%'"));
        Assert.Equal("nat_gateway", c.Store.Scalar<string>("SELECT role FROM interfaces WHERE private_ip = '10.20.0.20'"));
        Assert.Equal("lambda", c.Store.Scalar<string>("SELECT role FROM interfaces WHERE private_ip = '10.20.20.140'"));
        Assert.Equal(2, c.Long("SELECT count(*) FROM interfaces WHERE role = 'ecs_task'"));
        Assert.Equal(2, c.Long("SELECT count(*) FROM interfaces WHERE role = 'application_load_balancer'"));
        Assert.Equal(0, c.Long("SELECT count(*) FROM interfaces WHERE private_ip = $1", c.Key.UnmanagedHost!.Ip));
        var iocs = File.ReadAllLines(Path.Combine(c.Folder, "iocs.txt")).Where(l => !l.StartsWith('#')).Select(l => l.Split(' ')[0]);
        Assert.Equal(c.Key.Iocs.Order(), iocs.Order());
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_files_and_another_seed_another_incident()
    {
        var again = Path.Combine(Path.GetTempPath(), $"flownb-again-{Guid.NewGuid():N}");
        try
        {
            CaseGenerator.Generate(new VpcCompromise(), new ScenarioOptions(), again);
            Assert.Equal(Hashes(c.Folder), Hashes(again));
        }
        finally
        {
            Directory.Delete(again, true);
        }
        var other = new VpcCompromise().Plan(new ScenarioOptions(Seed: 7), 1).Key;
        Assert.NotEqual(c.Key.Exfiltration!.TotalBytes, other.Exfiltration!.TotalBytes);
        Assert.NotEqual(c.Key.InitialAccess!.Time, other.InitialAccess!.Time);
        Assert.NotEqual(c.Key.VpcId, other.VpcId);
    }

    internal static SortedDictionary<string, string> Hashes(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);
}
