using FlowNotebooks.Formats;
using FlowNotebooks.Scenarios.Traffic;
using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// S3 Parquet delivery (<c>.log.parquet</c>): column names are the field names with <c>-</c> → <c>_</c>, types per the
/// AWS field table (INT_32 ports/protocol/flags/path/version, INT_64 packets/bytes/start/end, strings otherwise),
/// gzip-compressed. Rows are written in row groups so memory stays bounded however busy the hour is.
/// </summary>
internal sealed class ParquetObjectWriter : CaptureWriter
{
    const int RowGroupRows = 50_000;

    readonly DataField[] schemaFields;
    readonly ParquetSchema schema;
    readonly bool[] isLong;
    readonly object?[][] columns;
    ParquetWriter? writer;
    FileStream? file;
    long openStamp = -1;
    int rows;

    public ParquetObjectWriter(Capture capture, RecordFields fields, string root, int seed) : base(capture, fields, root, seed)
    {
        // Records reach an hour in any order, so one object per hour is the only order-free cut.
        if (capture.ObjectMinutes != 60) throw new ArgumentException("Parquet captures write one object per hour.", nameof(capture));
        var format = fields.Format.Fields;
        schemaFields = new DataField[format.Count];
        isLong = new bool[format.Count];
        for (var i = 0; i < format.Count; i++)
        {
            var name = format[i].Name.Replace('-', '_');
            var kind = format[i].Kind;
            isLong[i] = kind is FieldKind.Int64 or FieldKind.EpochTime;
            schemaFields[i] = kind switch
            {
                FieldKind.Int32 => new DataField<int?>(name),
                FieldKind.Int64 or FieldKind.EpochTime => new DataField<long?>(name),
                _ => new DataField<string>(name),
            };
        }
        schema = new ParquetSchema(schemaFields);
        columns = format.Select(_ => new object?[RowGroupRows]).ToArray();
    }

    public override void Write(in FlowRecord record)
    {
        var stamp = HourStart + Slot(record.End) * Capture.ObjectMinutes * 60L;
        if (stamp != openStamp) Open(stamp);
        for (var i = 0; i < columns.Length; i++) columns[i][rows] = Fields.Value(i, record);
        rows++;
        Records++;
        if (rows == RowGroupRows) FlushRows();
    }

    void Open(long stamp)
    {
        CloseObject();
        file = new FileStream(ObjectPath(stamp, 0, ".log.parquet"), FileMode.CreateNew, FileAccess.Write);
        writer = ParquetWriter.CreateAsync(schema, file, new ParquetOptions { CompressionMethod = CompressionMethod.Gzip }).GetAwaiter().GetResult();
        openStamp = stamp;
        Objects++;
    }

    void FlushRows()
    {
        if (writer is null || rows == 0) return;
        using (var group = writer.CreateRowGroup())
        {
            for (var i = 0; i < schemaFields.Length; i++)
            {
                var values = columns[i];
                var field = schemaFields[i];
                if (field is DataField<string> text)
                {
                    var strings = new string?[rows];
                    for (var r = 0; r < rows; r++) strings[r] = values[r] as string ?? "-";
                    group.WriteAsync(text, strings).GetAwaiter().GetResult();
                }
                else if (isLong[i])
                {
                    var longs = new long?[rows];
                    for (var r = 0; r < rows; r++) longs[r] = values[r] is long v ? v : values[r] is int iv ? iv : values[r] is byte b ? b : values[r] is ushort u ? u : null;
                    group.WriteAsync<long>(field, new ReadOnlyMemory<long?>(longs)).GetAwaiter().GetResult();
                }
                else
                {
                    var ints = new int?[rows];
                    for (var r = 0; r < rows; r++) ints[r] = values[r] switch { long v => (int)v, int v => v, byte v => v, ushort v => v, _ => null };
                    group.WriteAsync<int>(field, new ReadOnlyMemory<int?>(ints)).GetAwaiter().GetResult();
                }
            }
        }
        rows = 0;
    }

    void CloseObject()
    {
        FlushRows();
        writer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        file?.Dispose();
        writer = null;
        file = null;
        openStamp = -1;
    }

    public override void EndHour() => CloseObject();

    public override void Dispose() => CloseObject();
}
