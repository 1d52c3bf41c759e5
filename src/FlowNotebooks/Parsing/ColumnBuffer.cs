namespace FlowNotebooks.Parsing;

/// <summary>
/// One column of a <see cref="ColumnBatch"/>: typed values for up to <c>capacity</c> rows, handed to the store as a
/// whole array (no per-value calls into it).
/// </summary>
internal abstract class ColumnBuffer(string column)
{
    /// <summary>The case-store column this buffer fills.</summary>
    public string Column { get; } = column;

    public abstract void SetNull(int row);
}

/// <summary>Text as dictionary codes (0 = null); the store looks the text up in the parser's dictionary.</summary>
internal sealed class TextColumn(string column, int capacity) : ColumnBuffer(column)
{
    public readonly int[] Codes = new int[capacity];
    public override void SetNull(int row) => Codes[row] = 0;
}

internal sealed class Int32Column(string column, int capacity) : ColumnBuffer(column)
{
    public readonly int?[] Values = new int?[capacity];
    public override void SetNull(int row) => Values[row] = null;
}

internal sealed class Int64Column(string column, int capacity) : ColumnBuffer(column)
{
    public readonly long?[] Values = new long?[capacity];
    public override void SetNull(int row) => Values[row] = null;
}

/// <summary>Unix time held as microseconds (the store makes it a UTC timestamp).</summary>
internal sealed class TimeColumn(string column, int capacity) : ColumnBuffer(column)
{
    public readonly long?[] Micros = new long?[capacity];
    public override void SetNull(int row) => Micros[row] = null;
}

/// <summary>An address as its text (dictionary code) and as numbers: IPv4 as 32 bits, IPv6 as two 64-bit halves.</summary>
internal sealed class AddressColumn(string column, int capacity) : ColumnBuffer(column)
{
    public readonly int[] TextCodes = new int[capacity];
    public readonly uint?[] V4 = new uint?[capacity];
    public readonly ulong?[] V6Hi = new ulong?[capacity];
    public readonly ulong?[] V6Lo = new ulong?[capacity];

    public override void SetNull(int row)
    {
        TextCodes[row] = 0;
        V4[row] = null;
        V6Hi[row] = null;
        V6Lo[row] = null;
    }
}
