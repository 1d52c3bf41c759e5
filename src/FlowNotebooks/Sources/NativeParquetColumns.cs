using System.Buffers;
using ParquetSharp;
using ParquetSharp.IO;
using Parquet.Schema;

namespace FlowNotebooks.Sources;

/// <summary>
/// Reads the row groups of a flat Parquet object whose columns are all of the types AWS writes (32- and 64-bit integers,
/// UTF-8 strings) with Apache Parquet's own reader (ParquetSharp): integers into arrays, text as its UTF-8 bytes
/// (<see cref="Utf8Texts"/>). The managed reader makes a character array of every text value, and its string read a
/// string of each besides: reading the 10^7 scenario's 72 objects' columns took 2.5–3.0 s that way without the strings,
/// 5.1 s with them, and 0.8–0.9 s here. Any other column type is read by the managed reader, value by value as before.
/// </summary>
internal static class NativeParquetColumns
{
    /// <summary>Whether every column is one this reader takes (as the managed reader types them: int, long, text).</summary>
    public static bool CanRead(IReadOnlyList<DataField> columns) =>
        columns.All(c => !c.IsArray && (c.ClrType == typeof(int) || c.ClrType == typeof(long)
                                       || c.ClrType == typeof(string) || c.ClrType == typeof(ReadOnlyMemory<char>)));

    /// <summary>
    /// The object's row groups, each as its row count and one array of values per column (<c>int?[]</c>, <c>long?[]</c> or
    /// <see cref="Utf8Texts"/>), in the order of <paramref name="columns"/> (the managed reader's schema of the same file).
    /// A column the reader cannot decode throws <see cref="InvalidDataException"/> naming it.
    /// </summary>
    public static IEnumerable<(int Count, object[] Values)> RowGroups(Stream file, IReadOnlyList<DataField> columns, Action<int, long> checkRowGroup)
    {
        file.Position = 0;
        using var input = new ManagedRandomAccessFile(file, leaveOpen: true);
        using var reader = new ParquetFileReader(input);
        var metadata = reader.FileMetaData;
        if (metadata.NumColumns != columns.Count)
            throw new InvalidDataException($"the object's schema reads as {metadata.NumColumns} columns by one reader and {columns.Count} by the other");
        for (var g = 0; g < metadata.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            checkRowGroup(g, group.MetaData.TotalByteSize);
            var count = checked((int)group.MetaData.NumRows);
            var values = new object[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                try
                {
                    using var column = group.Column(c);
                    values[c] = Read(column, count);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidDataException)
                {
                    throw new InvalidDataException($"column '{columns[c].Name}' could not be decoded ({ex.Message})", ex);
                }
            }
            yield return (count, values);
        }
    }

    static object Read(ColumnReader column, int count)
    {
        var present = (short)column.ColumnDescriptor.MaxDefinitionLevel;
        // Scratch arrays of a row group's size are pooled: large objects, freed by the GC only in full collections.
        var levels = ArrayPool<short>.Shared.Rent(count);
        try
        {
            return column switch
            {
                ColumnReader<int> ints => Values(ints, count, levels, present),
                ColumnReader<long> longs => Values(longs, count, levels, present),
                ColumnReader<ByteArray> texts => Texts(texts, count, levels, present),
                _ => throw new InvalidDataException($"a Parquet {column.Type} column read where text or a whole number was expected"),
            };
        }
        finally
        {
            ArrayPool<short>.Shared.Return(levels);
        }
    }

    static T?[] Values<T>(ColumnReader<T> column, int count, short[] levels, short present) where T : unmanaged
    {
        var result = new T?[count];
        var values = ArrayPool<T>.Shared.Rent(count);
        try
        {
            ReadValues(column, count, levels, present, values, result);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values);
        }
        return result;
    }

    static void ReadValues<T>(ColumnReader<T> column, int count, short[] levels, short present, T[] values, T?[] result) where T : unmanaged =>
        ReadBatches(column, count, levels, values, (first, read) =>
        {
            // The values read are those of the rows present (definition level at its maximum); the others are NULL.
            for (int r = first, v = 0; r < first + read; r++)
                if (present == 0 || levels[r] == present) result[r] = values[v++];
        });

    /// <summary>Reads a column's <paramref name="count"/> rows batch by batch into <paramref name="levels"/> (from the
    /// batch's first row) and <paramref name="values"/> (from 0, the rows present only), handing each batch on before the
    /// next read.</summary>
    static void ReadBatches<T>(ColumnReader<T> column, int count, short[] levels, T[] values, Action<int, int> batch) where T : unmanaged
    {
        var row = 0;
        while (column.HasNext && row < count)
        {
            var read = (int)column.ReadBatch(count - row, levels.AsSpan(row), default, values, out _);
            if (read == 0) break;
            batch(row, read);
            row += read;
        }
        if (row != count) throw new InvalidDataException($"the column holds {row:N0} of its row group's {count:N0} rows");
    }

    static Utf8Texts Texts(ColumnReader<ByteArray> column, int count, short[] levels, short present)
    {
        var result = new Utf8Texts(count);
        var values = ArrayPool<ByteArray>.Shared.Rent(count);
        try
        {
            ReadTexts(column, count, levels, present, values, result);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<ByteArray>.Shared.Return(values);
        }
    }

    static unsafe void ReadTexts(ColumnReader<ByteArray> column, int count, short[] levels, short present, ByteArray[] values, Utf8Texts result) =>
        ReadBatches(column, count, levels, values, (first, read) =>
        {
            // Each value points into the reader's page, valid until the next read: copied now.
            for (int r = first, v = 0; r < first + read; r++)
            {
                if (present != 0 && levels[r] != present)
                {
                    result.Add(default, isNull: true);
                    continue;
                }
                var value = values[v++];
                result.Add(new ReadOnlySpan<byte>((void*)value.Pointer, value.Length), isNull: false);
            }
        });
}
