using System.Runtime.InteropServices;
using Utf8Text = System.Text.Encoding;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources;
using FlowNotebooks.Tests.TestSupport;
using ParquetSharp;
using ParquetSharp.IO;

namespace FlowNotebooks.Tests.Sources;

/// <summary>
/// AWS's column types are read by Apache Parquet's own reader (<see cref="NativeParquetColumns"/>), text as its UTF-8
/// bytes. Objects written by another writer than the managed one (dictionary pages, several row groups, bytes that are not
/// UTF-8) must read as the per-value rule reads the values the managed reader would hand it.
/// </summary>
public sealed class NativeParquetColumnsTests
{
    [Fact]
    public void Dictionary_pages_row_groups_nulls_and_bytes_that_are_not_utf8_read_as_the_per_value_rule_reads_them()
    {
        var random = new Random(20261208);
        byte[]?[] texts =
        [
            null, [], "-"u8.ToArray(), "ACCEPT"u8.ToArray(), "REJECT"u8.ToArray(), "a b"u8.ToArray(), [0x41, 0xFF, 0x42],
            [0xC3, 0x28], "über"u8.ToArray(), "eni-0abc"u8.ToArray(),
        ];
        byte[]?[] addresses = [null, "10.0.0.1"u8.ToArray(), "2001:db8::1"u8.ToArray(), "10.0.0.256"u8.ToArray(), [0x31, 0x30, 0xFF], "-"u8.ToArray()];
        int[] groupRows = [3_000, 2_000];
        var total = groupRows.Sum();
        // Few distinct values per column, so the writer stores them as dictionary pages, as Parquet writers do by default.
        var action = Enumerable.Range(0, total).Select(_ => texts[random.Next(texts.Length)]).ToArray();
        var srcaddr = Enumerable.Range(0, total).Select(_ => random.Next(4) == 0 ? addresses[random.Next(addresses.Length)] : Utf8Text.UTF8.GetBytes($"10.0.{random.Next(4)}.{random.Next(8)}")).ToArray();
        var srcport = Enumerable.Range(0, total).Select(_ => random.Next(10) == 0 ? (int?)null : random.Next(0, 70_000)).ToArray();
        var bytes = Enumerable.Range(0, total).Select(_ => random.Next(10) == 0 ? (long?)null : random.Next(3) == 0 ? -random.NextInt64(1, 100) : random.NextInt64(0, 1L << 40)).ToArray();

        var file = Write(groupRows, action, srcaddr, srcport, bytes, out var dictionaryEncoded);
        Assert.True(dictionaryEncoded, "the writer stored no dictionary page: the test would not cover them");
        var sink = new RecordCollector();
        ParquetFlowReader.ReadSeekable(file, sink);

        // Expected: what the per-value rule makes of each value as the managed reader hands it (text decoded from UTF-8,
        // an invalid byte as U+FFFD).
        string[] names = ["action", "srcaddr", "srcport", "bytes"];
        string[] types = [ParquetValue.TypeName(typeof(string)), ParquetValue.TypeName(typeof(string)), ParquetValue.TypeName(typeof(int)), ParquetValue.TypeName(typeof(long))];
        var fields = names.Select(FieldCatalog.Resolve).ToArray();
        var expectedLines = new List<(long, string)>();
        var expectedRejects = new List<(long, string)>();
        for (var r = 0; r < total; r++)
        {
            object?[] values = [Text(action[r]), Text(srcaddr[r]), srcport[r], bytes[r]];
            var tokens = new List<string>();
            string? reason = null;
            for (var c = 0; c < values.Length && reason is null; c++)
                if (ParquetValue.TryToken(values[c], fields[c], types[c], out var token, out reason)) tokens.Add(token ?? "-");
            if (reason is null) expectedLines.Add((r + 1, string.Join(' ', tokens)));
            else expectedRejects.Add((r + 1, reason));
        }
        Assert.True(expectedLines.Count > 500 && expectedRejects.Count > 500, $"{expectedLines.Count} lines, {expectedRejects.Count} rejects");
        Assert.Contains(expectedLines, l => l.Item2.Contains('\uFFFD'));
        Assert.Equal(expectedLines, sink.Lines);
        // The lines are UTF-8 (the store takes nothing else): a byte that is not went through the per-value rule as U+FFFD.
        Assert.All(sink.LineBytes, b => Assert.True(System.Text.Unicode.Utf8.IsValid(b)));
        Assert.Equal(expectedRejects, sink.Rejects.Where(j => !sink.Lines.Any(l => l.Line == j.Line)).Select(j => (j.Line, j.Reason)));
    }

    static string? Text(byte[]? value) => value is null ? null : Utf8Text.UTF8.GetString(value);

    static MemoryStream Write(int[] groupRows, byte[]?[] action, byte[]?[] srcaddr, int?[] srcport, long?[] bytes, out bool dictionaryEncoded)
    {
        var stream = new MemoryStream();
        Column[] columns = [new Column<string>("action"), new Column<string>("srcaddr"), new Column<int?>("srcport"), new Column<long?>("bytes")];
        using (var output = new ManagedOutputStream(stream, leaveOpen: true))
        using (var writer = new ParquetFileWriter(output, columns))
        {
            var start = 0;
            foreach (var rows in groupRows)
            {
                using var group = writer.AppendRowGroup();
                WriteBytes(group, action.AsSpan(start, rows));
                WriteBytes(group, srcaddr.AsSpan(start, rows));
                using (var w = group.NextColumn().LogicalWriter<int?>()) w.WriteBatch(srcport.AsSpan(start, rows));
                using (var w = group.NextColumn().LogicalWriter<long?>()) w.WriteBatch(bytes.AsSpan(start, rows));
                start += rows;
            }
            writer.Close();
        }
        stream.Position = 0;
        using (var input = new ManagedRandomAccessFile(stream, leaveOpen: true))
        using (var reader = new ParquetFileReader(input))
        using (var group = reader.RowGroup(0))
            dictionaryEncoded = group.MetaData.GetColumnChunkMetaData(0).Encodings.Contains(ParquetSharp.Encoding.RleDictionary)
                                || group.MetaData.GetColumnChunkMetaData(0).Encodings.Contains(ParquetSharp.Encoding.PlainDictionary);
        stream.Position = 0;
        return new MemoryStream(stream.ToArray());
    }

    // A text column's raw bytes (the logical writer would take only valid strings), NULL as definition level 0.
    static void WriteBytes(RowGroupWriter group, ReadOnlySpan<byte[]?> values)
    {
        using var column = (ColumnWriter<ByteArray>)group.NextColumn();
        var levels = new short[values.Length];
        var present = new List<ByteArray>();
        var pins = new List<GCHandle>();
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is not { } v) continue;
                levels[i] = 1;
                var pin = GCHandle.Alloc(v, GCHandleType.Pinned);
                pins.Add(pin);
                present.Add(new ByteArray(pin.AddrOfPinnedObject(), v.Length));
            }
            column.WriteBatch(values.Length, levels, default, present.ToArray());
        }
        finally
        {
            foreach (var pin in pins) pin.Free();
        }
    }
}
