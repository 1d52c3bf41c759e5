using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Web;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// An S3 REST endpoint on 127.0.0.1 (path-style, XML answers as AWS documents them) for the calls s3rver does not serve:
/// GetBucketVersioning, GetBucketLifecycleConfiguration (or NoSuchLifecycleConfiguration), ListObjectVersions with
/// versions and delete markers, plus ListObjectsV2 (prefix, delimiter) over the current objects and GetObject (also by
/// versionId). Keys are served as stored, including ones no delivery writes (<c>..</c> segments): the stand-in for a
/// bucket an attacker can write to.
/// </summary>
public sealed class FakeS3Bucket : LoopbackHttpServer
{
    const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>One version of an object, or a delete marker (<see cref="Bytes"/> null).</summary>
    public sealed record Version(string Key, string VersionId, DateTime LastModified, byte[]? Bytes, string StorageClass = "STANDARD")
    {
        public bool DeleteMarker => Bytes is null;
        public string ETag => Bytes is null ? "" : Convert.ToHexStringLower(MD5.HashData(Bytes));
    }

    readonly List<Version> versions = [];
    readonly List<string> requests = [];

    public FakeS3Bucket(string bucket, string? versioning, string? lifecycleXml)
    {
        Bucket = bucket;
        Versioning = versioning;
        LifecycleXml = lifecycleXml;
        Start();
    }

    public string Bucket { get; }
    /// <summary>"Enabled", "Suspended" or null (never enabled).</summary>
    public string? Versioning { get; }
    /// <summary>The &lt;Rule&gt; elements of the lifecycle configuration, or null for none.</summary>
    public string? LifecycleXml { get; }

    public IReadOnlyList<string> Requests { get { lock (requests) return requests.ToList(); } }

    public void Put(Version v)
    {
        lock (versions) versions.Add(v);
    }

    /// <summary>Latest version of each key (ordered by time), null for a key whose latest is a delete marker.</summary>
    IEnumerable<Version> Current()
    {
        lock (versions)
            return versions.GroupBy(v => v.Key).Select(g => g.MaxBy(v => v.LastModified)!).Where(v => !v.DeleteMarker).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
    }

