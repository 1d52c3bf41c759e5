using System.Buffers;
using System.Text.Json;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using Parquet;
using Parquet.Schema;

namespace FlowNotebooks.Sources;

/// <summary>
/// Reads an S3 Parquet flow log with a managed Parquet reader (no database involved). Columns are matched to the
/// catalogue by name (<c>account_id</c>, <c>start</c>, …); each row becomes one record line (line = row number) in the
/// layout the columns spell, so Parquet and text evidence pass the same parser. A value that does not fit its field
/// rejects its row with the raw row as JSON, and the other rows load.
/// </summary>
internal static class ParquetFlowReader
{
    /// <summary>
    /// Largest uncompressed row group read into memory: a row group that claims more is a decompression bomb (or an
    /// object far outside what AWS delivers) and fails its object rather than the whole load.
    /// </summary>
    public const long MaxRowGroupBytes = 1L << 30;

    /// <returns>The evidence kind read: <c>flow-parquet</c>, or <c>security-lake-ocsf</c> for Security Lake's OCSF objects.</returns>
    public static string Read(Stream parquet, IRecordSink sink, RecordContext? context = null)
    {
        // The Parquet footer is at the end, so the reader needs to seek: a private copy (deleted on close) also keeps
        // the evidence itself out of reach.
        var copy = Path.Combine(Path.GetTempPath(), $"flownb-{Guid.NewGuid():N}.parquet");
        using var file = new FileStream(copy, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        parquet.CopyTo(file);
        file.Position = 0;
        return ReadSeekable(file, sink, context);
    }

    /// <summary>Reads a seekable Parquet stream; a file the reader cannot decode throws <see cref="InvalidDataException"/>.</summary>
    /// <param name="context">What the object's key tells (its time stamp bounds records without start/end).</param>
    public static string ReadSeekable(Stream file, IRecordSink sink, RecordContext? context = null)
    {
        var reader = Open(file);
        try
        {
            // Security Lake normalises flow logs to OCSF: recognised by its schema, read by its own mapping.
            if (SecurityLakeFlowReader.IsOcsf(reader.Schema))
            {
                SecurityLakeFlowReader.Read(file, reader, sink);
                return "security-lake-ocsf";
            }
            ReadRows(reader, file, sink, context);
            return "flow-parquet";
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    static void ReadRows(ParquetReader reader, Stream file, IRecordSink sink, RecordContext? context)
    {
        // Flow logs are flat: a list, map or struct column is no field of theirs.
        if (reader.Schema.Fields.FirstOrDefault(f => f is not DataField) is { } nested)
            throw new InvalidDataException($"column '{nested.Name}' is a {nested.SchemaType.ToString().ToLowerInvariant()}, a Parquet type no flow-log field can hold");
        var columns = reader.Schema.GetDataFields();
        var unreadable = columns.FirstOrDefault(c => c.IsArray || !Readable(c.ClrType));
        if (unreadable is not null)
            throw new InvalidDataException($"column '{unreadable.Name}' has a Parquet type no flow-log field can hold ({(unreadable.IsArray ? "a list of " : "")}{ParquetValue.TypeName(unreadable.ClrType)})");
        var fields = columns.Select(c => FieldCatalog.Resolve(c.Name is "start" or "end" ? c.Name : c.Name.Replace('_', '-'))).ToArray();
        var types = columns.Select(c => ParquetValue.TypeName(c.ClrType)).ToArray();
        var format = FlowLogFormat.Parse(string.Join(' ', fields.Select(f => f.Name)), "Parquet schema");
        long row = 0;
        var line = new ArrayBufferWriter<byte>(256);
        // AWS's column types are read by Apache Parquet's own reader; any other by the managed one, value by value.
        var groups = NativeParquetColumns.CanRead(columns)
            ? NativeParquetColumns.RowGroups(file, columns, CheckRowGroup)
            : ManagedRowGroups(reader, columns);
        foreach (var (count, values) in groups)
        {
            var tokens = values.Select((v, c) => new ParquetTokens(v, fields[c], types[c])).ToArray();
            for (var r = 0; r < count; r++)
            {
                row++;
                string? reason = null;
                line.ResetWrittenCount();
                for (var c = 0; c < tokens.Length && reason is null; c++)
                {
                    if (c > 0) ParquetTokens.AppendSeparator(line);
                    tokens[c].TryAppend(r, line, out reason);
                }
                if (reason is not null)
                {
                    sink.Reject(row, reason, RowJson(columns, values, r));
                    continue;
                }
                sink.Record(line.WrittenSpan, row, format, context);
            }
            foreach (var column in values) (column as IDisposable)?.Dispose();
        }
        if (row == 0)
        {
            sink.Status = "empty";
            sink.Reject(0, "Parquet object holds no rows", default);
        }
    }

    static IEnumerable<(int Count, object[] Values)> ManagedRowGroups(ParquetReader reader, IReadOnlyList<DataField> columns)
    {
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            CheckRowGroup(g, reader.Metadata?.RowGroups[g].TotalByteSize ?? 0);
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            yield return (count, ReadColumnsAsync(group, columns, count).GetAwaiter().GetResult());
        }
    }

    static void CheckRowGroup(int group, long size)
    {
        if (size > MaxRowGroupBytes)
            throw new InvalidDataException($"row group {group + 1} holds {size:N0} bytes uncompressed, more than the {MaxRowGroupBytes:N0}-byte limit");
    }

    static ParquetReader Open(Stream file)
    {
        try
        {
            return ParquetReader.CreateAsync(file, leaveStreamOpen: true).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The stream is a private local copy already read in full: what fails here is the file's content.
            throw new InvalidDataException($"not a readable Parquet file ({ex.Message})", ex);
        }
    }

    // The managed reader reports text columns as ReadOnlyMemory<char> and untyped byte arrays as ReadOnlyMemory<byte>.
    static bool IsText(Type t) => t == typeof(string) || t == typeof(ReadOnlyMemory<char>);
    static bool IsBlob(Type t) => t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>);

    static bool Readable(Type t) =>
        IsText(t) || IsBlob(t) || t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte)
        || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong) || t == typeof(float) || t == typeof(double)
        || t == typeof(decimal) || t == typeof(bool) || t == typeof(DateTime);

    // A row group's columns read in one asynchronous pass, waited for once: a wait per column allocated 4.8 GB and ran 217
    // full collections reading the 10^7 scenario's 72 objects (2.2M records), this way 3.8 GB and 65. Text is kept as the
    // reader's characters of each value (Strings).
    static async Task<object[]> ReadColumnsAsync(ParquetRowGroupReader group, IReadOnlyList<DataField> columns, int count)
    {
        var values = new object[columns.Count];
        for (var c = 0; c < columns.Count; c++) values[c] = await ReadColumnAsync(group, columns[c], count);
        return values;
    }

    /// <summary>One column of a row group as an array of nullable values of its own type.</summary>
    static async Task<Array> ReadColumnAsync(ParquetRowGroupReader group, DataField column, int count)
    {
        var t = column.ClrType;
        try
        {
            if (IsText(t)) return await Strings(group, column, count);
            if (IsBlob(t)) return await Blobs(group, column, count);
            if (t == typeof(int)) return await Values<int>(group, column, count);
            if (t == typeof(long)) return await Values<long>(group, column, count);
            if (t == typeof(short)) return await Values<short>(group, column, count);
            if (t == typeof(sbyte)) return await Values<sbyte>(group, column, count);
            if (t == typeof(byte)) return await Values<byte>(group, column, count);
            if (t == typeof(ushort)) return await Values<ushort>(group, column, count);
            if (t == typeof(uint)) return await Values<uint>(group, column, count);
            if (t == typeof(ulong)) return await Values<ulong>(group, column, count);
            if (t == typeof(float)) return await Values<float>(group, column, count);
            if (t == typeof(double)) return await Values<double>(group, column, count);
            if (t == typeof(decimal)) return await Values<decimal>(group, column, count);
            if (t == typeof(bool)) return await Values<bool>(group, column, count);
            return await Values<DateTime>(group, column, count);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"column '{column.Name}' could not be decoded ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// A text column as the reader's own characters of each value (made per value in a plain-encoded column, as the
    /// scenarios' are; shared by a dictionary entry's values), not a string of each: the reader's string read copies them
    /// into a new string per value, 35M for the 10^7 scenario's 2.2M Parquet rows. Reading those objects' columns took 5.1 s with
    /// the strings and 2.6–2.7 s without; loading them, 13.1 and 13.3 s against 11.8 and 11.6 s.
    /// </summary>
    static async Task<Array> Strings(ParquetRowGroupReader group, DataField column, int count)
    {
        var raw = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(count);
        var levels = column.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(count) : null;
        try
        {
            await group.ReadRawAsync(column, raw.AsMemory(0, count), levels?.AsMemory(0, count), null);
            // The raw values are those of the rows present: a row below the column's definition level is NULL.
            var a = new ReadOnlyMemory<char>?[count];
            for (int r = 0, v = 0; r < count; r++)
                if (levels is null || levels[r] >= column.MaxDefinitionLevel) a[r] = raw[v++];
            return a;
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(raw, clearArray: true);
            if (levels is not null) ArrayPool<int>.Shared.Return(levels);
        }
    }

    static async Task<Array> Blobs(ParquetRowGroupReader group, DataField column, int count)
    {
        var a = new byte[]?[count];
        await group.ReadAsync(column, a.AsMemory()!, null);
        return a;
    }

    static async Task<Array> Values<T>(ParquetRowGroupReader group, DataField column, int count) where T : struct
    {
        var a = new T?[count];
        if (column.IsNullable)
        {
            await group.ReadAsync<T>(column, a.AsMemory(), null);
            return a;
        }
        var plain = new T[count];
        await group.ReadAsync<T>(column, plain.AsMemory(), null);
        for (var i = 0; i < count; i++) a[i] = plain[i];
        return a;
    }

    /// <summary>The rejected row as the analyst's raw text: a JSON object of its columns.</summary>
    static byte[] RowJson(IReadOnlyList<DataField> columns, object[] values, int r) =>
        ParquetRowJson.Write(columns.Select((c, i) => KeyValuePair.Create(c.Name, ParquetTokens.ValueAt(values[i], r))));
}
