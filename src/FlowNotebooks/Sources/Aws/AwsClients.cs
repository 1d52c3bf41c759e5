using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// SDK clients built from <see cref="AwsSettings"/>: credentials from <see cref="AwsProfiles"/>, endpoint overrides from
/// <see cref="AwsEndpoints"/> (path-style addressing for S3-compatible stores), the SDK's own retries off so that
/// <see cref="AwsRetryPolicy"/> alone retries and counts throttles for progress.
/// </summary>
public static class AwsClients
{
    public static IAmazonS3 S3(AwsSettings settings, string region)
    {
        var config = new AmazonS3Config
        {
            MaxErrorRetry = 0,
            Timeout = settings.Timeout,
            // Only when an operation needs one: S3-compatible stores do not all speak the newer flexible checksums, and we
            // verify every object ourselves (size, MD5 against a simple ETag, SHA-256 in the manifest).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (AwsEndpoints.Configured(settings, AwsService.S3) is { } url)
        {
            config.ServiceURL = url.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        if (settings.WrapHandler is { } wrap) config.HttpClientFactory = new WrappingHttpClientFactory(wrap);
        return new AmazonS3Client(AwsProfiles.ResolveCredentials(settings), config);
    }

    public static Amazon.EC2.IAmazonEC2 Ec2(AwsSettings settings, string region)
    {
        var config = new Amazon.EC2.AmazonEC2Config { MaxErrorRetry = 0, Timeout = settings.Timeout };
        if (AwsEndpoints.Configured(settings, AwsService.Ec2) is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = region;
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        if (settings.WrapHandler is { } wrap) config.HttpClientFactory = new WrappingHttpClientFactory(wrap);
        return new Amazon.EC2.AmazonEC2Client(AwsProfiles.ResolveCredentials(settings), config);
    }

    /// <summary>An HttpClient whose handler the settings wrap (test instrumentation).</summary>
    internal static HttpClient Http(AwsSettings settings)
    {
        HttpMessageHandler handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = System.Net.DecompressionMethods.None };
        if (settings.WrapHandler is { } wrap) handler = wrap(handler);
        return new HttpClient(handler) { Timeout = settings.Timeout };
    }

    /// <summary>Lets the SDK send through a wrapped handler; one HttpClient per SDK client, disposed with it.</summary>
    sealed class WrappingHttpClientFactory(Func<HttpMessageHandler, HttpMessageHandler> wrap) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var inner = new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None };
            return new HttpClient(wrap(inner)) { Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100) };
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;
    }
}
