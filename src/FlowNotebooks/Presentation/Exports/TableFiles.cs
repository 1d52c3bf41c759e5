using System.Globalization;
using System.Text;
using System.Text.Json;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;
using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>A table (columns, DuckDB types, rows) written as CSV, JSON lines or Parquet: the same rows give the same bytes.</summary>
public static class TableFiles
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>CSV with a header (<see cref="Csv"/>).</summary>
    public static void Csv(QueryResult table, Stream output)
    {
        using var w = new StreamWriter(output, Utf8, leaveOpen: true);
        CsvText.Table(w, table.Columns, table.Rows);
    }

    /// <summary>One JSON object per row, keys in column order, values as the findings JSON writes them.</summary>
    public static void JsonLines(QueryResult table, Stream output)
    {
        foreach (var row in table.Rows)
        {
            using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = ExportJson.Encoder }))
            {
                w.WriteStartObject();
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    w.WritePropertyName(table.Columns[i]);
                    ProcedureResult.WriteValue(w, row[i]);
                }
                w.WriteEndObject();
            }
            output.WriteByte((byte)'\n');
        }
    }

    /// <summary>Parquet, one row group, gzip; columns typed from their values (whole numbers INT64, fractions DOUBLE,
    /// booleans, times as UTC timestamps in microseconds, everything else — lists included — as the CSV's text);
    /// <paramref name="metadata"/> goes into the file's key-value metadata.</summary>
    public static void Parquet(QueryResult table, Stream output, IReadOnlyDictionary<string, string> metadata)
    {
        var kinds = table.Columns.Select((_, i) => KindOf(table.Rows.Select(r => r[i]))).ToArray();
        var fields = table.Columns.Select((c, i) => kinds[i] switch
        {
            Kind.Long => (DataField)new DataField<long?>(c),
            Kind.Double => new DataField<double?>(c),
            Kind.Bool => new DataField<bool?>(c),
            Kind.Time => new DateTimeDataField(c, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
            _ => new DataField<string>(c),
        }).ToArray();
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), output, new ParquetOptions { CompressionMethod = CompressionMethod.Gzip })
            .GetAwaiter().GetResult();
        try
        {
            writer.CustomMetadata = metadata.ToDictionary();
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < fields.Length; i++)
            {
                var values = table.Rows.Select(r => r[i]);
                var field = fields[i];
                var written = kinds[i] switch
                {
                    Kind.Long => group.WriteAsync<long>(field, values.Select(v => v is null ? (long?)null : ToLong(v)).ToArray()),
                    Kind.Double => group.WriteAsync<double>(field, values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray()),
                    Kind.Bool => group.WriteAsync<bool>(field, values.Select(v => (bool?)v).ToArray()),
                    Kind.Time => group.WriteAsync<DateTime>(field, values.Select(v => v is DateTime t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : (DateTime?)null).ToArray()),
                    _ => group.WriteAsync(field, values.Select(v => v is null ? null : CsvText.Text(v)).ToArray()),
                };
                written.GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    enum Kind { None, Long, Double, Bool, Time, Text }

    // A column's kind from all its values: whole numbers that fit INT64 (HUGEINT sums included) are Long, any fraction
    // makes it Double, mixed or other values Text (exact, never a silent truncation).
    static Kind KindOf(IEnumerable<object?> values)
    {
        var kind = Kind.None;
        foreach (var v in values)
        {
            if (v is null) continue;
            var k = v switch
            {
                long or int or short or sbyte or byte or ushort or uint => Kind.Long,
                ulong u => u <= long.MaxValue ? Kind.Long : Kind.Text,
                System.Numerics.BigInteger b => b >= long.MinValue && b <= long.MaxValue ? Kind.Long : Kind.Text,
                Int128 i => i >= long.MinValue && i <= long.MaxValue ? Kind.Long : Kind.Text,
                UInt128 i => i <= long.MaxValue ? Kind.Long : Kind.Text,
                double or float or decimal => Kind.Double,
                bool => Kind.Bool,
                DateTime => Kind.Time,
                _ => Kind.Text,
            };
            kind = kind == Kind.None || kind == k ? k
                : (kind, k) is (Kind.Long, Kind.Double) or (Kind.Double, Kind.Long) ? Kind.Double
                : Kind.Text;
            if (kind == Kind.Text) break;
        }
        return kind;
    }

    static long ToLong(object v) => v switch
    {
        System.Numerics.BigInteger b => (long)b,
        Int128 i => (long)i,
        UInt128 i => (long)i,
        _ => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };
}
