using System.Text.Json;
using System.Text.Json.Serialization;
using FlowNotebooks.Sources.Aws;
using Microsoft.DotNet.Interactive;
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

    /// <summary>The engine's view of these options, read by the engine's one definition (<see cref="AwsAccessOptions"/>).</summary>
    internal AwsAccess Access() => AwsAccessOptions.Access(Given);

    IEnumerable<string?>? Given(AcquisitionOption o) =>
        o == AwsAccessOptions.Profile ? Profile
        : o == AwsAccessOptions.Region ? Region
        : o == AwsAccessOptions.Account ? Account
        : o == AwsAccessOptions.BucketRegion ? new[] { BucketRegion }
        : o == AwsAccessOptions.RoleArn ? new[] { RoleArn }
        : o == AwsAccessOptions.ExternalId ? new[] { ExternalId }
        : null;

    /// <summary>Repeated values and comma-separated lists, flattened.</summary>
    internal static string[] List(string[]? values) =>
        values?.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray() ?? [];

    /// <summary>The directive parameters of these options, declared from the engine's definition.</summary>
    internal static IEnumerable<KernelDirectiveParameter> Parameters() => AwsAccessOptions.All.Select(Parameter);

    /// <summary>The window parameters (<c>--from</c>, <c>--to</c>), declared from the engine's definition.</summary>
    internal static IEnumerable<KernelDirectiveParameter> WindowParameters() => AwsAccessOptions.Window.Select(Parameter);

    // A repeatable option may be given as often as a run can use it (profiles, regions, accounts).
    static KernelDirectiveParameter Parameter(AcquisitionOption o) => new(o.Name, o.Description) { MaxOccurrences = o.Repeatable ? 50 : 1 };

    /// <summary>The window given (<c>--from</c>/<c>--to</c>), read by the engine; times without a zone are read as UTC,
    /// and the notes saying so are shown in the cell.</summary>
    internal static AcquisitionWindow Window(string? from, string? to, KernelInvocationContext? context)
    {
        var window = AwsAccessOptions.ReadWindow(from, to);
        if (context is not null) foreach (var note in window.Notes) context.DisplayAs(note, "text/plain");
        return window;
    }

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
