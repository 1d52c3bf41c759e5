using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowNotebooks.Sources.Aws;

/// <summary>One acquired object as the manifest records it.</summary>
public sealed record ManifestEntry
{
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("etag")] public string? ETag { get; init; }
    [JsonPropertyName("version_id")] public string? VersionId { get; init; }
    [JsonPropertyName("last_modified")] public DateTime? LastModified { get; init; }
    [JsonPropertyName("md5")] public string? Md5 { get; init; }
    [JsonPropertyName("sha256")] public required string Sha256 { get; init; }
    [JsonPropertyName("acquired_at")] public DateTime AcquiredAt { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
    /// <summary>Why the object is suspect: a planted key kept under an escaped name, or a name its folder or write time contradicts.</summary>
    [JsonPropertyName("suspect")] public string? Suspect { get; init; }
    /// <summary>A deleted object's earlier version: when it was deleted (the delete marker's time).</summary>
    [JsonPropertyName("deleted_at")] public DateTime? DeletedAt { get; init; }
}

/// <summary>
/// The acquisition manifest, <c>manifest.jsonl</c> in the evidence folder: one JSON line per object, appended (and
/// flushed to disk) only after the object's file is complete and verified, so the file never names a partial object
/// and a crash loses at most the line being written. A re-run reads it back (the last line for a key wins; a torn
/// last line is ignored) to skip objects whose local copy still hashes to the recorded SHA-256.
/// </summary>
public sealed class AcquisitionManifest
{
    public const string FileName = "manifest.jsonl";
    static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    readonly string path;
    readonly Lock gate = new();
    readonly Dictionary<string, ManifestEntry> entries = new(StringComparer.Ordinal);

    AcquisitionManifest(string path) => this.path = path;

    /// <summary>Opens (or starts) the manifest of an evidence folder.</summary>
    public static AcquisitionManifest Open(string folder)
    {
        Directory.CreateDirectory(folder);
        var m = new AcquisitionManifest(System.IO.Path.Combine(folder, FileName));
        if (File.Exists(m.path))
        {
            foreach (var line in File.ReadLines(m.path))
            {
                if (line.Length == 0) continue;
                try
                {
                    if (JsonSerializer.Deserialize<ManifestEntry>(line, Json) is { } e) m.entries[e.Source] = e;
                }
                catch (JsonException)
                {
                    // A torn line from an interrupted run: that object was not recorded, so it is fetched again.
                }
            }
        }
        return m;
    }

    public IReadOnlyCollection<ManifestEntry> Entries
    {
        get { lock (gate) return entries.Values.ToList(); }
    }

    public ManifestEntry? Find(string source)
    {
        lock (gate) return entries.GetValueOrDefault(source);
    }

    /// <summary>Records a complete, verified object.</summary>
    public void Add(ManifestEntry entry)
    {
        var line = JsonSerializer.Serialize(entry, Json) + "\n";
        lock (gate)
        {
            using (var f = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(line);
                f.Write(bytes);
                f.Flush(flushToDisk: true);
            }
            entries[entry.Source] = entry;
        }
    }
}
