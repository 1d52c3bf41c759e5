using System.Text.Json;
using System.Text.Json.Serialization;
using FlowNotebooks.Sources.Aws;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary>The AWS options <c>#!flow-collect</c> and <c>#!flow-load s3://…</c> share (as <c>flownb collect</c> and
/// <c>flownb ingest</c> do). Repeatable ones also take comma-separated lists (<c>--region us-east-1,eu-west-1</c>).</summary>
public abstract class AwsDirectiveCommand : KernelDirectiveCommand
{
    /// <summary>AWS profiles (one run each); none = AWS_PROFILE, then the default chain.</summary>
    [JsonConverter(typeof(OneOrMany))]
    public string[]? Profile { get; set; }

    /// <summary>S3: only these regions' folders; CloudWatch and EC2: the regions to query.</summary>
    [JsonConverter(typeof(OneOrMany))]
    public string[]? Region { get; set; }

    /// <summary>S3: only these accounts' folders.</summary>
    [JsonConverter(typeof(OneOrMany))]
    public string[]? Account { get; set; }

    /// <summary>Region of the S3 bucket when it is not the profile's.</summary>
    public string? BucketRegion { get; set; }

    /// <summary>Role to assume with each profile's credentials.</summary>
    public string? RoleArn { get; set; }

    /// <summary>External id for the role.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The engine's view of these options.</summary>
    internal AwsAccess Access() => new()
    {
        Profiles = List(Profile), Regions = List(Region), Accounts = List(Account),
        BucketRegion = Blank(BucketRegion), RoleArn = Blank(RoleArn), ExternalId = Blank(ExternalId),
    };

    /// <summary>Repeated values and comma-separated lists, flattened.</summary>
    internal static string[] List(string[]? values) =>
        values?.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray() ?? [];

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The directive parameters of these options.</summary>
    internal static IEnumerable<KernelDirectiveParameter> Parameters() =>
    [
        new("--profile", "AWS profile (repeatable or comma-separated: one run per profile). Default: AWS_PROFILE, then the default chain.") { MaxOccurrences = 20 },
        new("--region", "S3: only these regions' folders under AWSLogs/; CloudWatch and EC2: the regions to query (repeatable or comma-separated).") { MaxOccurrences = 50 },
        new("--account", "S3: only these accounts' folders under AWSLogs/ (repeatable or comma-separated).") { MaxOccurrences = 50 },
        new("--bucket-region", "Region of the S3 bucket when it is not the profile's."),
        new("--role-arn", "Role to assume with each profile's credentials."),
        new("--external-id", "External id the role's trust policy asks for (with --role-arn)."),
    ];

    /// <summary>A repeatable parameter arrives as one value when given once and as a list when repeated.</summary>
    internal sealed class OneOrMany : JsonConverter<string[]>
    {
        public override string[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.StartArray) return [Scalar(ref reader)];
            var values = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) values.Add(Scalar(ref reader));
            return [.. values];
        }

        static string Scalar(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.True or JsonTokenType.False => reader.GetBoolean() ? "true" : "false",
            _ => throw new JsonException($"Expected a value, got {reader.TokenType}."),
        };

        public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var v in value) writer.WriteStringValue(v);
            writer.WriteEndArray();
        }
    }
}
