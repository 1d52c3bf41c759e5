using System.Globalization;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources;
using FlowNotebooks.Tests.TestSupport;
using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Tests.Sources;

/// <summary>
/// The Parquet reader writes AWS's column types straight into record lines; what it writes must be what the per-value
/// rule (<see cref="ParquetValue.TryToken"/>: each value judged on its own, reasons worded) makes of the same values.
/// </summary>
public sealed class ParquetTokensTests
{
    static readonly int?[] Ints = [null, 0, 1, -1, 443, 65535, int.MinValue, int.MaxValue];
    static readonly long?[] Longs = [null, 0, 7, -7, 1_700_000_000, (long)int.MaxValue + 1, (long)int.MinValue - 1, long.MaxValue, long.MinValue];
    static readonly string?[] Texts =
        [null, "", "-", "None", "10.0.0.1", "2001:db8::1", "010.0.0.1", "1.2.3", "10.0.0.256", "ACCEPT", "a b", "tab\there", "line\nbreak",
         "007", "+5", "-12", "1700000000", "12.0", "über", "eni-0abc", "99999999999"];

    [Fact]
    public void Every_column_type_AWS_writes_becomes_the_token_the_per_value_rule_makes_of_it()
    {
        // Every field kind from every column type AWS uses, including the ones a kind refuses (a number as an address, a
        // negative time, a port beyond 32 bits, text with white space, numbers as text), on 4,000 random rows.
        (string Name, Type Type)[] columns =
        [
            ("version", typeof(int)), ("account_id", typeof(long)), ("interface_id", typeof(string)), ("srcaddr", typeof(string)),
            ("dstaddr", typeof(string)), ("srcport", typeof(int)), ("dstport", typeof(string)), ("protocol", typeof(long)),
            ("packets", typeof(long)), ("bytes", typeof(int)), ("start", typeof(long)), ("end", typeof(int)),
            ("action", typeof(string)), ("log_status", typeof(string)), ("vpc_id", typeof(int)), ("tcp_flags", typeof(long)), ("pkt_dstaddr", typeof(int)),
        ];
        var random = new Random(20261207);
        const int Rows = 4_000;
        // Rows mostly valid (so lines, not only rejects, are compared): one value in 40 from the edge sets; the address
        // held as a number mostly null (a number is never an address).
        Array Column((string Name, Type Type) c) => c.Type == typeof(int) && c.Name.EndsWith("addr", StringComparison.Ordinal)
            ? Enumerable.Range(0, Rows).Select(_ => random.Next(100) == 0 ? 167772161 : (int?)null).ToArray()
            : c.Type == typeof(int)
            ? Enumerable.Range(0, Rows).Select(_ => random.Next(40) == 0 ? Ints[random.Next(Ints.Length)] : random.Next(0, 70_000)).ToArray()
            : c.Type == typeof(long)
                ? Enumerable.Range(0, Rows).Select(_ => random.Next(40) == 0 ? Longs[random.Next(Longs.Length)] : random.NextInt64(0, 2_000_000_000)).ToArray()
                : Enumerable.Range(0, Rows).Select(_ => random.Next(40) == 0 ? Texts[random.Next(Texts.Length)]
                    : c.Name.EndsWith("addr", StringComparison.Ordinal) ? $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}"
                    : random.Next(100_000).ToString(CultureInfo.InvariantCulture)).ToArray();
        var values = columns.Select(Column).ToArray();
        var fields = columns.Select(c => c.Type == typeof(int) ? (DataField)new DataField<int?>(c.Name)
            : c.Type == typeof(long) ? new DataField<long?>(c.Name) : new DataField<string>(c.Name)).ToArray();

        var sink = new RecordCollector();
        ParquetFlowReader.ReadSeekable(Write(fields, values), sink);

        // Expected from the per-value rule, row by row: every value's token ('-' for none), or the first refusal's reason.
        var catalogued = columns.Select(c => FieldCatalog.Resolve(c.Name is "start" or "end" ? c.Name : c.Name.Replace('_', '-'))).ToArray();
        var expectedLines = new List<(long, string)>();
        var expectedRejects = new List<(long, string)>();
        for (var r = 0; r < Rows; r++)
        {
            var tokens = new List<string>();
            string? reason = null;
            for (var c = 0; c < columns.Length && reason is null; c++)
            {
                var type = ParquetValue.TypeName(columns[c].Type);
                if (ParquetValue.TryToken(values[c].GetValue(r), catalogued[c], type, out var token, out reason)) tokens.Add(token ?? "-");
            }
            if (reason is null) expectedLines.Add((r + 1, string.Join(' ', tokens)));
            else expectedRejects.Add((r + 1, reason));
        }
        Assert.True(expectedLines.Count > 100 && expectedRejects.Count > 100, $"{expectedLines.Count} lines, {expectedRejects.Count} rejects");
        Assert.Equal(expectedLines, sink.Lines);
        // The reader's own rejects (the collector's parser may refuse a line the reader handed on, e.g. a port above 65535).
        Assert.Equal(expectedRejects, sink.Rejects.Where(j => !sink.Lines.Any(l => l.Line == j.Line)).Select(j => (j.Line, j.Reason)));
    }

    [Fact]
    public void A_line_longer_than_the_reader_first_makes_room_for_is_written_whole()
    {
        // A token of 300 bytes, first and last in its line: the line grows past the room the reader starts with.
        var longText = new string('x', 300);
        DataField[] fields = [new DataField<string>("interface_id"), new DataField<string>("action"), new DataField<int?>("srcport")];
        var sink = new RecordCollector();
        ParquetFlowReader.ReadSeekable(Write(fields, [new[] { longText, "a" }, new[] { "ACCEPT", longText }, new int?[] { 1, null }]), sink);
        Assert.Equal([(1L, $"{longText} ACCEPT 1"), (2L, $"a {longText} -")], sink.Lines);
    }

    static MemoryStream Write(DataField[] fields, Array[] values)
    {
        var file = new MemoryStream();
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), file).GetAwaiter().GetResult();
        try
        {
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < fields.Length; i++)
            {
                var task = values[i] switch
                {
                    int?[] a => group.WriteAsync<int>(fields[i], new ReadOnlyMemory<int?>(a)),
                    long?[] a => group.WriteAsync<long>(fields[i], new ReadOnlyMemory<long?>(a)),
                    string?[] a => group.WriteAsync(fields[i], a!),
                    _ => throw new ArgumentException("unexpected column data"),
                };
                task.GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return new MemoryStream(file.ToArray());
    }
}
