using System.Globalization;
using System.Text;
using System.Text.Json;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Compression;
using FlowNotebooks.Tests.TestSupport;
using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Tests.Sources;

/// <summary>
/// Each reader on its own, with no case store: it hands its records and rejects to a collector that parses them with
/// the engine's parser, and every value is checked field by field against the sample text it came from.
/// </summary>
public sealed class ReadersWithoutStoreTests
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    static readonly string[] Sample =
    [
        "2 123456789010 eni-0aaa1111bbbb22223 10.0.1.5 203.0.113.5 49152 443 6 12 3400 1700000000 1700000060 ACCEPT OK",
        "2 123456789010 eni-0aaa1111bbbb22223 2001:db8::1 2001:db8::2 443 49152 17 10 98000 1700000005 1700000065 REJECT OK",
        "2 123456789010 eni-0aaa1111bbbb22223 - - - - - - - 1700000100 1700000160 - NODATA",
    ];

    /// <summary>Each collected value equals its token in the sample line: text as is, numbers parsed, times in Unix seconds, '-' null.</summary>
    static void AssertFieldByField(string sampleLine, CollectedRecord record, FlowLogFormat format)
    {
        var tokens = sampleLine.Split(' ');
        Assert.Equal(format.Fields.Count, tokens.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            var field = format.Fields[i];
            var value = record[field.Name];
            if (tokens[i] == "-")
            {
                Assert.Null(value);
                continue;
            }
            object expected = field.Kind switch
            {
                FieldKind.Int32 => int.Parse(tokens[i], CultureInfo.InvariantCulture),
                FieldKind.Int64 => long.Parse(tokens[i], CultureInfo.InvariantCulture),
                FieldKind.EpochTime => DateTime.UnixEpoch.AddSeconds(long.Parse(tokens[i], CultureInfo.InvariantCulture)),
                _ => tokens[i],
            };
            Assert.True(Equals(expected, value), $"field {field.Name}: expected {expected}, read {value ?? "null"}");
        }
    }

    [Fact]
    public void Text_gzip_reader_hands_on_every_record_with_its_line_and_rejects_the_bad_line()
    {
        var text = Header + "\n" + Sample[0] + "\n\n" + Sample[1] + "\n" + "2 123456789010 eni-0aaa1111bbbb22223 10.0.1.5 not-an-address 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\n" + Sample[2] + "\n";
        var sink = new RecordCollector();
        using (var gz = new GzipEvidenceStream(new MemoryStream(TempCase.Gzip(Encoding.ASCII.GetBytes(text)))))
            TextFlowReader.Read(gz, sink, FlowLogFormat.Default);

        Assert.Equal(("complete", 1L, 1L), (sink.Status, sink.HeaderLines, sink.BlankLines));
        Assert.Equal([2L, 4L, 6L], sink.Rows.Select(r => r.Line));
        var format = FlowLogFormat.Parse(Header);
        AssertFieldByField(Sample[0], sink.Rows[0], format);
        AssertFieldByField(Sample[1], sink.Rows[1], format);
        AssertFieldByField(Sample[2], sink.Rows[2], format);
        var reject = Assert.Single(sink.Rejects);
        Assert.Equal(5L, reject.Line);
        Assert.Equal("field 5 'dstaddr': 'not-an-address' is not an IPv4 or IPv6 address", reject.Reason);
        Assert.Contains("not-an-address", reject.Raw);
    }

    [Fact]
    public void CloudWatch_json_reader_names_the_interface_from_the_stream_and_numbers_events()
    {
        var format = FlowLogFormat.Parse("version srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status");
        static string Message(string sample) => string.Join(' ', sample.Split(' ').Where((_, i) => i is not (1 or 2)));
        var events = Sample.Select((s, i) => new { logStreamName = "eni-0ccc3333dddd44445-all", timestamp = 1700000000000L + i, message = Message(s), ingestionTime = 1700000300000L, eventId = $"{i}" });
        var json = JsonSerializer.Serialize(new { events, searchedLogStreams = Array.Empty<object>() });
        var sink = new RecordCollector();
        CloudWatchJsonReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), sink, new FormatResolver(null, format), "vpc-flows", null);

        Assert.Equal(3, sink.Rows.Count);
        Assert.Empty(sink.Rejects);
        for (var i = 0; i < Sample.Length; i++)
        {
            Assert.Equal(i + 1L, sink.Rows[i].Line);
            Assert.Equal("eni-0ccc3333dddd44445", sink.Rows[i].StreamInterface);
            AssertFieldByField(Message(Sample[i]), sink.Rows[i], format);
        }
    }

    [Fact]
    public void CloudWatch_json_reader_reads_escaped_messages_and_streams_that_alternate()
    {
        var format = FlowLogFormat.Parse("version srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status");
        static string Message(string sample) => string.Join(' ', sample.Split(' ').Where((_, i) => i is not (1 or 2)));
        // The second event's message is written with JSON escapes (its spaces as \u0020, a trailing \n, as a producer may).
        var escaped = Message(Sample[1]).Replace(" ", "\\u0020") + "\\n";
        string[] streams = ["eni-0aaa", "eni-0bbb", "eni-0aaa"];
        var json = "{\"events\": ["
            + string.Join(",", streams.Select((stream, i) =>
                $"{{\"logStreamName\": \"{stream}\", \"timestamp\": {1700000000000L + i}, \"message\": \"{(i == 1 ? escaped : Message(Sample[i]))}\"}}"))
            + "]}";
        Assert.Contains("\\u0020", json);
        var sink = new RecordCollector();
        CloudWatchJsonReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), sink, new FormatResolver(null, format), "vpc-flows", null);

        Assert.Empty(sink.Rejects);
        Assert.Equal(streams, sink.Rows.Select(r => r.StreamInterface));
        for (var i = 0; i < Sample.Length; i++) AssertFieldByField(Message(Sample[i]), sink.Rows[i], format);
    }

    [Fact]
    public void Parquet_reader_reads_aws_typed_columns_without_a_database()
    {
        var format = FlowLogFormat.Parse(Header);
        var columns = format.Fields.Select(f => f.Kind switch
        {
            FieldKind.Int32 => (DataField)new DataField<int?>(f.Name.Replace('-', '_')),
            FieldKind.Int64 or FieldKind.EpochTime => new DataField<long?>(f.Name.Replace('-', '_')),
            _ => new DataField<string>(f.Name.Replace('-', '_')),
        }).ToArray();
        var rows = Sample.Select(s => s.Split(' ')).ToArray();
        var file = WriteParquet(columns, (field, i) => field switch
        {
            DataField<int?> => rows.Select(r => r[i] == "-" ? (int?)null : int.Parse(r[i], CultureInfo.InvariantCulture)).ToArray(),
            DataField<long?> => rows.Select(r => r[i] == "-" ? (long?)null : long.Parse(r[i], CultureInfo.InvariantCulture)).ToArray(),
            _ => (Array)rows.Select(r => r[i]).ToArray(),
        });

        var sink = new RecordCollector();
        ParquetFlowReader.ReadSeekable(file, sink);

        Assert.Empty(sink.Rejects);
        Assert.Equal([1L, 2L, 3L], sink.Rows.Select(r => r.Line));
        for (var i = 0; i < Sample.Length; i++) AssertFieldByField(Sample[i], sink.Rows[i], format);
    }

    [Fact]
    public void Parquet_reader_judges_text_typed_numbers_value_by_value()
    {
        // Not AWS's types: numbers as text ('-' for none, 'None' from a Python export), the account id as an integer.
        DataField[] columns = [new DataField<long?>("account_id"), new DataField<string>("srcaddr"), new DataField<string>("dstport"), new DataField<string>("bytes"), new DataField<string>("start")];
        var file = WriteParquet(columns, (field, i) => i switch
        {
            0 => new long?[] { 123456789010, 123456789010, 123456789010 },
            1 => new[] { "10.0.0.1", "10.0.0.2", "None" },
            2 => new[] { "443", "None", "80" },
            3 => new[] { "-", "7", "8" },
            _ => new[] { "1700000000", "1700000000", "-" },
        });

        var sink = new RecordCollector();
        ParquetFlowReader.ReadSeekable(file, sink);

        var good = Assert.Single(sink.Rows);
        Assert.Equal(1L, good.Line);
        Assert.Equal<object?>(["123456789010", "10.0.0.1", 443, null, new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc)],
            [good["account-id"], good["srcaddr"], good["dstport"], good["bytes"], good["start"]]);
        Assert.Equal([2L, 3L], sink.Rejects.Select(r => r.Line));
        Assert.Equal("field 'dstport' (Parquet VARCHAR): 'None' is not a 32-bit integer", sink.Rejects[0].Reason);
        Assert.Equal("field 'srcaddr' (Parquet VARCHAR): 'None' is not an IPv4 or IPv6 address", sink.Rejects[1].Reason);
        Assert.Equal("""{"account_id":123456789010,"srcaddr":"10.0.0.2","dstport":"None","bytes":"7","start":"1700000000"}""", sink.Rejects[0].Raw);
    }

    [Fact]
    public void Parquet_reader_takes_timestamps_and_whole_doubles_and_never_rounds()
    {
        DataField[] columns = [new DataField<DateTime?>("start"), new DataField<double?>("bytes")];
        var at = new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc);
        var file = WriteParquet(columns, (_, i) => i == 0
            ? new DateTime?[] { at, at.AddMilliseconds(1500), at }
            : new double?[] { 8.0, 9.0, 7.5 });

        var sink = new RecordCollector();
        ParquetFlowReader.ReadSeekable(file, sink);

        Assert.Equal<object?>([at, 8L], [sink.Rows[0]["start"], sink.Rows[0]["bytes"]]);
        Assert.Equal<object?>([at.AddMilliseconds(1500), 9L], [sink.Rows[1]["start"], sink.Rows[1]["bytes"]]);
        var reject = Assert.Single(sink.Rejects);
        Assert.Equal((3L, "field 'bytes' (Parquet DOUBLE): '7.5' is not a 64-bit integer"), (reject.Line, reject.Reason));
    }

    [Fact]
    public void Parquet_reader_refuses_a_file_it_cannot_decode_with_the_reason()
    {
        var sink = new RecordCollector();
        var ex = Assert.Throws<InvalidDataException>(() => ParquetFlowReader.ReadSeekable(new MemoryStream("PAR1 this is not parquet PAR1"u8.ToArray()), sink));
        Assert.Contains("not a readable Parquet file", ex.Message);
        Assert.Empty(sink.Rows);
    }

    static MemoryStream WriteParquet(DataField[] columns, Func<DataField, int, Array> values)
    {
        var file = new MemoryStream();
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(columns), file).GetAwaiter().GetResult();
        try
        {
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < columns.Length; i++)
            {
                var field = columns[i];
                var task = values(field, i) switch
                {
                    int?[] a => group.WriteAsync<int>(field, new ReadOnlyMemory<int?>(a)),
                    long?[] a => group.WriteAsync<long>(field, new ReadOnlyMemory<long?>(a)),
                    string[] a => group.WriteAsync(field, a),
                    DateTime?[] a => group.WriteAsync<DateTime>(field, new ReadOnlyMemory<DateTime?>(a)),
                    double?[] a => group.WriteAsync<double>(field, new ReadOnlyMemory<double?>(a)),
                    _ => throw new ArgumentException("unexpected column data"),
                };
                task.GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        // ToArray works on a closed MemoryStream too (the writer may close what it wrote to).
        return new MemoryStream(file.ToArray());
    }
}
