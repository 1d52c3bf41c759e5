namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// Where AWS access comes from for one account/region: a named profile (or the default chain), a region, the shared
/// config files, and the process environment. Everything defaults to what the AWS CLI would use, so an analyst's
/// existing <c>~/.aws</c> setup works unchanged; tests point the files and environment at temp copies.
/// </summary>
public sealed record AwsSettings
{
    /// <summary>Named profile in ~/.aws/config or ~/.aws/credentials; null = AWS_PROFILE, then the default chain.</summary>
    public string? Profile { get; init; }

    /// <summary>Region; null = AWS_REGION / AWS_DEFAULT_REGION, then the profile's region, then us-east-1.</summary>
    public string? Region { get; init; }

    /// <summary>Role to assume with the profile's (or default chain's) credentials; null = use them as they are.</summary>
    public string? RoleArn { get; init; }

    /// <summary>External id the role's trust policy asks for (only with <see cref="RoleArn"/>).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Session name of the assumed role (shows in the account's CloudTrail).</summary>
    public string RoleSessionName { get; init; } = "flownb-acquisition";

    /// <summary>Shared credentials file; null = AWS_SHARED_CREDENTIALS_FILE, then ~/.aws/credentials.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>Shared config file; null = AWS_CONFIG_FILE, then ~/.aws/config.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Reads an environment variable (tests substitute a dictionary; the default is the process environment).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// Wraps the HTTP handler every AWS call goes through. Tests use it to count list calls and inject faults; it is
    /// not for production use (nothing here logs requests, which would risk leaking signatures).
    /// </summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? WrapHandler { get; init; }

    /// <summary>Retries of throttled, 5xx and broken-connection calls.</summary>
    public AwsRetryPolicy Retry { get; init; } = AwsRetryPolicy.Default;

    /// <summary>Per-call HTTP timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The region in force: explicit, environment, profile, then us-east-1.</summary>
    public string ResolveRegion() => AwsProfiles.ResolveRegion(this);

    /// <summary>The profile in force (explicit, then AWS_PROFILE), or null for the default chain.</summary>
    public string? EffectiveProfile => Profile ?? NonEmpty(Environment("AWS_PROFILE"));

    internal string EffectiveCredentialsFile =>
        CredentialsFile ?? NonEmpty(Environment("AWS_SHARED_CREDENTIALS_FILE")) ?? Path.Combine(Home, ".aws", "credentials");

    internal string EffectiveConfigFile =>
        ConfigFile ?? NonEmpty(Environment("AWS_CONFIG_FILE")) ?? Path.Combine(Home, ".aws", "config");

    static string Home => System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    internal static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
