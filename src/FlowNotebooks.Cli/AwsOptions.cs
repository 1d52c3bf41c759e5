using System.CommandLine;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.Cli;

/// <summary>The AWS options <c>collect</c> and <c>ingest s3://…</c> share, declared from the engine's one definition
/// (<see cref="AwsAccessOptions"/>): this class only binds them to System.CommandLine.</summary>
internal sealed class AwsOptions
{
    readonly Dictionary<AcquisitionOption, Option> options = AwsAccessOptions.All.Concat(AwsAccessOptions.Window)
        .ToDictionary(o => o, o => o.Repeatable
            ? (Option)new Option<string[]>(o.Name) { Description = o.Description, AllowMultipleArgumentsPerToken = false }
            : new Option<string?>(o.Name) { Description = o.Description });

    public IEnumerable<Option> All => options.Values;

    /// <summary>The engine's view of these options.</summary>
    public AwsAccess Access(ParseResult parse) => AwsAccessOptions.Access(o => Given(parse, o));

    /// <summary>The window, read by the engine; times without a zone are read as UTC and said so on <paramref name="error"/>.</summary>
    public AcquisitionWindow Window(ParseResult parse, TextWriter error)
    {
        var window = AwsAccessOptions.ReadWindow(Given(parse, AwsAccessOptions.From)?.SingleOrDefault(), Given(parse, AwsAccessOptions.To)?.SingleOrDefault());
        foreach (var note in window.Notes) error.WriteLine($"flownb: {note}");
        return window;
    }

    IEnumerable<string?>? Given(ParseResult parse, AcquisitionOption o) => options[o] switch
    {
        Option<string[]> many => parse.GetValue(many),
        Option<string?> one => parse.GetValue(one) is { } v ? [v] : null,
        _ => null,
    };
}
