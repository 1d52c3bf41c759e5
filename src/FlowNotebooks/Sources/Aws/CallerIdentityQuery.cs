using Amazon;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace FlowNotebooks.Sources.Aws;

/// <summary>Asks STS GetCallerIdentity for a collection's <see cref="CallerIdentity"/>.</summary>
public static class CallerIdentityQuery
{
    /// <summary>
    /// Asks STS who the credentials are. When the collected service's endpoint is overridden (an S3-compatible store, a
    /// stand-in) and no STS endpoint is configured, AWS's STS is not asked: those credentials belong to the store, and
    /// the record says so instead of naming a principal. A refusal is recorded, never fatal: custody needs the rest.
    /// </summary>
    public static async Task<CallerIdentity> AskAsync(AwsSettings settings, AwsService collected, CancellationToken cancel = default)
    {
        try
        {
            var sts = AwsEndpoints.Configured(settings, AwsService.Sts);
            if (sts is null && AwsEndpoints.Configured(settings, collected) is not null)
                return new CallerIdentity(null, null, null, $"not asked: the {collected.ConfigKey} endpoint is overridden and no STS endpoint is configured");
            var region = settings.ResolveRegion();
            var config = new AmazonSecurityTokenServiceConfig { MaxErrorRetry = 0, Timeout = settings.Timeout };
            if (sts is not null)
            {
                config.ServiceURL = sts.ToString();
                config.AuthenticationRegion = region;
            }
            else config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            using var client = new AmazonSecurityTokenServiceClient(AwsProfiles.ResolveCredentials(settings), config);
            var r = await settings.Retry.RunAsync(c => client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), c), null, cancel);
            return new CallerIdentity(r.Arn, r.Account, r.UserId, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var message = ex is Amazon.Runtime.AmazonServiceException s ? $"{s.ErrorCode}: {s.Message}" : ex.GetType().Name;
            return new CallerIdentity(null, null, null, $"GetCallerIdentity failed: {message}");
        }
    }
}
