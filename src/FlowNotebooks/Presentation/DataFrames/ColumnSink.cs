using System.Data;
using System.Globalization;
using System.Numerics;
using Microsoft.Data.Analysis;
using FlowNotebooks.Presentation.Html;

namespace FlowNotebooks.Presentation.DataFrames;

/// <summary>Builds one typed DataFrame column, from a reader (typed reads, no boxing) or from boxed values.</summary>
internal abstract class ColumnSink
{
    public abstract void Add(IDataRecord record, int ordinal);
    public abstract void Add(object value);
    public abstract void AddNull();
    public abstract DataFrameColumn Build();

    /// <summary>The sink for a CLR type as the DuckDB reader reports it. Types a DataFrame has no column for (lists,
    /// structs, intervals, UUIDs) become text so nothing is lost or thrown.</summary>
    public static ColumnSink For(Type type, string name) => type switch
    {
        _ when type == typeof(bool) => new PrimitiveSink<bool>(new BooleanDataFrameColumn(name)),
        _ when type == typeof(sbyte) => new PrimitiveSink<sbyte>(new SByteDataFrameColumn(name)),
        _ when type == typeof(byte) => new PrimitiveSink<byte>(new ByteDataFrameColumn(name)),
        _ when type == typeof(short) => new PrimitiveSink<short>(new Int16DataFrameColumn(name)),
        _ when type == typeof(ushort) => new PrimitiveSink<ushort>(new UInt16DataFrameColumn(name)),
        _ when type == typeof(int) => new PrimitiveSink<int>(new Int32DataFrameColumn(name)),
        _ when type == typeof(uint) => new PrimitiveSink<uint>(new UInt32DataFrameColumn(name)),
        _ when type == typeof(long) => new PrimitiveSink<long>(new Int64DataFrameColumn(name)),
        _ when type == typeof(ulong) => new PrimitiveSink<ulong>(new UInt64DataFrameColumn(name)),
        _ when type == typeof(float) => new PrimitiveSink<float>(new SingleDataFrameColumn(name)),
        _ when type == typeof(double) => new PrimitiveSink<double>(new DoubleDataFrameColumn(name)),
        _ when type == typeof(decimal) => new PrimitiveSink<decimal>(new DecimalDataFrameColumn(name)),
        _ when type == typeof(DateTime) => new PrimitiveSink<DateTime>(new DateTimeDataFrameColumn(name)),
        _ when type == typeof(string) => new StringSink(name),
        _ when type == typeof(BigInteger) => new HugeIntSink(name),
        _ => new TextSink(name, type),
    };
}

/// <summary>A fixed-width column read with <see cref="IDataRecord"/>'s typed getter.</summary>
internal sealed class PrimitiveSink<T>(PrimitiveDataFrameColumn<T> column) : ColumnSink where T : unmanaged
{
    public override void Add(IDataRecord record, int ordinal) =>
        column.Append(record is System.Data.Common.DbDataReader db ? db.GetFieldValue<T>(ordinal) : (T)record.GetValue(ordinal));

    public override void Add(object value) =>
        column.Append(value is T t ? t : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture));

    public override void AddNull() => column.Append(null);
    public override DataFrameColumn Build() => column;
}

/// <summary>Text, with repeated values (addresses, interface ids, actions) sharing one string: a third of the memory.</summary>
internal sealed class StringSink(string name) : ColumnSink
{
    const int PoolLimit = 65_536;
    readonly StringDataFrameColumn column = new(name);
    readonly Dictionary<string, string> pool = new(StringComparer.Ordinal);

    public override void Add(IDataRecord record, int ordinal) => Add(record.GetString(ordinal));

    public override void Add(object value)
    {
        var s = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        if (pool.TryGetValue(s, out var shared)) s = shared;
        else if (pool.Count < PoolLimit) pool[s] = s;
        column.Append(s);
    }

    public override void AddNull() => column.Append(null);
    public override DataFrameColumn Build() => column;
}

/// <summary>Values a DataFrame has no column type for, kept as readable invariant text.</summary>
internal sealed class TextSink(string name, Type type) : ColumnSink
{
    readonly StringDataFrameColumn column = new(name);
    public Type SourceType { get; } = type;

    public override void Add(IDataRecord record, int ordinal) => Add(record.GetValue(ordinal));
    public override void Add(object value) => column.Append(CellText.Format(value));
    public override void AddNull() => column.Append(null);
    public override DataFrameColumn Build() => column;
}
