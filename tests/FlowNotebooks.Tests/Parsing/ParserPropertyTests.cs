using System.Text;
using CsCheck;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Parsing;

/// <summary>Seeded random inputs: the parser never crashes or hangs, and what it accepts it reads back exactly.</summary>
public class ParserPropertyTests
{
    static readonly Gen<byte[]> FlowishBytes =
        Gen.OneOf(
            Gen.Byte.Array[0, 400],
            Gen.OneOf("2", "-", "eni-0a", "10.0.0.1", "2001:db8::1", "ACCEPT", "NODATA", "99999999999999999999", " ", "  ", "\t", "\r", "\xff", "ü", "1.2.3", ":::", "-1")
                .Array[0, 30].Select(parts => Encoding.UTF8.GetBytes(string.Join(" ", parts))));

    [Fact]
    public void Arbitrary_bytes_are_either_a_record_or_a_reason_never_an_exception()
    {
        // CsCheck samples on several threads; a parser and its batch belong to one thread.
        FlowishBytes.Sample(bytes =>
        {
            var parser = new FlowRecordParser();
            var batch = new ColumnBatch(FlowLogFormat.Default, capacity: 16);
            var before = batch.Count;
            var ok = parser.TryAppend(bytes, batch, out var error);
            Assert.Equal(before, batch.Count);
            Assert.Equal(ok, error is null);
        }, iter: 20_000);
    }

    static readonly Gen<(int SrcPort, uint Src, long Bytes, long Start, string Action, string Sep)> Records =
        Gen.Select(Gen.Int[0, 65535], Gen.UInt, Gen.Long[0, long.MaxValue / 2], Gen.Long[0, 4_000_000_000_000], Gen.OneOf("ACCEPT", "REJECT"), Gen.OneOf(" ", "  ", "\t", " \t "));

    [Fact]
    public void Valid_records_with_any_spacing_read_back_exactly()
    {
        Records.Sample(r =>
        {
            var parser = new FlowRecordParser();
            var batch = new ColumnBatch(FlowLogFormat.Default, capacity: 1);
            var ip = IpAddressCodec.FormatIPv4(r.Src);
            var line = string.Join(r.Sep, "2", "123456789012", "eni-0abc", ip, "10.0.0.1", r.SrcPort.ToString(), "443", "6", "1", r.Bytes.ToString(), r.Start.ToString(), r.Start.ToString(), r.Action, "OK");
            Assert.True(parser.TryAppend(Encoding.ASCII.GetBytes(line), batch, out var error), error);
            var cols = batch.FieldColumns;
            Assert.Equal(ip, parser.Dictionary.Text(((AddressColumn)cols[3]).TextCodes[0]));
            Assert.Equal(r.SrcPort, ((Int32Column)cols[5])[0]);
            Assert.Equal(r.Bytes, ((Int64Column)cols[9])[0]);
            // Times above 2^31-1 are milliseconds.
            Assert.Equal(r.Start > int.MaxValue ? r.Start * 1000 : r.Start * 1_000_000, ((TimeColumn)cols[10])[0]);
            Assert.Equal(r.Action, parser.Dictionary.Text(((TextColumn)cols[12]).Codes[0]));
        }, iter: 5_000);
    }

    [Fact]
    public void Line_reader_returns_every_line_whatever_the_chunking()
    {
        Gen.Select(Gen.OneOf("a", "bb", "\n", "\r\n", "", "x y", new string('z', 300)).Array[0, 60], Gen.Int[1, 64]).Sample(t =>
        {
            var text = string.Concat(t.Item1);
            var reader = new LineReader(new ChunkedStream(Encoding.ASCII.GetBytes(text), t.Item2), maxLineBytes: 1 << 16);
            var lines = new List<string>();
            while (reader.TryReadLine(out var line, out var tooLong))
            {
                Assert.Equal(0, tooLong);
                lines.Add(Encoding.ASCII.GetString(line));
            }
            var expected = text.Replace("\r\n", "\n").Split('\n').ToList();
            if (expected[^1].Length == 0) expected.RemoveAt(expected.Count - 1);
            Assert.Equal(expected, lines);
        }, iter: 3_000);
    }

    [Fact]
    public void Garbage_objects_never_stop_a_load_and_each_is_in_the_manifest()
    {
        using var tc = new TempCase();
        var rnd = new Random(20261128);
        for (var i = 0; i < 40; i++)
        {
            var body = new byte[rnd.Next(0, 5000)];
            rnd.NextBytes(body);
            if (i % 3 == 0) body = TempCase.Gzip(body)[..Math.Max(0, body.Length / 2)];
            if (i % 3 == 1) body = [0x1f, 0x8b, .. body];
            tc.Write($"junk-{i:D2}.log.gz", body);
        }
        tc.Write("good.log", "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 1700000000 1700000060 ACCEPT OK\n");
        var s = tc.Load();
        Assert.Equal(41L, tc.Scalar<long>("SELECT count(*) FROM evidence"));
        Assert.Equal(1L, tc.Scalar<long>("SELECT records FROM evidence WHERE object = 'good.log'"));
        Assert.True(s.Rejects >= 40);
        var odd = tc.Query("SELECT object, status, rejected, records FROM evidence WHERE status NOT IN ('complete', 'truncated', 'unreadable', 'empty', 'malformed') OR (status <> 'complete' AND rejected = 0)").Rows;
        Assert.True(odd.Count == 0, string.Join("; ", odd.Select(r => string.Join(",", r))));
    }

    sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}

public class TextDictionaryTests
{
    [Fact]
    public void Codes_are_stable_distinct_and_survive_growth()
    {
        var d = new TextDictionary();
        var texts = Enumerable.Range(0, 50_000).Select(i => $"eni-{i:x17}").ToList();
        var codes = texts.Select(t => d.Code(Encoding.UTF8.GetBytes(t))).ToList();
        Assert.Equal(Enumerable.Range(1, 50_000), codes);
        Assert.Equal(codes, texts.Select(t => d.Code(Encoding.UTF8.GetBytes(t))));
        Assert.Equal("eni-0000000000000abcd", d.Text(0xabcd + 1));
        Assert.Equal(50_000, d.TakeNew().Count());
        Assert.Empty(d.TakeNew());
        Assert.Equal(50_001, d.Code("ü-nicode"u8));
        Assert.Equal((50_001, "ü-nicode"), d.TakeNew().Single());
    }
}
