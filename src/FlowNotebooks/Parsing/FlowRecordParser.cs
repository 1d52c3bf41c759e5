using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Unicode;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Parsing;

/// <summary>
/// Parses one flow-log record (UTF-8 bytes) into a <see cref="ColumnBatch"/> row. Fields are separated by runs of
/// spaces or tabs; <c>-</c> is null; addresses become numbers; times above 2^31-1 are read as milliseconds.
/// A bad record leaves the batch unchanged and returns the reason.
/// </summary>
internal sealed class FlowRecordParser
{
    /// <summary>Codes of the text values this parser has seen (shared by every batch it fills).</summary>
    public TextDictionary Dictionary { get; } = new();
    int[] starts = new int[64];
    int[] ends = new int[64];

    /// <summary>Appends the record to the batch, or returns false with the reason it was rejected.</summary>
    public bool TryAppend(ReadOnlySpan<byte> line, ColumnBatch batch, out string? error)
    {
        var format = batch.Format;
        var expected = format.Fields.Count;
        if (!Utf8.IsValid(line))
        {
            error = FlowParseErrors.InvalidUtf8(FirstInvalidUtf8(line));
            return false;
        }
        var found = Tokenize(line, expected);
        if (found != expected)
        {
            error = FlowParseErrors.FieldCount(found, format);
            return false;
        }
        batch.MakeRoom();
        var row = batch.Count;
        var columns = batch.FieldColumns;
        for (var i = 0; i < expected; i++)
        {
            var token = line[starts[i]..ends[i]];
            var column = columns[i];
            if (token.Length == 1 && token[0] == (byte)'-')
            {
                column.SetNull(row);
                continue;
            }
            if (!TrySet(column, format.Fields[i].Kind, row, token))
            {
                error = FlowParseErrors.BadValue(format.Fields[i], i, token);
                return false;
            }
        }
        error = null;
        return true;
    }

    /// <summary>The dictionary code of a text (for per-object constants such as a flow-log id or stream name).</summary>
    public int Code(string? text) => text is null ? 0 : Dictionary.Code(System.Text.Encoding.UTF8.GetBytes(text));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool TrySet(ColumnBuffer column, FieldKind kind, int row, ReadOnlySpan<byte> token)
    {
        switch (kind)
        {
            case FieldKind.Int32:
                if (!Utf8Parser.TryParse(token, out int i32, out var n32) || n32 != token.Length) return false;
                ((Int32Column)column).Set(row, i32);
                return true;
            case FieldKind.Int64:
                if (!Utf8Parser.TryParse(token, out long i64, out var n64) || n64 != token.Length) return false;
                ((Int64Column)column).Set(row, i64);
                return true;
            case FieldKind.EpochTime:
                if (!Utf8Parser.TryParse(token, out long t, out var nt) || nt != token.Length || t < 0) return false;
                // AWS documents seconds; some producers write milliseconds (flowlogs-reader reads > 2^31-1 as ms).
                ((TimeColumn)column).Set(row, t > int.MaxValue ? t * 1000 : t * 1_000_000);
                return true;
            case FieldKind.Address:
                return TrySetAddress((AddressColumn)column, row, token);
            default:
                ((TextColumn)column).Codes[row] = Dictionary.Code(token);
                return true;
        }
    }

    bool TrySetAddress(AddressColumn column, int row, ReadOnlySpan<byte> token)
    {
        // Only a dotted quad or IPv6 text is an address (the flows view reads an IPv4 address's number from its text).
        if (IpAddressCodec.TryParseIPv4(token, out _))
        {
            column.SetV4(row);
            column.TextCodes[row] = Dictionary.Code(token);
            return true;
        }
        else if (IpAddressCodec.TryParseIPv6(token, out var v6))
        {
            column.SetV6(row, v6);
        }
        else
        {
            return false;
        }
        column.TextCodes[row] = Dictionary.Code(token);
        return true;
    }

    /// <summary>Splits on runs of spaces/tabs; counts tokens past <paramref name="expected"/> without storing them.</summary>
    int Tokenize(ReadOnlySpan<byte> line, int expected)
    {
        if (starts.Length <= expected)
        {
            starts = new int[expected + 1];
            ends = new int[expected + 1];
        }
        var count = 0;
        var i = 0;
        var n = line.Length;
        while (true)
        {
            while (i < n && (line[i] == (byte)' ' || line[i] == (byte)'\t')) i++;
            if (i >= n) break;
            var start = i;
            var rest = line[i..];
            var sep = rest.IndexOfAny((byte)' ', (byte)'\t');
            i = sep < 0 ? n : i + sep;
            if (count < starts.Length)
            {
                starts[count] = start;
                ends[count] = i;
            }
            count++;
        }
        return count;
    }

    static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(line[i..], out _, out var used) != System.Buffers.OperationStatus.Done)
                return i;
            i += used;
        }
        return 0;
    }
}
