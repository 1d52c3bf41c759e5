namespace FlowNotebooks.Sources.Aws;

/// <summary>An AWS service as named by the endpoint-override convention.</summary>
/// <param name="EnvSuffix">The <c>AWS_ENDPOINT_URL_…</c> suffix (service id upper-cased, spaces to '_').</param>
/// <param name="ConfigKey">The key inside a <c>[services NAME]</c> section (service id lower-cased, spaces to '_').</param>
public sealed record AwsService(string EnvSuffix, string ConfigKey)
{
    public static readonly AwsService S3 = new("S3", "s3");
    public static readonly AwsService CloudWatchLogs = new("CLOUDWATCH_LOGS", "cloudwatch_logs");
    public static readonly AwsService Ec2 = new("EC2", "ec2");
    public static readonly AwsService Athena = new("ATHENA", "athena");
    public static readonly AwsService Sts = new("STS", "sts");
}

/// <summary>
/// Endpoint overrides as the AWS CLI and SDKs apply them, so S3-compatible stores and test servers work without
/// code changes. First match wins: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, <c>AWS_ENDPOINT_URL</c>, the profile's
/// <c>services</c> section (<c>s3 =</c> / <c>  endpoint_url = …</c>), the profile's <c>endpoint_url</c>. Turned off by
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c> or the profile's <c>ignore_configured_endpoint_urls = true</c>.
/// </summary>
public static class AwsEndpoints
{
    /// <summary>The configured endpoint for a service, or null to use AWS's own.</summary>
    public static Uri? Configured(AwsSettings settings, AwsService service)
    {
        var files = AwsConfigFiles.Load(settings);
        var profile = files.Profile(settings.EffectiveProfile ?? "default");
        if (IsTrue(settings.Environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
            IsTrue(profile?.GetValueOrDefault("ignore_configured_endpoint_urls")))
            return null;
        var url = AwsSettings.NonEmpty(settings.Environment("AWS_ENDPOINT_URL_" + service.EnvSuffix))
                  ?? AwsSettings.NonEmpty(settings.Environment("AWS_ENDPOINT_URL"))
                  ?? (profile?.GetValueOrDefault("services") is { } s && files.Services(s) is { } section
                      ? AwsSettings.NonEmpty(section.GetValueOrDefault(service.ConfigKey + ".endpoint_url"))
                      : null)
                  ?? AwsSettings.NonEmpty(profile?.GetValueOrDefault("endpoint_url"));
        if (url is null) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new AwsAcquisitionException($"The configured endpoint for {service.ConfigKey} is not an http(s) URL: '{url}'.");
        return uri;
    }

    /// <summary>The CloudWatch Logs endpoint: the configured one, else AWS's regional endpoint.</summary>
    public static Uri CloudWatchLogs(AwsSettings settings, string region) =>
        Configured(settings, AwsService.CloudWatchLogs)
        ?? new Uri(region.StartsWith("cn-", StringComparison.Ordinal) ? $"https://logs.{region}.amazonaws.com.cn/" : $"https://logs.{region}.amazonaws.com/");

    /// <summary>The Athena endpoint: the configured one (<c>AWS_ENDPOINT_URL_ATHENA</c>, …), else AWS's regional endpoint.</summary>
    public static Uri Athena(AwsSettings settings, string region) =>
        Configured(settings, AwsService.Athena)
        ?? new Uri(region.StartsWith("cn-", StringComparison.Ordinal) ? $"https://athena.{region}.amazonaws.com.cn/" : $"https://athena.{region}.amazonaws.com/");

    static bool IsTrue(string? v) => string.Equals(v?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
