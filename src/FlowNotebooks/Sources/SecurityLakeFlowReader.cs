using System.Text;
using FlowNotebooks.Formats;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace FlowNotebooks.Sources;

/// <summary>
/// Reads Amazon Security Lake's VPC flow objects: OCSF "Network Activity" (class_uid 4001) rows in Parquet, nested
/// structs as Security Lake stores them, source version 1 (OCSF 1.0.0-rc.2) and 2 (OCSF 1.1.0). Each row becomes one
/// flow-log record line (line = row number) in <see cref="SecurityLakeMapping.Layout"/>, so it passes the same parser
/// and lands in the same flows columns as text and Parquet flow logs. A row of another class, or a value of a type its
/// field cannot hold, rejects that row naming the OCSF attribute; the other rows load.
/// </summary>
internal static class SecurityLakeFlowReader
{
    /// <summary>OCSF objects carry <c>class_uid</c> and the <c>metadata</c> struct at the top; flow logs never do.</summary>
    public static bool IsOcsf(ParquetSchema schema) =>
        schema.Fields.Any(f => f.Name == "class_uid") && schema.Fields.Any(f => f.Name == "metadata" && f is StructField);

    public static void Read(Stream file, ParquetReader reader, IRecordSink sink)
    {
        var format = SecurityLakeMapping.Layout;
        var fields = format.Fields;
        var tokens = new string?[fields.Count];
        var line = new StringBuilder();
        long row = 0;
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var size = reader.Metadata?.RowGroups[g].TotalByteSize ?? 0;
            if (size > ParquetFlowReader.MaxRowGroupBytes)
                throw new InvalidDataException($"row group {g + 1} holds {size:N0} bytes uncompressed, more than the {ParquetFlowReader.MaxRowGroupBytes:N0}-byte limit");
            file.Position = 0;
            IList<Dictionary<string, object>> rows;
            try
            {
                rows = ParquetSerializer.DeserializeUntypedAsync(file, null, g).GetAwaiter().GetResult().Data;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidDataException)
            {
                throw new InvalidDataException($"row group {g + 1} could not be decoded as OCSF ({ex.Message})", ex);
            }
            foreach (var r in rows)
            {
                row++;
                if (!SecurityLakeMapping.TryMap(r, tokens, out var ocsfVersion, out var reason))
                {
                    sink.Reject(row, reason!, ParquetRowJson.Write(r!));
                    continue;
                }
                if (ocsfVersion is not null) versions.Add(ocsfVersion);
                line.Clear();
                for (var c = 0; c < tokens.Length; c++) line.Append(c == 0 ? "" : " ").Append(tokens[c] ?? "-");
                sink.Record(Encoding.UTF8.GetBytes(line.ToString()), row, format);
            }
        }
        if (versions.Count > 0) sink.Note($"Security Lake OCSF {string.Join(", ", versions)} (Network Activity): {SecurityLakeMapping.Dropped}");
        if (row == 0)
        {
            sink.Status = "empty";
            sink.Reject(0, "Parquet object holds no rows", default);
        }
    }
}
