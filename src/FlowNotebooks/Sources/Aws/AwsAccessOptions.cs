using FlowNotebooks.Input;

namespace FlowNotebooks.Sources.Aws;

/// <summary>One option of an acquisition, as every face spells it: name (<c>--profile</c>), description, and whether it
/// repeats (repeated values and comma-separated lists both give several).</summary>
public sealed record AcquisitionOption(string Name, string Description, bool Repeatable = false);

/// <summary>
/// The options of an acquisition from AWS, defined once for <c>flownb collect</c>, <c>flownb ingest s3://</c>,
/// <c>#!flow-collect</c> and <c>#!flow-load s3://</c>: the faces declare them from <see cref="All"/> and
/// <see cref="Window"/> and hand the given text to <see cref="Access"/> and <see cref="ReadWindow"/>, so names,
/// descriptions and parsing cannot drift apart.
/// </summary>
public static class AwsAccessOptions
{
    public static readonly AcquisitionOption Profile = new("--profile",
        "AWS profile from ~/.aws/config or credentials (repeatable or comma-separated: one run per profile, e.g. one per account). Default: AWS_PROFILE, then the default chain.",
        Repeatable: true);

    public static readonly AcquisitionOption Account = new("--account",
        "S3: only these accounts' folders under AWSLogs/ (repeatable or comma-separated).", Repeatable: true);

    public static readonly AcquisitionOption Region = new("--region",
        "S3: only these regions' folders under AWSLogs/. CloudWatch and EC2: the regions to query (repeatable or comma-separated). Default: AWS_REGION, the profile's region, us-east-1.",
        Repeatable: true);

    public static readonly AcquisitionOption BucketRegion = new("--bucket-region", "Region of the S3 bucket when it is not the profile's.");

    public static readonly AcquisitionOption RoleArn = new("--role-arn",
        "Role to assume with each profile's credentials (e.g. a forensics role in the affected account).");

    public static readonly AcquisitionOption ExternalId = new("--external-id", "External id the role's trust policy asks for (with --role-arn).");

    /// <summary>Who and where: the options that make an <see cref="AwsAccess"/>.</summary>
    public static IReadOnlyList<AcquisitionOption> All { get; } = [Profile, Account, Region, BucketRegion, RoleArn, ExternalId];

    public static readonly AcquisitionOption From = new("--from",
        $"Window start: S3 and CloudWatch list only what it can hold, and a load skips objects delivered before it. Forms: {AnalystInput.TimeForms}.");

    public static readonly AcquisitionOption To = new("--to", "Window end (exclusive), in the same forms as --from.");

    /// <summary>When: the window options.</summary>
    public static IReadOnlyList<AcquisitionOption> Window { get; } = [From, To];

    /// <summary>The engine's view of the options given: <paramref name="given"/> returns what the face received for an
    /// option (nothing when it was not given). Comma-separated values are split; blank values mean not given.</summary>
    public static AwsAccess Access(Func<AcquisitionOption, IEnumerable<string?>?> given)
    {
        string[] List(AcquisitionOption o) => (given(o) ?? [])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        string? One(AcquisitionOption o) => (given(o) ?? []).LastOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
        return new AwsAccess
        {
            Profiles = List(Profile), Accounts = List(Account), Regions = List(Region),
            BucketRegion = One(BucketRegion), RoleArn = One(RoleArn), ExternalId = One(ExternalId),
        };
    }

    /// <summary>
    /// The window given as text: each end read by <see cref="AnalystInput.Time"/> (blank = open), from before to. Notes
    /// say which times named no zone and were read as UTC, for the face to show.
    /// </summary>
    /// <exception cref="FormatException">An end is not a time (the message names the option and the accepted forms).</exception>
    /// <exception cref="WindowException">from is not before to.</exception>
    public static AcquisitionWindow ReadWindow(string? from, string? to)
    {
        var notes = new List<string>();
        DateTime? Read(AcquisitionOption o, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var t = AnalystInput.Time(text, o.Name);
            if (t.Note(o.Name) is { } note) notes.Add(note);
            return t.Utc;
        }
        var window = new AcquisitionWindow(Read(From, from), Read(To, to), notes);
        TimeWindow.CheckOrder(window.From, window.To, From.Name, To.Name);
        return window;
    }
}

/// <summary>An acquisition or load window (UTC; null = open) and what reading it assumed.</summary>
public sealed record AcquisitionWindow(DateTime? From, DateTime? To, IReadOnlyList<string> Notes);
