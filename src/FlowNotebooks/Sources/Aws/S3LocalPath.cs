using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlowNotebooks.Sources.Aws;

/// <summary>Where an S3 object lands in the evidence folder, and why it was set aside when it cannot land at its key.</summary>
/// <param name="Relative">Path under the evidence folder.</param>
/// <param name="Planted">Null for a key that maps to a plain relative path; else why it does not (the object is kept
/// under an escaped name the loader does not read).</param>
public sealed record S3LocalPath(string Relative, string? Planted)
{
    /// <summary>Folder (under the bucket's) of objects whose keys cannot be local paths.</summary>
    public const string PlantedFolder = "_planted-keys";

    /// <summary>Extension of a set-aside object: not an evidence file type, so a folder load skips it.</summary>
    public const string PlantedExtension = ".planted";

    /// <summary>
    /// <c>BUCKET/KEY</c> when every segment of the key is a plain name; otherwise (a <c>..</c> or <c>.</c> segment, an
    /// empty segment, a leading '/') <c>BUCKET/_planted-keys/HASH_ESCAPED.planted</c>: one file name with every '/', '.'
    /// and '%' escaped, so nothing is ever written outside the folder. Only a writer to the bucket, never AWS's delivery,
    /// makes such a key, and refusing it would let one planted object stop the whole collection.
    /// </summary>
    public static S3LocalPath For(string bucket, string key)
    {
        var segments = key.Split('/');
        string? why = null;
        if (key.StartsWith('/')) why = "the key starts with '/'";
        else if (segments.Any(s => s is ".." or ".")) why = "the key has a '.' or '..' segment";
        else if (segments.Any(s => s.Length == 0)) why = "the key has an empty segment";
        else if (segments.Any(s => s.IndexOfAny(['\\', '\0', ':']) >= 0)) why = "the key has a character that is a separator on some file systems";
        if (why is null) return new S3LocalPath(Path.Combine([bucket, .. segments]), null);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var escaped = new StringBuilder();
        foreach (var c in key.Length > 120 ? key[..120] : key)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_') escaped.Append(c);
            else escaped.Append(CultureInfo.InvariantCulture, $"%{(int)c:X2}");
        }
        return new S3LocalPath(Path.Combine(bucket, PlantedFolder, $"{hash}_{escaped}{PlantedExtension}"), why);
    }
}
