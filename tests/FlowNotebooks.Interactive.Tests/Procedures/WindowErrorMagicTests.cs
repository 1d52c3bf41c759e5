using System.Globalization;
using FlowNotebooks.Interactive.Tests.Fixtures;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Interactive.Tests.Procedures;

/// <summary>
/// The magic form of the window checks: on the five-record <see cref="Evidence"/> case (first record starts
/// 2024-06-01 00:00:00Z, last ends 04:01:00Z) a window that can hold no record fails the cell once, naming the case's
/// span, records no result (so no negative finding reaches the findings JSON) and leaves the kernel usable.
/// </summary>
public sealed class WindowErrorMagicTests
{
    const string Span = "2024-06-01 00:00:00Z to 2024-06-01 04:01:00Z";

    static async Task<Microsoft.DotNet.Interactive.CompositeKernel> LoadedAsync(Evidence evidence)
    {
        var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"#!flow-load --path \"{evidence.Folder}\"");
        return kernel;
    }

    [Theory]
    [InlineData("#!flow-exfil --from 2024-06-01T03:00:00Z --to 2024-06-01T01:00:00Z",
        "The window from 2024-06-01 03:00:00Z to 2024-06-01 01:00:00Z is reversed (from is after to). The case's records span " + Span + ".")]
    [InlineData("#!flow-exfil --from \"2024-06-01 02:00\" --to 2024-06-01T02:00:00Z",
        "The window from 2024-06-01 02:00:00Z to 2024-06-01 02:00:00Z is empty (to is exclusive: give a later to). The case's records span " + Span + ".")]
    [InlineData("#!flow-exfil --from 2024-06-02 --to 2024-06-03",
        "The window from 2024-06-02 00:00:00Z to 2024-06-03 00:00:00Z lies entirely outside the case's records, which span " + Span + ".")]
    [InlineData("#!flow-coverage --to 2024-05-31T23:59:59Z",
        "The window from 2024-06-01 00:00:00Z to 2024-05-31 23:59:59Z lies entirely outside the case's records, which span " + Span + ".")]
    public async Task A_window_that_holds_no_record_fails_once_naming_the_span(string cell, string message)
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        var result = await kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode(cell));
        var failure = Assert.Single(result.Events.OfType<CommandFailed>());
        Assert.Equal(message, failure.Message);
        // Nothing shown and nothing recorded: no findings view, no "No upload" negative finding for the report.
        Assert.DoesNotContain(result.Events.OfType<DisplayEvent>(), e => e.FormattedValues.Any(v => v.Value.Contains("No upload", StringComparison.Ordinal)));
        Assert.Empty(FlowSession.Of(kernel)!.Findings.Results);
        // The kernel stays usable, and the same magic with a window inside the span finds the 4 GB upload.
        await kernel.RunAsync("#!flow-exfil --from 2024-06-01T03:30:00Z --internal-cidrs 10.0.0.0/8");
        var ran = Assert.Single(FlowSession.Of(kernel)!.Findings.Results);
        Assert.Contains(ran.Findings, f => f.Technique == "T1048" && f.Facts["destination"] == "203.0.113.5");
    }

    [Fact]
    public async Task The_csharp_call_form_fails_the_same_way()
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        // As the templates do after #!flow-load: the C# compilation references the extension for FlowProcedures.
        await kernel.RunAsync($"#r \"{typeof(FlowProcedures).Assembly.Location}\"");
        var message = await kernel.FailAsync("""
            await FlowNotebooks.Interactive.FlowProcedures.RunAsync("exfil-ledger", new() { ["from"] = "2024-06-01T03:00:00Z", ["to"] = "2024-06-01T01:00:00Z" });
            """);
        Assert.Contains($"The window from 2024-06-01 03:00:00Z to 2024-06-01 01:00:00Z is reversed (from is after to). The case's records span {Span}.", message);
        Assert.Empty(FlowSession.Of(kernel)!.Findings.Results);
    }

    [Fact]
    public async Task A_time_without_a_zone_is_read_as_utc_and_the_findings_view_says_so()
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        var cell = await kernel.RunAsync("#!flow-exfil --from \"2024-06-01 03:30\" --internal-cidrs 10.0.0.0/8");
        var result = Assert.Single(FlowSession.Of(kernel)!.Findings.Results);
        Assert.Equal(new DateTime(2024, 6, 1, 3, 30, 0, DateTimeKind.Utc), result.From);
        Assert.Equal(["from '2024-06-01 03:30' names no zone: read as UTC, 2024-06-01T03:30:00Z."], result.Notes);
        Assert.Contains("<i>Note:</i> from &#39;2024-06-01 03:30&#39; names no zone: read as UTC, 2024-06-01T03:30:00Z.", cell.Html());
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("en-US")]
    public async Task A_csharp_DateTime_is_read_as_the_value_it_is_whatever_the_culture(string culture)
    {
        // The host hands @csharp values over as ToString() in the current culture ("01.06.2024 03:30:00" under de-DE);
        // the magic takes the variable's typed value instead, so the window is the same under every culture.
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            using var evidence = new Evidence();
            using var kernel = await LoadedAsync(evidence);
            await kernel.RunAsync("var windowFrom = new DateTime(2024, 6, 1, 3, 30, 0, DateTimeKind.Utc); var bucket = TimeSpan.FromMinutes(30);");
            await kernel.RunAsync("#!flow-conversations --from @csharp:windowFrom --bucket @csharp:bucket");
            var result = Assert.Single(FlowSession.Of(kernel)!.Findings.Results);
            Assert.Equal("2024-06-01T03:30:00Z", result.Parameters["from"]);
            Assert.Equal("1800s", result.Parameters["bucket"]);
            Assert.Empty(result.Notes);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task A_reversed_load_window_fails_before_anything_is_read()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync($"#!flow-load --path \"{evidence.Folder}\" --from 2024-06-02T00:00:00Z --to 2024-06-01T00:00:00Z");
        Assert.Equal("--from 2024-06-02 00:00:00Z is not before --to 2024-06-01 00:00:00Z: the window is reversed.", message);
        Assert.Null(FlowSession.Of(kernel)!.Case);
    }

    [Fact]
    public async Task A_load_window_without_a_zone_is_read_as_utc_and_the_cell_says_so()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create();
        var cell = await kernel.RunAsync($"#!flow-load --path \"{evidence.Folder}\" --from 2024-05-31 --name s");
        var shown = cell.Events.OfType<DisplayedValueProduced>().SelectMany(e => e.FormattedValues).Select(v => v.Value).ToList();
        Assert.Contains("--from '2024-05-31' names no zone: read as UTC, 2024-05-31T00:00:00Z.", shown);
        Assert.Equal((long)Evidence.Records.Length, await kernel.ValueAsync("s.Records"));
    }
}
