namespace FlowNotebooks.Sources.Aws;

/// <summary>An <c>s3://bucket/prefix</c> location.</summary>
public sealed record S3Location(string Bucket, string Prefix)
{
    public static bool IsS3Uri(string s) => s.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    public static S3Location Parse(string uri)
    {
        if (!IsS3Uri(uri)) throw new FormatException($"Not an s3:// URI: '{uri}'.");
        var rest = uri[5..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0) throw new FormatException($"No bucket in '{uri}'.");
        return new S3Location(bucket, slash < 0 ? "" : rest[(slash + 1)..]);
    }

    public override string ToString() => $"s3://{Bucket}/{Prefix}";
}
