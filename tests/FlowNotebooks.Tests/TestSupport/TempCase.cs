using System.IO.Compression;
using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.TestSupport;

/// <summary>A temporary evidence folder and an in-memory case to load it into.</summary>
public sealed class TempCase : IDisposable
{
    public TempCase() => Store = CaseStore.Open();

    public string Dir { get; } = Directory.CreateTempSubdirectory("flownb-test-").FullName;
    public CaseStore Store { get; }

    public string Write(string relative, string text) => Write(relative, Encoding.UTF8.GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteGzip(string relative, string text) => Write(relative, Gzip(Encoding.UTF8.GetBytes(text)));

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal)) gz.Write(data);
        return ms.ToArray();
    }

    public IngestSummary Load(IngestOptions? options = null, params string[] paths) =>
        new EvidenceLoader(Store, options ?? new IngestOptions()).Load(paths.Length == 0 ? [Dir] : paths);

    public QueryResult Query(string sql, params object?[] p) => Store.Query(sql, p);

    public T? Scalar<T>(string sql, params object?[] p) => Store.Scalar<T>(sql, p);

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
