using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace FlowNotebooks.Sources.Aws;

/// <summary>What one verified download produced.</summary>
public sealed record S3Downloaded(long Size, string Sha256, string Md5, string ETag, string? VersionId, DateTime? LastModified);

/// <summary>
/// Downloads one object to a file: bytes go to <c>FILE.partial</c> while SHA-256 and MD5 are computed, the size must
/// equal the announced length and, for a single-part ETag (32 hex digits), the MD5 must equal the ETag; only then is
/// the file renamed into place. A broken connection or a failed check retries the whole object; a failure that ends
/// the attempt removes the partial file, so a file at the final path is always a complete, verified copy.
/// </summary>
public static class S3Downloader
{
    public static async Task<S3Downloaded> DownloadAsync(IAmazonS3 s3, S3Listed obj, string path, AwsRetryPolicy retry,
        Action<Exception>? onRetry, Action<long>? onBytes, CancellationToken cancel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var partial = path + ".partial";
        try
        {
            var result = await retry.RunAsync(c => AttemptAsync(s3, obj, partial, onBytes, c), onRetry, cancel);
            File.Move(partial, path, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    static async Task<S3Downloaded> AttemptAsync(IAmazonS3 s3, S3Listed obj, string partial, Action<long>? onBytes, CancellationToken cancel)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = obj.Bucket, Key = obj.Key, VersionId = obj.VersionId }, cancel);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        long total = 0;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        await using (var body = response.ResponseStream)
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buffer, cancel)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                md5.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), cancel);
                total += n;
                onBytes?.Invoke(n);
            }
            await file.FlushAsync(cancel);
            file.Flush(flushToDisk: true);
        }
        var etag = (response.ETag ?? obj.ETag).Trim('"');
        var md5Hex = Convert.ToHexStringLower(md5.GetHashAndReset());
        if (response.ContentLength >= 0 && total != response.ContentLength)
            throw new IOException($"s3://{obj.Bucket}/{obj.Key}: got {total:N0} of {response.ContentLength:N0} bytes.");
        if (etag.Length == 32 && etag.All(Uri.IsHexDigit) && !string.Equals(etag, md5Hex, StringComparison.OrdinalIgnoreCase))
            throw new IOException($"s3://{obj.Bucket}/{obj.Key}: MD5 of the bytes received does not match the ETag.");
        return new S3Downloaded(total, Convert.ToHexStringLower(sha.GetHashAndReset()), md5Hex, etag,
            string.IsNullOrEmpty(response.VersionId) || response.VersionId == "null" ? null : response.VersionId,
            response.LastModified?.ToUniversalTime());
    }
}
