using System.Security.Cryptography;
using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Ingest;

/// <summary>Bad evidence gives a clear message naming the object and line, a reject row, and the good records still load.</summary>
public sealed class BadInputTests : IDisposable
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    readonly TempCase tc = new();

    public void Dispose() => tc.Dispose();

    static string Rec(int i) => $"2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.{i % 250 + 1} 198.51.100.7 {40000 + i} 443 6 10 {1000 + i} 1700000000 1700000060 ACCEPT OK";

    static string Records(int from, int count) => string.Join("\n", Enumerable.Range(from, count).Select(Rec)) + "\n";

    (long Line, string Reason, string Raw)[] Rejects(string obj) =>
        tc.Query("SELECT line, reason, raw FROM rejects WHERE object = $1 ORDER BY line", obj).Rows
            .Select(r => ((long)r[0]!, (string)r[1]!, (string)r[2]!)).ToArray();

    [Fact]
    public void Truncated_gzip_keeps_the_records_before_the_cut_and_says_so()
    {
        var full = TempCase.Gzip(Encoding.ASCII.GetBytes(Header + "\n" + Records(0, 20000)));
        tc.Write("good.log.gz", TempCase.Gzip(Encoding.ASCII.GetBytes(Header + "\n" + Records(0, 5))));
        tc.Write("cut.log.gz", full[..(full.Length / 2)]);
        tc.Load();
        var e = tc.Query("SELECT status, records, rejected FROM evidence WHERE object = 'cut.log.gz'").Rows.Single();
        Assert.Equal("truncated", e[0]);
        var kept = (long)e[1]!;
        Assert.InRange(kept, 1000, 19999);
        var reject = Rejects("cut.log.gz").Single();
        Assert.Contains("compressed stream ends early", reject.Reason);
        Assert.Contains("truncated object", reject.Reason);
        // The records before the cut are the file's first records, in order, with their line numbers.
        Assert.Equal(kept, tc.Scalar<long>("SELECT count(*) FROM flows f JOIN evidence e USING (evidence_id) WHERE e.object = 'cut.log.gz' AND f.line = f.srcport - 40000 + 2"));
        Assert.Equal(5L, tc.Scalar<long>("SELECT records FROM evidence WHERE object = 'good.log.gz'"));
    }

    [Fact]
    public void Gzip_cut_exactly_before_its_trailer_is_still_truncated()
    {
        var full = TempCase.Gzip(Encoding.ASCII.GetBytes(Header + "\n" + Records(0, 50)));
        tc.Write("no-trailer.log.gz", full[..^4]);
        tc.Load();
        Assert.Equal("truncated", tc.Scalar<string>("SELECT status FROM evidence"));
        Assert.Equal(50L, tc.Scalar<long>("SELECT records FROM evidence"));
    }

    [Fact]
    public void Concatenated_gzip_members_are_all_read()
    {
        var a = TempCase.Gzip(Encoding.ASCII.GetBytes(Header + "\n" + Records(0, 3)));
        var b = TempCase.Gzip(Encoding.ASCII.GetBytes(Records(3, 4)));
        tc.Write("multi.log.gz", [.. a, .. b]);
        tc.Load();
        Assert.Equal<object?>(["complete", 7L, 0L], tc.Query("SELECT status, records, rejected FROM evidence").Rows.Single());
    }

    [Fact]
    public void Wrong_field_count_is_rejected_with_line_and_raw_text()
    {
        tc.Write("a.log", Header + "\n" + Rec(1) + "\n2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.9\n" + Rec(3) + " EXTRA\n" + Rec(4) + "\n");
        tc.Load();
        var r = Rejects("a.log");
        Assert.Equal(2, r.Length);
        Assert.Equal((3L, "expected 14 fields (header line 1) but found 4", "2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.9"), r[0]);
        Assert.Equal(4L, r[1].Line);
        Assert.Equal("expected 14 fields (header line 1) but found 15", r[1].Reason);
        Assert.Equal(2L, tc.Scalar<long>("SELECT count(*) FROM flows"));
        Assert.Equal(2L, tc.Scalar<long>("SELECT rejected FROM evidence"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_field()
    {
        tc.Write("a.log", Header + "\n" + Rec(1).Replace(" 443 ", " https ") + "\n" + Rec(2).Replace("198.51.100.7", "198.51.100.999") + "\n" + Rec(3) + "\n");
        tc.Load();
        var r = Rejects("a.log");
        Assert.Equal("field 7 'dstport': 'https' is not a 32-bit integer", r[0].Reason);
        Assert.Equal("field 5 'dstaddr': '198.51.100.999' is not an IPv4 or IPv6 address", r[1].Reason);
        Assert.Equal(1L, tc.Scalar<long>("SELECT count(*) FROM flows"));
    }

    [Fact]
    public void A_header_that_disagrees_with_the_given_format_wins_and_is_noted()
    {
        tc.Write("a.log", "version interface-id srcaddr dstaddr action log-status\n2 eni-1 10.0.0.1 10.0.0.2 ACCEPT OK\n");
        tc.Load(new IngestOptions { Format = FlowNotebooks.Formats.FlowLogFormat.Parse(FlowNotebooks.Formats.FlowLogFormat.DefaultLogFormat) });
        Assert.Equal(1L, tc.Scalar<long>("SELECT count(*) FROM flows WHERE interface_id = 'eni-1' AND action = 'ACCEPT'"));
        Assert.Contains("header line differs from", tc.Scalar<string>("SELECT notes FROM evidence"));
    }

    [Fact]
    public void Records_that_do_not_match_their_header_are_rejected()
    {
        // A header of six fields over default-format records: every record is the wrong length for that header.
        tc.Write("a.log", "version interface-id srcaddr dstaddr action log-status\n" + Records(0, 3));
        tc.Load();
        Assert.All(Rejects("a.log"), r => Assert.Equal("expected 6 fields (header line 1) but found 14", r.Reason));
        Assert.Equal(3, Rejects("a.log").Length);
    }

    [Fact]
    public void Invalid_utf8_is_rejected_and_shown_escaped_while_valid_non_ascii_ids_load()
    {
        var bad = Encoding.ASCII.GetBytes(Header + "\n" + Rec(1) + "\n");
        var line = Encoding.ASCII.GetBytes(Rec(2).Replace("eni-0a1b2c3d4e5f60718", "eni-0a1b2cXX"));
        line[Array.IndexOf(line, (byte)'X')] = 0xFF;
        var ok = Encoding.UTF8.GetBytes(Rec(3).Replace("123456789010", "konto-müller") + "\n");
        tc.Write("a.log", [.. bad, .. line, (byte)'\n', .. ok]);
        tc.Load();
        var r = Rejects("a.log").Single();
        Assert.Equal(3L, r.Line);
        Assert.Equal("invalid UTF-8 at byte 26 of the line", r.Reason);
        Assert.Contains("eni-0a1b2c\\xFFX", r.Raw);
        Assert.Equal(1L, tc.Scalar<long>("SELECT count(*) FROM flows WHERE account_id = 'konto-müller'"));
    }

    [Fact]
    public void A_one_megabyte_line_is_rejected_and_the_next_line_loads()
    {
        var huge = new string('9', 1 << 20);
        tc.Write("a.log", Header + "\n" + Rec(1) + "\n" + huge + "\n" + Rec(2) + "\n");
        tc.Load();
        var r = Rejects("a.log").Single();
        Assert.Equal(3L, r.Line);
        Assert.Equal("line of 1,048,576 bytes is longer than the 65,536-byte limit", r.Reason);
        Assert.StartsWith("9999", r.Raw);
        Assert.Equal(512, r.Raw.Length);
        Assert.Equal(2L, tc.Scalar<long>("SELECT count(*) FROM flows"));
        Assert.Equal(4L, tc.Scalar<long>("SELECT max(line) FROM flows"));
    }

    [Fact]
    public void An_empty_object_is_in_the_manifest_with_a_reject()
    {
        tc.Write("empty.log.gz", []);
        // A gzip member holding zero bytes (GZipStream writes nothing at all for empty input).
        tc.Write("empty-gzip.log.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        tc.Load();
        Assert.Equal<object?>(["empty", 0L, 1L], tc.Query("SELECT status, records, rejected FROM evidence WHERE object = 'empty.log.gz'").Rows.Single());
        Assert.Equal("empty object (0 bytes)", Rejects("empty.log.gz").Single().Reason);
        Assert.Equal("empty object: no records", Rejects("empty-gzip.log.gz").Single().Reason);
    }

    [Fact]
    public void Malformed_json_export_names_the_line()
    {
        tc.Write("filter-log-events.json", "{\n  \"events\": [\n    {\"logStreamName\": \"eni-1\", \"message\": \"" + Rec(1) + "\"},\n    {\"logStreamName\": \"eni-1\", \"message\": }\n  ]\n}\n");
        tc.Load();
        var r = Rejects("filter-log-events.json").Single();
        Assert.Equal(4L, r.Line);
        Assert.StartsWith("malformed JSON at line 4, byte ", r.Reason);
        Assert.Contains("\"message\": }", r.Raw);
        Assert.Equal("malformed", tc.Scalar<string>("SELECT status FROM evidence"));
    }

    [Fact]
    public void Strict_mode_stops_at_the_first_reject_naming_object_and_line()
    {
        tc.Write("a.log", Header + "\n" + Rec(1) + "\nnot a record\n");
        var ex = Assert.Throws<FlowLoadException>(() => tc.Load(new IngestOptions { Strict = true }));
        Assert.Contains("a.log:3: expected 14 fields", ex.Message);
        Assert.Equal(0L, tc.Scalar<long>("SELECT count(*) FROM flows"));
        Assert.Equal(0L, tc.Scalar<long>("SELECT count(*) FROM evidence"));
    }

    [Fact]
    public void Evidence_is_opened_read_only_and_left_unchanged()
    {
        var path = tc.WriteGzip("AWSLogs/123456789010/vpcflowlogs/us-east-1/2023/11/14/123456789010_vpcflowlogs_us-east-1_fl-0123abcd_20231114T2210Z_abcdef12.log.gz", Header + "\n" + Records(0, 10));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead);
        var before = (Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), File.GetLastWriteTimeUtc(path));
        tc.Load();
        Assert.Equal(before, (Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), File.GetLastWriteTimeUtc(path)));
        Assert.Equal(before.Item1, tc.Scalar<string>("SELECT sha256 FROM evidence"));
    }

    [Fact]
    public void Loading_the_same_bytes_twice_adds_nothing()
    {
        tc.WriteGzip("a.log.gz", Header + "\n" + Records(0, 10));
        tc.WriteGzip("copy/a-again.log.gz", Header + "\n" + Records(0, 10));
        var first = tc.Load();
        Assert.Equal((1, 1, 10L), (first.Objects, first.Duplicates, first.Records));
        // A second object with the same bytes is in the manifest (it was collected) but adds no records.
        var copy = tc.Query("SELECT status, records, notes FROM evidence WHERE object = 'copy/a-again.log.gz'").Rows.Single();
        Assert.Equal<object?>(["duplicate", 0L, "same bytes (SHA-256) as a.log.gz"], copy);
        var second = tc.Load();
        Assert.Equal((0, 2, 0L), (second.Objects, second.Duplicates, second.Records));
        Assert.Equal(10L, tc.Scalar<long>("SELECT count(*) FROM flows"));
        Assert.Equal(2L, tc.Scalar<long>("SELECT count(*) FROM evidence"));
    }
}
