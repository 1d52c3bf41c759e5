using FlowNotebooks.Formats;
namespace FlowNotebooks.Sources;

/// <summary>One object of evidence: a file or an S3 object, named as the analyst will cite it.</summary>
/// <param name="Name">Path relative to the evidence root (or the S3 key), with '/' separators.</param>
/// <param name="Size">Size in bytes as stored (compressed).</param>
/// <param name="Key">What its key or file name tells.</param>
/// <param name="OpenRead">Opens the raw bytes, read-only.</param>
public sealed record EvidenceObject(string Name, long Size, KeyMetadata Key, Func<Stream> OpenRead)
{
    /// <summary>
    /// Called once the loader is done with the object (loaded, skipped as a duplicate, or failed): sources that fetch
    /// bytes on demand (S3 stream mode spools each object to a temp file) free them here, which bounds their disk use.
    /// </summary>
    public Action? Release { get; init; }

    /// <summary>The local file, when the object is one (a custody record checks the manifest beside it).</summary>
    public string? LocalPath { get; init; }

    /// <summary>
    /// The path whose folders say what the object is (the log group of a CloudWatch page or export, an export's log
    /// stream): a local file's own path, since a file passed alone is named by its file name only; else the name. Read
    /// to interpret the object, never stored (no machine path enters a case).
    /// </summary>
    public string FiledAs => (LocalPath ?? Name).Replace('\\', '/');

    /// <summary>An object for a local file, opened read-only with shared read access.</summary>
    public static EvidenceObject ForFile(string path, string name) =>
        new(name, new FileInfo(path).Length, S3KeyLayout.Parse(name),
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan)) { LocalPath = path };
}