    protected override Task HandleAsync(HttpListenerContext ctx)
    {
        var raw = ctx.Request.RawUrl ?? "/";
        lock (requests) requests.Add($"{ctx.Request.HttpMethod} {raw}");
        var q = raw.IndexOf('?');
        var path = q < 0 ? raw : raw[..q];
        var query = HttpUtility.ParseQueryString(q < 0 ? "" : raw[(q + 1)..]);
        var keys = query.AllKeys.Select(k => k ?? query[null] ?? "").ToHashSet();
        var prefix = $"/{Bucket}";
        if (ctx.Request.Headers["Authorization"] is null) return Reply(ctx, 403, Error("AccessDenied", "Anonymous access is not allowed"));
        if (path == prefix || path == prefix + "/")
        {
            if (keys.Contains("versioning"))
                return Reply(ctx, 200, $"<VersioningConfiguration xmlns=\"{Ns}\">{(Versioning is null ? "" : $"<Status>{Versioning}</Status>")}</VersioningConfiguration>");
            if (keys.Contains("lifecycle"))
                return LifecycleXml is null
                    ? Reply(ctx, 404, Error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"))
                    : Reply(ctx, 200, $"<LifecycleConfiguration xmlns=\"{Ns}\">{LifecycleXml}</LifecycleConfiguration>");
            if (keys.Contains("versions")) return Reply(ctx, 200, ListVersions(query["prefix"] ?? ""));
            if (query["list-type"] == "2") return Reply(ctx, 200, ListV2(query["prefix"] ?? "", query["delimiter"]));
            return Reply(ctx, 400, Error("InvalidRequest", "unsupported bucket call"));
        }
        if (!path.StartsWith(prefix + "/", StringComparison.Ordinal)) return Reply(ctx, 404, Error("NoSuchBucket", "The specified bucket does not exist"));
        var key = Uri.UnescapeDataString(path[(prefix.Length + 1)..]);
        Version? v;
        lock (versions)
        {
            var candidates = versions.Where(x => x.Key == key || Normalised(x.Key) == key).ToList();
            v = query["versionId"] is { } id ? candidates.FirstOrDefault(x => x.VersionId == id) : candidates.MaxBy(x => x.LastModified);
        }
        if (v is null || v.DeleteMarker) return Reply(ctx, 404, Error("NoSuchKey", "The specified key does not exist."));
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "binary/octet-stream";
        ctx.Response.Headers["ETag"] = $"\"{v.ETag}\"";
        ctx.Response.Headers["Last-Modified"] = v.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (Versioning is not null) ctx.Response.Headers["x-amz-version-id"] = v.VersionId;
        ctx.Response.ContentLength64 = v.Bytes!.Length;
        ctx.Response.OutputStream.Write(v.Bytes);
        ctx.Response.Close();
        return Task.CompletedTask;
    }

    /// <summary>A key as it arrives when the client's URL handling resolved its dot segments.</summary>
    static string Normalised(string key) => Uri.UnescapeDataString(new Uri(new Uri("http://h/b/"), key).AbsolutePath)["/b/".Length..];

    string ListV2(string prefix, string? delimiter)
    {
        var sb = new StringBuilder($"<ListBucketResult xmlns=\"{Ns}\"><Name>{Bucket}</Name><Prefix>{Esc(prefix)}</Prefix>");
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        var contents = new StringBuilder();
        var count = 0;
        foreach (var v in Current().Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var rest = v.Key[prefix.Length..];
            var cut = string.IsNullOrEmpty(delimiter) ? -1 : rest.IndexOf(delimiter, StringComparison.Ordinal);
            if (cut >= 0)
            {
                folders.Add(prefix + rest[..(cut + delimiter!.Length)]);
                continue;
            }
            count++;
            contents.Append(CultureInfo.InvariantCulture,
                $"<Contents><Key>{Esc(v.Key)}</Key><LastModified>{Iso(v.LastModified)}</LastModified><ETag>\"{v.ETag}\"</ETag><Size>{v.Bytes!.Length}</Size><StorageClass>{v.StorageClass}</StorageClass></Contents>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<KeyCount>{count + folders.Count}</KeyCount><MaxKeys>1000</MaxKeys>");
        if (!string.IsNullOrEmpty(delimiter)) sb.Append(CultureInfo.InvariantCulture, $"<Delimiter>{Esc(delimiter)}</Delimiter>");
        sb.Append("<IsTruncated>false</IsTruncated>").Append(contents);
        foreach (var f in folders) sb.Append(CultureInfo.InvariantCulture, $"<CommonPrefixes><Prefix>{Esc(f)}</Prefix></CommonPrefixes>");
        return sb.Append("</ListBucketResult>").ToString();
    }

    string ListVersions(string prefix)
    {
        var sb = new StringBuilder($"<ListVersionsResult xmlns=\"{Ns}\"><Name>{Bucket}</Name><Prefix>{Esc(prefix)}</Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
        List<Version> all;
        lock (versions) all = versions.Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        // AWS lists by key, newest version first; IsLatest marks the newest of each key.
        foreach (var g in all.GroupBy(v => v.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var newest = g.MaxBy(v => v.LastModified)!;
            foreach (var v in g.OrderByDescending(v => v.LastModified))
            {
                var latest = ReferenceEquals(v, newest) ? "true" : "false";
                sb.Append(v.DeleteMarker
                    ? $"<DeleteMarker><Owner><ID>owner</ID></Owner><Key>{Esc(v.Key)}</Key><VersionId>{v.VersionId}</VersionId><IsLatest>{latest}</IsLatest><LastModified>{Iso(v.LastModified)}</LastModified></DeleteMarker>"
                    : string.Create(CultureInfo.InvariantCulture, $"<Version><Key>{Esc(v.Key)}</Key><VersionId>{v.VersionId}</VersionId><IsLatest>{latest}</IsLatest><LastModified>{Iso(v.LastModified)}</LastModified><ETag>\"{v.ETag}\"</ETag><Size>{v.Bytes!.Length}</Size><Owner><ID>owner</ID></Owner><StorageClass>{v.StorageClass}</StorageClass></Version>"));
            }
        }
        return sb.Append("</ListVersionsResult>").ToString();
    }

    static string Error(string code, string message) =>
        $"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>loopback</HostId></Error>";

    static string Iso(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    static string Esc(string s) => System.Security.SecurityElement.Escape(s);

    static Task Reply(HttpListenerContext ctx, int status, string xml)
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/xml";
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes);
        ctx.Response.Close();
        return Task.CompletedTask;
    }
}
