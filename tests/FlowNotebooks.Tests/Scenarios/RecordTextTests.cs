using System.Globalization;
using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Scenarios.Catalog;
using FlowNotebooks.Scenarios.Delivery;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>
/// The generator's record text (Scenarios/Delivery: AsciiWriter, RecordFields): the unchecked fast writers give the
/// same text as the plain .NET formatting of the same values.
/// </summary>
public class RecordTextTests
{
    static string Number(long value)
    {
        var buffer = new byte[64];
        var n = AsciiWriter.Number(value, ref buffer[0]);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    static IEnumerable<long> EdgeNumbers()
    {
        for (long p = 1; p <= 1_000_000_000_000_000_000; p *= 10)
        {
            yield return p - 1;
            yield return p;
            yield return p + 1;
        }
        yield return long.MaxValue;
        yield return -1;
        yield return -100_000_000;
        yield return long.MinValue;
    }

    [Fact]
    public void Numbers_are_their_decimal_digits_at_every_length_and_edge()
    {
        foreach (var v in EdgeNumbers()) Assert.Equal(v.ToString(CultureInfo.InvariantCulture), Number(v));
        for (long v = 0; v < 100_000; v++) Assert.Equal(v.ToString(CultureInfo.InvariantCulture), Number(v));
        var r = new Random(42);
        for (var i = 0; i < 200_000; i++)
        {
            // Every digit count from 1 to 19, spread evenly.
            var v = r.NextInt64(0, long.MaxValue) >> r.Next(0, 63);
            Assert.Equal(v.ToString(CultureInfo.InvariantCulture), Number(v));
        }
    }

    static readonly string[] Formats = [FlowLogFormat.DefaultLogFormat, ShopVpc.PublicFormat, ShopVpc.AppFormat, "${interface-id} ${version} ${srcport}"];

    static FlowRecord RandomRecord(Random r, IReadOnlyList<Workload> workloads)
    {
        uint Ip() => (uint)r.NextInt64(0, 1L << 32);
        long Big() => r.NextInt64(0, long.MaxValue) >> r.Next(0, 63);
        var start = 1_763_000_000L + r.Next(0, 1_000_000);
        return new FlowRecord
        {
            Interface = workloads[r.Next(workloads.Count)],
            SrcAddr = Ip(), DstAddr = Ip(), PktSrcAddr = Ip(), PktDstAddr = Ip(),
            SrcPort = (ushort)r.Next(0, 65536), DstPort = (ushort)r.Next(0, 65536), Protocol = (byte)r.Next(0, 256), TcpFlags = (byte)r.Next(0, 256),
            Packets = Big(), Bytes = Big(), Start = start, End = start + r.Next(0, 60),
            Rejected = r.Next(2) == 0, Egress = r.Next(2) == 0, TrafficPath = (byte)(r.Next(3) == 0 ? 0 : r.Next(1, 9)),
            Status = r.Next(10) switch { 0 => RecordStatus.NoData, 1 => RecordStatus.SkipData, _ => RecordStatus.Ok },
            PktSrcService = (AwsService)r.Next(0, 4), PktDstService = (AwsService)r.Next(0, 4),
        };
    }

    [Fact]
    public void A_line_is_its_fields_values_joined_by_spaces_in_every_layout()
    {
        // Value is the Parquet path, field by field; WriteLine folds the interface's constant fields into runs.
        var vpc = ShopVpc.Build(7, unmanagedIp: "10.20.40.99").Vpc;
        var r = new Random(5);
        var buffer = new byte[RecordFields.LineBuffer];
        foreach (var format in Formats)
        {
            var fields = new RecordFields(FlowLogFormat.Parse(format), vpc);
            for (var i = 0; i < 5_000; i++)
            {
                var record = RandomRecord(r, vpc.Workloads);
                var expected = string.Join(' ', Enumerable.Range(0, fields.Format.Fields.Count)
                    .Select(f => fields.Value(f, record) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : "-"));
                var n = fields.WriteLine(record, buffer);
                Assert.Equal(expected, Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
    }
}
