using System.Globalization;
using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.TestSupport;

/// <summary>A flow record as read back from its evidence object and parsed by the project's parser.</summary>
/// <param name="Src">The packet's source as the counted record names it: pkt-srcaddr when logged, else srcaddr.</param>
/// <param name="Dst">The packet's destination likewise: pkt-dstaddr, else dstaddr.</param>
public sealed record EvidenceRecord(string Text, string? InterfaceId, string? SrcAddr, string? DstAddr, string? PktSrcAddr, string? PktDstAddr,
    int? SrcPort, int? DstPort, int? Protocol, int? TcpFlags, DateTime? Start, DateTime? End, string? Action, string? LogStatus)
{
    public string? Src => PktSrcAddr ?? SrcAddr;
    public string? Dst => PktDstAddr ?? DstAddr;

    /// <summary>Every address the record names (interface and packet, source and destination).</summary>
    public IEnumerable<string> Addresses => new[] { SrcAddr, DstAddr, PktSrcAddr, PktDstAddr }.OfType<string>();
}

/// <summary>
/// Reads cited records back from the evidence objects on disk, numbered as the loaders number them: lines of a text object
/// (gunzipped when .gz, header lines included), events of a CloudWatch JSON export, rows of a Parquet object (from 1). Each
/// is parsed with <see cref="FlowRecordParser"/> in the layout the loader used: the object's last header line before it,
/// else the layout the manifest recorded; a Parquet row in its schema's field names, as <c>ParquetFlowReader</c> maps them.
/// </summary>
public sealed class EvidenceRecords(string folder, CaseStore store)
{
    readonly Dictionary<string, string[]> lines = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> hashes = new(StringComparer.Ordinal);

    /// <summary>The object's path on disk.</summary>
    public string PathOf(string evidenceObject) => Path.IsPathRooted(evidenceObject) ? evidenceObject : Path.Combine(folder, evidenceObject);

    /// <summary>SHA-256 of the object's bytes on disk (lower-case hex, as the manifest gives it).</summary>
    public string Sha256(string evidenceObject)
    {
        var path = PathOf(evidenceObject);
        if (!hashes.TryGetValue(path, out var h))
            hashes[path] = h = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        return h;
    }

    /// <summary>Record <paramref name="line"/> of the object, parsed; an exception says why it could not be read or parsed.</summary>
    public EvidenceRecord Read(string evidenceObject, long line)
    {
        var path = PathOf(evidenceObject);
        if (path.EndsWith(".parquet", StringComparison.Ordinal)) return ParquetRow(path, line);
        var all = Lines(path);
        if (line < 1 || line > all.Length) throw new InvalidDataException($"{evidenceObject} has no line {line} ({all.Length} lines).");
        var text = all[line - 1];
        var header = all.Take((int)line - 1).LastOrDefault(l => FlowLogFormat.IsHeaderLine(Encoding.UTF8.GetBytes(l)));
        var format = header is not null ? FlowLogFormat.FromHeader(Encoding.UTF8.GetBytes(header))
            : FlowLogFormat.Parse(ManifestFormat(evidenceObject), "manifest");
        return Parse(text, format);
    }

    /// <summary>The layout the manifest recorded for the object (its field names).</summary>
    string ManifestFormat(string evidenceObject) =>
        store.Query("SELECT format FROM evidence WHERE object = $1", [evidenceObject]).Rows.Single()[0] as string
        ?? throw new InvalidDataException($"{evidenceObject}: no layout in the manifest.");

    string[] Lines(string path)
    {
        if (lines.TryGetValue(path, out var cached)) return cached;
        return lines[path] = ReadLines(path);
    }

    /// <summary>Records as the engine numbers them: lines of a text object, events of a CloudWatch JSON export.</summary>
    public static string[] ReadLines(string path)
    {
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
            return [.. doc.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!.TrimEnd('\n', '\r'))];
        }
        using var file = File.OpenRead(path);
        using var text = new StreamReader(path.EndsWith(".gz", StringComparison.Ordinal) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : file);
        return text.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    EvidenceRecord ParquetRow(string path, long line)
    {
        var t = store.Query("SELECT * EXCLUDE (file_row_number) FROM read_parquet($1, file_row_number = true) WHERE file_row_number = $2", [path, line - 1]);
        var row = t.Rows.Count == 1 ? t.Rows[0] : throw new InvalidDataException($"{path} has no row {line}.");
        var names = t.Columns.Select(c => FieldCatalog.Resolve(c is "start" or "end" ? c : c.Replace('_', '-')).Name);
        var text = string.Join(' ', row.Select(v => v switch
        {
            null => "-",
            DateTime d => ((long)(d - DateTime.UnixEpoch).TotalSeconds).ToString(CultureInfo.InvariantCulture),
            _ => Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s ? s : "-",
        }));
        return Parse(text, FlowLogFormat.Parse(string.Join(' ', names), "Parquet schema"));
    }

    static EvidenceRecord Parse(string text, FlowLogFormat format)
    {
        var parser = new FlowRecordParser();
        var batch = new ColumnBatch(format, capacity: 1);
        if (!parser.TryAppend(Encoding.UTF8.GetBytes(text), batch, out var error)) throw new InvalidDataException($"'{text}': {error}");
        ColumnBuffer? Column(string field)
        {
            for (var i = 0; i < format.Fields.Count; i++)
                if (format.Fields[i].Name == field) return batch.FieldColumns[i];
            return null;
        }
        string? Str(string field) => Column(field) switch
        {
            AddressColumn a => a.TextCodes[0] == 0 ? null : parser.Dictionary.Text(a.TextCodes[0]),
            TextColumn x => x.Codes[0] == 0 ? null : parser.Dictionary.Text(x.Codes[0]),
            _ => null,
        };
        int? Int(string field) => Column(field) is Int32Column c ? c[0] : null;
        DateTime? Time(string field) => Column(field) is TimeColumn c && c[0] is { } us ? DateTime.UnixEpoch.AddTicks(us * 10) : null;
        return new EvidenceRecord(text, Str("interface-id"), Str("srcaddr"), Str("dstaddr"), Str("pkt-srcaddr"), Str("pkt-dstaddr"),
            Int("srcport"), Int("dstport"), Int("protocol"), Int("tcp-flags"), Time("start"), Time("end"), Str("action"), Str("log-status"));
    }
}
