namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>Fetches one S3 object named as Athena names it (<c>"$path"</c>: <c>s3://bucket/key</c>) into a file, hashing it.</summary>
public interface IS3ObjectFetch
{
    /// <summary>Downloads <paramref name="uri"/> to <paramref name="path"/> (verified: size, MD5 against a simple ETag) and
    /// returns its SHA-256 and size.</summary>
    Task<S3Downloaded> FetchAsync(string uri, string path, CancellationToken cancel);
}

/// <summary>
/// The objects behind an Athena finding's sample rows, fetched the way <c>flownb collect</c> fetches evidence
/// (<see cref="S3Downloader"/>: whole object, verified, SHA-256 while writing), with the same credentials and endpoint
/// conventions as the other clients.
/// </summary>
public sealed class AthenaObjectFetch(AwsSettings settings, string? bucketRegion = null) : IS3ObjectFetch, IDisposable
{
    readonly Lazy<Amazon.S3.IAmazonS3> s3 = new(() => AwsClients.S3(settings, bucketRegion ?? settings.ResolveRegion()));

    public async Task<S3Downloaded> FetchAsync(string uri, string path, CancellationToken cancel)
    {
        var location = S3Location.Parse(uri);
        try
        {
            return await S3Downloader.DownloadAsync(s3.Value, new S3Listed(location.Bucket, location.Prefix, -1, "", null), path, settings.Retry, null, null, cancel)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw AwsErrors.Explain(ex, $"Fetching {uri}, cited by a finding", settings);
        }
    }

    public void Dispose()
    {
        if (s3.IsValueCreated) s3.Value.Dispose();
    }
}
