using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// Credentials and region the AWS way. A named profile is read from the shared files (AWS_CONFIG_FILE /
/// AWS_SHARED_CREDENTIALS_FILE honoured) and turned into credentials by AWSSDK.Core itself
/// (<see cref="CredentialProfile.GetAWSCredentials(ICredentialProfileSource)"/>): static keys, session tokens,
/// assume-role with <c>source_profile</c> / <c>external_id</c> / <c>mfa_serial</c>, SSO (legacy and <c>sso_session</c>),
/// <c>credential_process</c>, web identity. Without a profile the SDK's default chain runs (environment, default
/// profile, container and instance metadata). Nothing here writes a key, token or secret anywhere.
/// </summary>
public static class AwsProfiles
{
    /// <summary>Resolves credentials for the settings (assuming <see cref="AwsSettings.RoleArn"/> with them when given);
    /// throws <see cref="AwsAcquisitionException"/> with a plain reason when none can be had.</summary>
    public static AWSCredentials ResolveCredentials(AwsSettings settings)
    {
        if (AwsSettings.NonEmpty(settings.ExternalId) is not null && AwsSettings.NonEmpty(settings.RoleArn) is null)
            throw new AwsAcquisitionException("An external id is given without a role to assume: give --role-arn too.");
        var source = SourceCredentials(settings);
        return AwsSettings.NonEmpty(settings.RoleArn) is { } role
            ? new AssumeRoleAWSCredentials(source, role, settings.RoleSessionName,
                new AssumeRoleAWSCredentialsOptions { ExternalId = AwsSettings.NonEmpty(settings.ExternalId) })
            : source;
    }

    /// <summary>The profile's credentials, or the default chain's.</summary>
    static AWSCredentials SourceCredentials(AwsSettings settings)
    {
        var name = settings.EffectiveProfile;
        if (name is null)
        {
            try
            {
                return DefaultAWSCredentialsIdentityResolver.GetCredentials();
            }
            catch (AmazonClientException ex)
            {
                throw new AwsAcquisitionException(
                    "No AWS credentials found (environment, default profile, container or instance role). Give --profile NAME or configure the default profile.", ex);
            }
        }
        var source = new ProfileSource(AwsConfigFiles.Load(settings));
        if (!source.TryGetProfile(name, out var profile))
            throw new AwsAcquisitionException($"AWS profile '{name}' is not in {settings.EffectiveConfigFile} or {settings.EffectiveCredentialsFile}.");
        try
        {
            return profile.GetAWSCredentials(source)
                   ?? throw new AwsAcquisitionException($"AWS profile '{name}' has no usable credentials settings.");
        }
        catch (Exception ex) when (ex is AmazonClientException or InvalidOperationException or ArgumentException)
        {
            // The SDK's message names settings, never their values.
            throw new AwsAcquisitionException($"AWS profile '{name}' cannot give credentials: {ex.Message}", ex);
        }
    }

    /// <summary>Explicit region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then us-east-1.</summary>
    public static string ResolveRegion(AwsSettings settings)
    {
        if (AwsSettings.NonEmpty(settings.Region) is { } r) return r;
        if (AwsSettings.NonEmpty(settings.Environment("AWS_REGION")) is { } e) return e;
        if (AwsSettings.NonEmpty(settings.Environment("AWS_DEFAULT_REGION")) is { } d) return d;
        var files = AwsConfigFiles.Load(settings);
        if (files.Profile(settings.EffectiveProfile ?? "default") is { } p && p.TryGetValue("region", out var pr) && pr.Length > 0) return pr;
        return "us-east-1";
    }

    /// <summary>The profile names the shared files define (for error messages and completion).</summary>
    public static IReadOnlyList<string> ProfileNames(AwsSettings settings) => AwsConfigFiles.Load(settings).ProfileNames.Order(StringComparer.Ordinal).ToList();

    /// <summary>Feeds the SDK the profiles of our parsed files, with an <c>sso_session</c>'s start URL and region filled in.</summary>
    sealed class ProfileSource(AwsConfigFiles files) : ICredentialProfileSource
    {
        public bool TryGetProfile(string profileName, out CredentialProfile profile)
        {
            profile = null!;
            if (files.Profile(profileName) is not { } p) return false;
            string? V(string key) => p.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
            var options = new CredentialProfileOptions
            {
                AccessKey = V("aws_access_key_id"),
                SecretKey = V("aws_secret_access_key"),
                Token = V("aws_session_token"),
                RoleArn = V("role_arn"),
                SourceProfile = V("source_profile"),
                CredentialSource = V("credential_source"),
                ExternalID = V("external_id"),
                RoleSessionName = V("role_session_name"),
                MfaSerial = V("mfa_serial"),
                CredentialProcess = V("credential_process"),
                WebIdentityTokenFile = V("web_identity_token_file"),
                SsoAccountId = V("sso_account_id"),
                SsoRoleName = V("sso_role_name"),
                SsoStartUrl = V("sso_start_url"),
                SsoRegion = V("sso_region"),
                SsoSession = V("sso_session"),
            };
            if (options.SsoSession is { } session && files.SsoSession(session) is { } s)
            {
                options.SsoStartUrl ??= s.GetValueOrDefault("sso_start_url");
                options.SsoRegion ??= s.GetValueOrDefault("sso_region");
                options.SsoRegistrationScopes ??= s.GetValueOrDefault("sso_registration_scopes");
            }
            profile = new CredentialProfile(profileName, options);
            if (V("region") is { } region) profile.Region = Amazon.RegionEndpoint.GetBySystemName(region);
            return true;
        }
    }
}
