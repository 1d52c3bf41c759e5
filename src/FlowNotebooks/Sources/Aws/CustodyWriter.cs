using System.Security.Cryptography;

namespace FlowNotebooks.Sources.Aws;

/// <summary>Keeps an evidence folder's <see cref="CustodyRecord"/> up to date after each collection.</summary>
public static class CustodyWriter
{
    /// <summary>Adds a run to the folder's record and rewrites it over the manifest as it now stands.</summary>
    public static CustodyRecord Append(string folder, CustodyRun run)
    {
        var previous = CustodyRecord.Read(folder);
        var manifestPath = Path.Combine(folder, AcquisitionManifest.FileName);
        var bytes = File.Exists(manifestPath) ? File.ReadAllBytes(manifestPath) : [];
        var record = new CustodyRecord
        {
            Runs = [.. previous?.Runs ?? [], run],
            Objects = AcquisitionManifest.Open(folder).Entries.OrderBy(e => e.Source, StringComparer.Ordinal)
                .Select(e => new CustodyObject(e.Source, e.Path, e.VersionId, e.ETag, e.Sha256, e.Suspect)).ToList(),
            ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ManifestLines = bytes.Count(b => b == (byte)'\n'),
        };
        var path = Path.Combine(folder, CustodyRecord.FileName);
        File.WriteAllText(path + ".partial", record.ToJson());
        File.Move(path + ".partial", path, overwrite: true);
        return record;
    }
}
