namespace FlowNotebooks.Parsing;

/// <summary>
/// One column of a <see cref="ColumnBatch"/>: typed values for the rows it has room for, handed to the store as a
/// whole array (no per-value calls into it). The batch grows every column together (see <see cref="ColumnBatch.MakeRoom"/>).
/// </summary>
internal abstract class ColumnBuffer(string column)
{
    /// <summary>The case-store column this buffer fills.</summary>
    public string Column { get; } = column;

    public abstract void SetNull(int row);

    /// <summary>Makes room for <paramref name="rows"/> rows (more or fewer), keeping the values that fit.</summary>
    public abstract void Resize(int rows);
}

/// <summary>Text as dictionary codes (0 = null); the store looks the text up in the parser's dictionary.</summary>
internal sealed class TextColumn(string column, int capacity) : ColumnBuffer(column)
{
    public int[] Codes = new int[capacity];
    public override void SetNull(int row) => Codes[row] = 0;
    public override void Resize(int rows) => Array.Resize(ref Codes, rows);
}

internal sealed class Int32Column(string column, int capacity) : ColumnBuffer(column)
{
    public int?[] Values = new int?[capacity];
    public override void SetNull(int row) => Values[row] = null;
    public override void Resize(int rows) => Array.Resize(ref Values, rows);
}

internal sealed class Int64Column(string column, int capacity) : ColumnBuffer(column)
{
    public long?[] Values = new long?[capacity];
    public override void SetNull(int row) => Values[row] = null;
    public override void Resize(int rows) => Array.Resize(ref Values, rows);
}

/// <summary>Unix time held as microseconds (the store makes it a UTC timestamp).</summary>
internal sealed class TimeColumn(string column, int capacity) : ColumnBuffer(column)
{
    public long?[] Micros = new long?[capacity];
    public override void SetNull(int row) => Micros[row] = null;
    public override void Resize(int rows) => Array.Resize(ref Micros, rows);

    /// <summary>Whether the first <paramref name="count"/> times are whole seconds, as AWS's start and end always are
    /// (a millisecond Unix time or a CloudWatch event's bound may not be).</summary>
    public bool WholeSeconds(int count)
    {
        foreach (var m in Micros.AsSpan(0, count))
            if (m % 1_000_000 is not (null or 0)) return false;
        return true;
    }
}

/// <summary>An address as its text (dictionary code), and an IPv6 address also as its two 64-bit halves (an IPv4
/// address's number is read from its text where wanted: see the store's flows view). The halves are made with the
/// batch's first IPv6 address: most evidence has none, and at 32 bytes a row for each of four address columns they were
/// a third of a full batch (a lane keeps a batch per layout it met).</summary>
internal sealed class AddressColumn(string column, int capacity) : ColumnBuffer(column)
{
    public int[] TextCodes = new int[capacity];
    /// <summary>The IPv6 halves, or null while every address so far is IPv4 (or null).</summary>
    public ulong?[]? V6Hi, V6Lo;

    /// <summary>Sets row <paramref name="row"/>'s halves to an IPv6 address, making them on the first.</summary>
    public void SetV6(int row, UInt128 v6)
    {
        V6Hi ??= new ulong?[TextCodes.Length];
        V6Lo ??= new ulong?[TextCodes.Length];
        V6Hi[row] = (ulong)(v6 >> 64);
        V6Lo[row] = (ulong)v6;
    }

    /// <summary>Row <paramref name="row"/> holds an IPv4 address: no halves.</summary>
    public void SetV4(int row)
    {
        if (V6Hi is null) return;
        V6Hi[row] = null;
        V6Lo![row] = null;
    }

    public override void Resize(int rows)
    {
        Array.Resize(ref TextCodes, rows);
        if (V6Hi is null) return;
        Array.Resize(ref V6Hi, rows);
        Array.Resize(ref V6Lo, rows);
    }

    public override void SetNull(int row)
    {
        TextCodes[row] = 0;
        if (V6Hi is null) return;
        V6Hi[row] = null;
        V6Lo![row] = null;
    }
}
