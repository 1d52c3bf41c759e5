using FlowNotebooks.Ingest;
using FlowNotebooks.Interactive.Tests.Fixtures;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Interactive.Tests;

public class FlowLoadDirectiveTests
{
    [Fact]
    public async Task It_loads_evidence_with_a_progress_display_updated_in_place_then_a_summary_card()
    {
        using var evidence = new Evidence(extraLine: "2 123456789012 eni-0a1b2c3d not-an-address 10.0.0.1 1 2 6 1 1 1717200000 1717200060 ACCEPT OK");
        using var kernel = NotebookKernel.Create();
        var result = await kernel.RunAsync($"#!flow-load --path \"{evidence.Folder}\" --name loaded");

        var progress = Assert.Single(result.Events.OfType<DisplayedValueProduced>(), e => e.Value is IngestProgress);
        var updates = result.Events.OfType<DisplayedValueUpdated>().Where(u => u.ValueId == progress.ValueId).ToList();
        Assert.NotEmpty(updates);
        var final = Assert.IsType<IngestProgress>(updates[^1].Value);
        Assert.True(final.Finished);
        Assert.Equal(Evidence.Records.Length, final.Records);
        Assert.Contains("<progress", updates[^1].FormattedValues.Single(v => v.MimeType == "text/html").Value);

        var card = Assert.Single(result.Events.OfType<DisplayedValueProduced>(), e => e.Value is IngestSummary);
        Assert.Contains("Rejected lines", card.FormattedValues.Single(v => v.MimeType == "text/html").Value);
        Assert.Equal(1L, await kernel.ValueAsync("loaded.Rejects"));
        Assert.Equal((long)Evidence.Records.Length, await kernel.ValueAsync("flowCase.Summary().Flows"));
    }

    [Fact]
    public async Task It_takes_the_path_from_an_input_prompt_and_options_from_csharp_values()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create(evidence.Folder);
        await kernel.RunAsync("var workers = 1;");
        await kernel.RunAsync("#!flow-load --path @input:\"Evidence folder\" --workers @csharp:workers --name s");
        Assert.Equal((long)Evidence.Records.Length, await kernel.ValueAsync("s.Records"));
    }

    [Fact]
    public async Task A_missing_path_fails_once_naming_it()
    {
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync("#!flow-load --path /nonexistent/flow-logs");
        Assert.Contains("/nonexistent/flow-logs", message);
    }

    [Fact]
    public async Task Leaving_out_the_path_fails_once()
    {
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync("#!flow-load --strict");
        Assert.Contains("--path", message);
    }

    [Theory]
    [InlineData("--workers 0", "--workers")]
    [InlineData("--from yesterday", "--from")]
    [InlineData("--format \"version version\"", "repeated")]
    public async Task A_bad_option_fails_once_naming_it(string option, string named)
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync($"#!flow-load --path \"{evidence.Folder}\" {option}");
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task A_non_numeric_worker_count_is_refused_before_anything_loads()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create();
        await kernel.FailAsync($"#!flow-load --path \"{evidence.Folder}\" --workers many");
        // No case was opened implicitly: the SQL kernel says so.
        var message = await kernel.FailAsync("#!flow-sql\nSELECT 1");
        Assert.Contains("No case is open", message);
    }
}
