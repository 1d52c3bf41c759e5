using Amazon.Runtime;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.Tests.Acquisition;

/// <summary>Profiles, regions and endpoint overrides resolved the AWS way, from temp shared files with fake keys.</summary>
public sealed class CredentialsTests : IDisposable
{
    readonly TempDir dir = new();
    readonly Dictionary<string, string> env = [];

    public CredentialsTests()
    {
        File.WriteAllText(dir.File("config"), """
            [default]
            region = ap-southeast-2

            [profile base]
            region = eu-west-1

            [profile responder]
            role_arn = arn:aws:iam::999988887777:role/IncidentResponse
            source_profile = base
            external_id = case-2026-0042
            role_session_name = flownb-collect
            region = us-west-2
            endpoint_url = http://127.0.0.1:9000

            [profile sso-legacy]
            sso_start_url = https://example.awsapps.com/start
            sso_region = us-east-1
            sso_account_id = 999988887777
            sso_role_name = ReadOnly

            [profile sso-session]
            sso_session = corp
            sso_account_id = 999988887777
            sso_role_name = SecurityAudit
            services = local-s3

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = eu-central-1
            sso_registration_scopes = sso:account:access

            [services local-s3]
            s3 =
              endpoint_url = http://127.0.0.1:9100
            ec2 =
              endpoint_url = http://127.0.0.1:9200
            """);
        File.WriteAllText(dir.File("credentials"), """
            [base]
            aws_access_key_id = AKIDBASEEXAMPLE
            aws_secret_access_key = base-secret   # rotated 2026-01 (an inline comment, after whitespace)

            [temporary]
            aws_access_key_id = ASIATEMPEXAMPLE
            aws_secret_access_key = temp-secret
            aws_session_token = temp-token
            """);
    }

    AwsSettings Settings(string? profile, string? region = null) => new()
    {
        Profile = profile, Region = region, ConfigFile = dir.File("config"), CredentialsFile = dir.File("credentials"), Environment = env.GetValueOrDefault,
    };

    [Fact]
    public void Static_and_session_keys_come_from_the_credentials_file()
    {
        var basic = AwsProfiles.ResolveCredentials(Settings("base")).GetCredentials();
        Assert.Equal(("AKIDBASEEXAMPLE", "base-secret", false), (basic.AccessKey, basic.SecretKey, basic.UseToken));
        var session = AwsProfiles.ResolveCredentials(Settings("temporary")).GetCredentials();
        Assert.Equal(("ASIATEMPEXAMPLE", "temp-token"), (session.AccessKey, session.Token));
    }

    [Fact]
    public void Assume_role_profiles_carry_the_external_id_and_source_profile()
    {
        var creds = Assert.IsType<AssumeRoleAWSCredentials>(AwsProfiles.ResolveCredentials(Settings("responder")));
        Assert.Equal("arn:aws:iam::999988887777:role/IncidentResponse", creds.RoleArn);
        Assert.Equal("case-2026-0042", creds.Options.ExternalId);
        Assert.Equal("flownb-collect", creds.RoleSessionName);
        Assert.Equal("AKIDBASEEXAMPLE", Assert.IsType<BasicAWSCredentials>(creds.SourceCredentials).GetCredentials().AccessKey);
    }

    [Fact]
    public void A_role_given_as_an_option_is_assumed_with_the_profiles_keys_and_external_id()
    {
        var creds = Assert.IsType<AssumeRoleAWSCredentials>(AwsProfiles.ResolveCredentials(
            Settings("base") with { RoleArn = "arn:aws:iam::444455556666:role/Forensics", ExternalId = "ir-77" }));
        Assert.Equal(("arn:aws:iam::444455556666:role/Forensics", "ir-77", "flownb-acquisition"), (creds.RoleArn, creds.Options.ExternalId, creds.RoleSessionName));
        Assert.Equal("AKIDBASEEXAMPLE", Assert.IsType<BasicAWSCredentials>(creds.SourceCredentials).GetCredentials().AccessKey);
        var ex = Assert.Throws<AwsAcquisitionException>(() => AwsProfiles.ResolveCredentials(Settings("base") with { ExternalId = "ir-77" }));
        Assert.Contains("--role-arn", ex.Message);
    }

    [Fact]
    public void Sso_profiles_legacy_and_sso_session_resolve_to_sso_credentials()
    {
        var legacy = Assert.IsType<SSOAWSCredentials>(AwsProfiles.ResolveCredentials(Settings("sso-legacy")));
        Assert.Equal(("999988887777", "ReadOnly", "https://example.awsapps.com/start", "us-east-1"), (legacy.AccountId, legacy.RoleName, legacy.StartUrl, legacy.Region));
        var session = Assert.IsType<SSOAWSCredentials>(AwsProfiles.ResolveCredentials(Settings("sso-session")));
        Assert.Equal(("SecurityAudit", "https://corp.awsapps.com/start", "eu-central-1", "corp"), (session.RoleName, session.StartUrl, session.Region, session.Options.SessionName));
    }

