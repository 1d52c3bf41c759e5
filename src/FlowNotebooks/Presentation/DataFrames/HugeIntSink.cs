using System.Data;
using System.Net;
using System.Numerics;
using Microsoft.Data.Analysis;

namespace FlowNotebooks.Presentation.DataFrames;

/// <summary>
/// DuckDB's 128-bit integers: <c>sum()</c> of a BIGINT is a HUGEINT, and the case keeps IPv6 addresses as UHUGEINT
/// (<c>*_v6</c> columns). A DataFrame has no 128-bit column, so the narrowest exact type is chosen once all values are
/// seen: Int64 when every value fits (every realistic byte or packet sum), else Decimal, else text; <c>*_v6</c> columns
/// become IPv6 address text.
/// </summary>
internal sealed class HugeIntSink(string name) : ColumnSink
{
    static readonly BigInteger DecimalMax = new(decimal.MaxValue);
    static readonly BigInteger Ipv6Limit = BigInteger.One << 128;
    readonly List<BigInteger?> values = [];

    public override void Add(IDataRecord record, int ordinal) => Add(record.GetValue(ordinal));
    public override void Add(object value) => values.Add(value is BigInteger b ? b : new BigInteger(Convert.ToDecimal(value)));
    public override void AddNull() => values.Add(null);

    public override DataFrameColumn Build()
    {
        if (name.EndsWith("_v6", StringComparison.OrdinalIgnoreCase) && values.All(v => v is null || (v.Value.Sign >= 0 && v.Value < Ipv6Limit)))
            return new StringDataFrameColumn(name, values.Select(v => v is { } b ? ToIpv6(b) : null));
        if (values.All(v => v is null || (v.Value >= long.MinValue && v.Value <= long.MaxValue)))
            return new Int64DataFrameColumn(name, values.Select(v => v is { } b ? (long?)(long)b : null));
        if (values.All(v => v is null || BigInteger.Abs(v.Value) <= DecimalMax))
            return new DecimalDataFrameColumn(name, values.Select(v => v is { } b ? (decimal?)(decimal)b : null));
        return new StringDataFrameColumn(name, values.Select(v => v?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    static string ToIpv6(BigInteger value)
    {
        var bytes = new byte[16];
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, 16 - raw.Length);
        return new IPAddress(bytes).ToString();
    }
}
