using System.CommandLine;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.Cli;

/// <summary>The AWS options <c>collect</c> and <c>ingest s3://…</c> share.</summary>
internal sealed class AwsOptions
{
    public Option<string[]> Profile { get; } = new("--profile")
    {
        Description = "AWS profile from ~/.aws/config or credentials (repeatable: one run per profile, e.g. one per account). Default: AWS_PROFILE, then the default chain.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Account { get; } = new("--account") { Description = "Only these accounts' AWSLogs/ folders (S3; repeatable)." };

    public Option<string[]> Region { get; } = new("--region")
    {
        Description = "S3: only these regions' folders under AWSLogs/. CloudWatch and EC2: the regions to query (repeatable). Default: AWS_REGION, the profile's region, us-east-1.",
    };

    public Option<string?> BucketRegion { get; } = new("--bucket-region") { Description = "Region of the S3 bucket when it is not the profile's." };

    public Option<DateTime?> From { get; } = new("--from") { Description = "Window start, UTC (e.g. 2026-03-10T10:00:00Z)." };

    public Option<DateTime?> To { get; } = new("--to") { Description = "Window end, UTC, exclusive." };

    public Option<string?> RoleArn { get; } = new("--role-arn") { Description = "Role to assume with each profile's credentials (e.g. a forensics role in the affected account)." };

    public Option<string?> ExternalId { get; } = new("--external-id") { Description = "External id the role's trust policy asks for (with --role-arn)." };

    public IEnumerable<Option> All => [Profile, Account, Region, BucketRegion, From, To, RoleArn, ExternalId];

    /// <summary>The engine's view of these options.</summary>
    public AwsAccess Access(ParseResult parse) => new()
    {
        Profiles = parse.GetValue(Profile) ?? [],
        RoleArn = parse.GetValue(RoleArn),
        ExternalId = parse.GetValue(ExternalId),
        Regions = parse.GetValue(Region) ?? [],
        Accounts = parse.GetValue(Account) ?? [],
        BucketRegion = parse.GetValue(BucketRegion),
    };

    public DateTime? FromUtc(ParseResult parse) => Utc(parse.GetValue(From));

    public DateTime? ToUtc(ParseResult parse) => Utc(parse.GetValue(To));

    static DateTime? Utc(DateTime? t) => t is { } v ? DateTime.SpecifyKind(v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v, DateTimeKind.Utc) : null;
}

/// <summary>Acquisition progress on stderr, like <see cref="ConsoleProgress"/>.</summary>
internal sealed class AcquisitionConsoleProgress(TextWriter error) : IProgress<AcquisitionProgress>
{
    DateTime lastLine = DateTime.MinValue;
    readonly bool terminal = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);

    public void Report(AcquisitionProgress value)
    {
        lock (this)
        {
            if (terminal) error.Write("\r" + value + "   ");
            else if (DateTime.UtcNow - lastLine > TimeSpan.FromSeconds(5) || value.Finished)
            {
                error.WriteLine(value);
                lastLine = DateTime.UtcNow;
            }
            if (terminal && value.Finished) error.WriteLine();
        }
    }
}