    [Fact]
    public void A_missing_profile_is_a_clear_error_naming_the_files()
    {
        var ex = Assert.Throws<AwsAcquisitionException>(() => AwsProfiles.ResolveCredentials(Settings("nope")));
        Assert.Contains("'nope'", ex.Message);
        Assert.Contains(dir.File("config"), ex.Message);
    }

    [Fact]
    public void AWS_PROFILE_picks_the_profile_when_none_is_given()
    {
        env["AWS_PROFILE"] = "base";
        Assert.Equal("AKIDBASEEXAMPLE", AwsProfiles.ResolveCredentials(Settings(null)).GetCredentials().AccessKey);
        Assert.Equal("eu-west-1", Settings(null).ResolveRegion());
    }

    [Fact]
    public void Region_is_explicit_then_environment_then_profile_then_default_profile_then_us_east_1()
    {
        Assert.Equal("sa-east-1", Settings("responder", "sa-east-1").ResolveRegion());
        Assert.Equal("us-west-2", Settings("responder").ResolveRegion());
        Assert.Equal("ap-southeast-2", Settings(null).ResolveRegion());
        Assert.Equal("us-east-1", Settings("sso-legacy").ResolveRegion());
        env["AWS_DEFAULT_REGION"] = "ca-central-1";
        Assert.Equal("ca-central-1", Settings("responder").ResolveRegion());
        env["AWS_REGION"] = "eu-north-1";
        Assert.Equal("eu-north-1", Settings("responder").ResolveRegion());
    }

    [Fact]
    public void Endpoint_overrides_follow_the_aws_precedence()
    {
        // Nothing configured: AWS's own endpoints.
        Assert.Null(AwsEndpoints.Configured(Settings("base"), AwsService.S3));
        Assert.Equal(new Uri("https://logs.eu-west-1.amazonaws.com/"), AwsEndpoints.CloudWatchLogs(Settings("base"), "eu-west-1"));
        Assert.Equal(new Uri("https://logs.cn-north-1.amazonaws.com.cn/"), AwsEndpoints.CloudWatchLogs(Settings("base"), "cn-north-1"));
        // Profile endpoint_url applies to every service; a services section is per service.
        Assert.Equal(new Uri("http://127.0.0.1:9000"), AwsEndpoints.Configured(Settings("responder"), AwsService.CloudWatchLogs));
        Assert.Equal(new Uri("http://127.0.0.1:9100"), AwsEndpoints.Configured(Settings("sso-session"), AwsService.S3));
        Assert.Equal(new Uri("http://127.0.0.1:9200"), AwsEndpoints.Configured(Settings("sso-session"), AwsService.Ec2));
        Assert.Null(AwsEndpoints.Configured(Settings("sso-session"), AwsService.CloudWatchLogs));
        // The environment beats the files; the service-specific variable beats the global one.
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9300";
        Assert.Equal(new Uri("http://127.0.0.1:9300"), AwsEndpoints.Configured(Settings("sso-session"), AwsService.S3));
        env["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9400";
        Assert.Equal(new Uri("http://127.0.0.1:9400"), AwsEndpoints.Configured(Settings("sso-session"), AwsService.S3));
        Assert.Equal(new Uri("http://127.0.0.1:9300"), AwsEndpoints.Configured(Settings("sso-session"), AwsService.Ec2));
        // And all of it can be switched off.
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
        Assert.Null(AwsEndpoints.Configured(Settings("sso-session"), AwsService.S3));
    }

    [Fact]
    public void Retry_policy_backs_off_exponentially_with_full_jitter_up_to_the_cap()
    {
        var max = new AwsRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(2), Random = () => 0.999999 };
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000], Enumerable.Range(1, 7).Select(i => (int)Math.Round(max.Delay(i).TotalMilliseconds)));
        var min = max with { Random = () => 0 };
        Assert.All(Enumerable.Range(1, 7), i => Assert.Equal(TimeSpan.Zero, min.Delay(i)));
    }

    [Fact]
    public void Errors_are_sorted_into_retryable_and_final()
    {
        Assert.True(AwsErrors.IsRetryable(new AwsCallException(System.Net.HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded")));
        Assert.True(AwsErrors.IsRetryable(new AwsCallException(System.Net.HttpStatusCode.ServiceUnavailable, "ServiceUnavailableException", "")));
        Assert.True(AwsErrors.IsRetryable(new IOException("reset", new System.Net.Sockets.SocketException(104))));
        Assert.False(AwsErrors.IsRetryable(new AwsCallException(System.Net.HttpStatusCode.BadRequest, "ExpiredTokenException", "expired")));
        Assert.False(AwsErrors.IsRetryable(new AwsCallException(System.Net.HttpStatusCode.BadRequest, "ResourceNotFoundException", "no group")));
        Assert.True(AwsErrors.IsExpiredCredentials(new Amazon.S3.AmazonS3Exception("x") { ErrorCode = "ExpiredToken" }));
    }

    public void Dispose() => dir.Dispose();
}
