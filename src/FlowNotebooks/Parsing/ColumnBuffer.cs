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

/// <summary>
/// Numbers in a plain array with a null mask beside it, made on the first null (most columns never see one): a
/// <c>long?</c> takes 16 bytes a value, a <c>long</c> and its bit 8⅛, and a lane holds a full batch per layout it met.
/// </summary>
internal abstract class ValueColumn<T>(string column, int capacity) : ColumnBuffer(column) where T : unmanaged
{
    /// <summary>The values; a null row holds <c>default</c> (see <see cref="IsNull"/>).</summary>
    public T[] Values = new T[capacity];
    ulong[]? nulls;

    public T? this[int row] => IsNull(row) ? null : Values[row];

    public bool IsNull(int row) => nulls is not null && (nulls[row >> 6] & (1UL << row)) != 0;

    /// <summary>Sets a value (a batch's rows are written again after each flush, so a null bit left there is cleared).</summary>
    public void Set(int row, T value)
    {
        Values[row] = value;
        if (nulls is not null) nulls[row >> 6] &= ~(1UL << row);
    }

    public override void SetNull(int row)
    {
        nulls ??= new ulong[Words(Values.Length)];
        nulls[row >> 6] |= 1UL << row;
        Values[row] = default;
    }

    /// <summary>Whether any of the first <paramref name="count"/> rows is null.</summary>
    public bool HasNulls(int count)
    {
        if (nulls is null) return false;
        var whole = count >> 6;
        foreach (var w in nulls.AsSpan(0, whole)) if (w != 0) return true;
        return (count & 63) != 0 && (nulls[whole] & ((1UL << count) - 1)) != 0;
    }

    public override void Resize(int rows)
    {
        Array.Resize(ref Values, rows);
        if (nulls is not null) Array.Resize(ref nulls, Words(rows));
    }

    static int Words(int rows) => (rows + 63) >> 6;
}

internal sealed class Int32Column(string column, int capacity) : ValueColumn<int>(column, capacity);

internal sealed class Int64Column(string column, int capacity) : ValueColumn<long>(column, capacity);

/// <summary>Unix time held as microseconds (the store makes it a UTC timestamp).</summary>
internal sealed class TimeColumn(string column, int capacity) : ValueColumn<long>(column, capacity)
{
    /// <summary>Whether the first <paramref name="count"/> times are whole seconds, as AWS's start and end always are
    /// (a millisecond Unix time or a CloudWatch event's bound may not be; a null row holds 0).</summary>
    public bool WholeSeconds(int count)
    {
        foreach (var m in Values.AsSpan(0, count))
            if (m % 1_000_000 != 0) return false;
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
