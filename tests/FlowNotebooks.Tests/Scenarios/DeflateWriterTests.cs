using System.IO.Compression;
using System.Text;
using CsCheck;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Scenarios.Delivery.Deflate;
using FlowNotebooks.Sources.Compression;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>
/// The generator's own gzip writer (Scenarios/Delivery/Deflate): whatever text goes in, both the runtime's GZipStream
/// and the engine's CRC- and length-checking reader give it back byte for byte.
/// </summary>
public class DeflateWriterTests
{
    /// <summary>Compresses <paramref name="writes"/> as one gzip member with <paramref name="deflater"/> (a fresh one if null).</summary>
    static byte[] Gzip(IEnumerable<byte[]> writes, RecordDeflater? deflater = null)
    {
        using var output = new MemoryStream();
        var member = new GzipMember(output, deflater ?? new RecordDeflater());
        foreach (var w in writes) member.Write(w);
        member.Finish();
        return output.ToArray();
    }

    static byte[] Gzip(byte[] text, RecordDeflater? deflater = null) => Gzip([text], deflater);

    static void RoundTrips(byte[] text, byte[] gzip)
    {
        using (var runtime = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress))
        {
            var back = new MemoryStream();
            runtime.CopyTo(back);
            Assert.True(back.ToArray().AsSpan().SequenceEqual(text), "GZipStream read back different bytes");
        }
        using (var engine = new GzipEvidenceStream(new MemoryStream(gzip)))
        {
            var back = new MemoryStream();
            engine.CopyTo(back);
            Assert.True(back.ToArray().AsSpan().SequenceEqual(text), "GzipEvidenceStream read back different bytes");
        }
    }

    static void RoundTrips(byte[] text) => RoundTrips(text, Gzip(text));

    static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    static string FlowLine(Random r) =>
        $"2 123456789012 eni-0{r.Next(0, 4):x}5d00105d83b3900 10.20.{r.Next(0, 3)}.{r.Next(1, 40)} 10.20.10.{r.Next(1, 20)} {r.Next(1024, 65536)} {(r.Next(2) == 0 ? 443 : 80)} 6 {r.Next(1, 30)} {r.Next(40, 90000)} {1763341290 + r.Next(0, 600)} {1763341290 + r.Next(0, 600)} {(r.Next(10) == 0 ? "REJECT" : "ACCEPT")} OK\n";

    [Fact]
    public void An_empty_object_is_a_valid_gzip_of_nothing() => RoundTrips([]);

    [Fact]
    public void One_line_and_one_byte_round_trip()
    {
        RoundTrips(Ascii("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"));
        RoundTrips(Ascii("x"));
        RoundTrips(Ascii(" "));
    }

    [Fact]
    public void Lines_longer_than_the_longest_match_round_trip()
    {
        // 600-byte lines repeated: matches are cut at 258 bytes and continue with the next one.
        var line = string.Join(' ', Enumerable.Range(0, 120).Select(i => (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ab")) + "\n";
        RoundTrips(Ascii(string.Concat(Enumerable.Repeat(line, 50))));
        RoundTrips(Ascii(new string('a', 100_000)));
        RoundTrips(Ascii(string.Concat(Enumerable.Repeat("a ", 50_000))));
    }

    [Theory]
    [InlineData(32_768)]
    [InlineData(32_769)]
    [InlineData(32_767)]
    [InlineData(32_700)]
    public void A_repeat_at_the_edge_of_the_window_round_trips(int distance)
    {
        var r = new Random(distance);
        var first = Ascii("2 123456789012 eni-0b5d00105d83b3900 10.20.0.10 ACCEPT OK\n");
        // Filler with no spaces and no repeats of the line: the second copy can only match the first, 'distance' back.
        var filler = new byte[distance - first.Length];
        for (var i = 0; i < filler.Length; i++) filler[i] = (byte)r.Next('A', 'Z' + 1);
        filler[^1] = (byte)'\n';
        RoundTrips([.. first, .. filler, .. first, .. first]);
    }

    [Fact]
    public void Field_values_that_differ_in_every_position_round_trip()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            var d = (char)('0' + i % 10);
            sb.Append(new string(d, 5)).Append(' ').Append(new string((char)('a' + i % 26), 9)).Append(' ').Append(new string(d, 12)).Append('\n');
        }
        RoundTrips(Ascii(sb.ToString()));
    }

    [Fact]
    public void Any_byte_values_round_trip_including_a_non_ascii_header_line()
    {
        var header = Encoding.UTF8.GetBytes("version compte-id intérface-id naïve ü \u00ff\n");
        var all = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var random = new byte[300_000];
        new Random(7).NextBytes(random);
        RoundTrips([.. header, .. all, .. all, .. random, .. header]);
    }

    [Fact]
    public void Text_written_in_odd_pieces_over_many_blocks_round_trips()
    {
        var r = new Random(3);
        var text = Ascii(string.Concat(Enumerable.Range(0, 40_000).Select(_ => FlowLine(r))));
        var pieces = new List<byte[]>();
        for (var at = 0; at < text.Length;)
        {
            var n = Math.Min(text.Length - at, r.Next(1, 90_000));
            pieces.Add(text[at..(at + n)]);
            at += n;
        }
        Assert.True(text.Length > 4 * RecordDeflater.BlockBytes);
        RoundTrips(text, Gzip(pieces));
    }

    [Fact]
    public void One_deflater_serves_many_objects_and_equal_history_gives_equal_bytes()
    {
        var r = new Random(11);
        var objects = Enumerable.Range(0, 60).Select(i => Ascii(string.Concat(Enumerable.Range(0, r.Next(0, i % 5 == 0 ? 4000 : 300)).Select(_ => FlowLine(r))))).ToList();
        var first = new RecordDeflater();
        var again = new RecordDeflater();
        foreach (var text in objects)
        {
            var gzip = Gzip(text, first);
            RoundTrips(text, gzip);
            Assert.Equal(gzip, Gzip(text, again));
        }
    }

    [Fact]
    public void Stream_positions_lowered_past_a_gigabyte_still_find_only_real_matches()
    {
        // Each object moves the stream position a window further; 33,000 empty ones pass the rebase point (2^30).
        var deflater = new RecordDeflater();
        var r = new Random(5);
        var text = Ascii(string.Concat(Enumerable.Range(0, 2000).Select(_ => FlowLine(r))));
        RoundTrips(text, Gzip(text, deflater));
        for (var i = 0; i < 33_000; i++) Gzip(Array.Empty<byte>(), deflater);
        RoundTrips(text, Gzip(text, deflater));
        RoundTrips(text, Gzip(text, deflater));
    }

    static readonly Gen<string> Field = Gen.OneOf(
        Gen.OneOf("2", "-", "ACCEPT", "REJECT", "OK", "NODATA", "eni-0b5d00105d83b3900", "123456789012", "10.20.0.10", "ü", "\t"),
        Gen.Int[0, 70000].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long[1_763_000_000, 1_763_999_999].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.String[0, 300]);

    static readonly Gen<string> Lines = Field.Array[0, 30].Select(f => string.Join(' ', f)).Array[0, 400].Select(lines => string.Concat(lines.Select(l => l + "\n")));

    [Fact]
    public void Random_line_sets_round_trip() =>
        Lines.Sample(text => RoundTrips(Encoding.UTF8.GetBytes(text)), iter: 300);

    [Fact]
    public void Generated_s3_text_objects_read_back_the_same_with_both_readers_and_start_with_the_header()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"flownb-deflate-{Guid.NewGuid():N}");
        try
        {
            CaseGenerator.Generate(ScenarioCatalog.Default, new ScenarioOptions(ScenarioOptions.DefaultSeed, "30000", CaseFormats.Text), folder);
            var files = Directory.EnumerateFiles(folder, "*.log.gz", SearchOption.AllDirectories).ToList();
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                var gzip = File.ReadAllBytes(file);
                var text = new MemoryStream();
                using (var runtime = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress)) runtime.CopyTo(text);
                var bytes = text.ToArray();
                Assert.StartsWith("version ", Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 20)));
                Assert.Equal((byte)'\n', bytes[^1]);
                RoundTrips(bytes, gzip);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
