using System.Text.Json;
using System.Text.Json.Serialization;
using Parquet;
using Parquet.Serialization;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>OCSF events as JSON lines (nulls left out) or as Parquet with the nested structs and the list of
/// observables as OCSF shapes them — what a Security Lake custom source takes.</summary>
public static class OcsfFiles
{
    static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Encoder = ExportJson.Encoder };

    /// <summary>One event per line.</summary>
    public static void JsonLines(IEnumerable<OcsfNetworkActivity> events, Stream output)
    {
        foreach (var e in events)
        {
            JsonSerializer.Serialize(output, e, Json);
            output.WriteByte((byte)'\n');
        }
    }

    /// <summary>Parquet (gzip); <paramref name="metadata"/> goes into the file's key-value metadata.</summary>
    public static void Parquet(IReadOnlyCollection<OcsfNetworkActivity> events, Stream output, IReadOnlyDictionary<string, string> metadata) =>
        ParquetSerializer.SerializeAsync(events, output, new ParquetOptions { CompressionMethod = CompressionMethod.Gzip }, metadata)
            .GetAwaiter().GetResult();
}
