using FlowNotebooks.Interactive.Tests.Fixtures;

namespace FlowNotebooks.Interactive.Tests;

public class FlowCaseDirectiveTests
{
    [Fact]
    public async Task It_opens_an_in_memory_case_binds_it_and_shows_a_card()
    {
        using var kernel = NotebookKernel.Create();
        var result = await kernel.RunAsync("#!flow-case --name c");
        Assert.Contains("Flow records", result.Html());
        Assert.Equal(0L, await kernel.ValueAsync("c.Summary().Flows"));
    }

    [Fact]
    public async Task It_opens_a_case_file_named_by_a_csharp_value_and_keeps_data_across_opens()
    {
        using var evidence = new Evidence();
        var file = Path.Combine(evidence.Folder, "cases", "incident.duckdb");
        using var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"var casePath = @\"{file}\";");
        await kernel.RunAsync("#!flow-case --path @csharp:casePath");
        await kernel.RunAsync($"#!flow-load {evidence.Folder}");
        await kernel.RunAsync("#!flow-case --path @csharp:casePath --name reopened");
        Assert.Equal((long)Evidence.Records.Length, await kernel.ValueAsync("reopened.Summary().Flows"));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task It_takes_the_path_from_an_input_prompt()
    {
        using var evidence = new Evidence();
        var file = Path.Combine(evidence.Folder, "asked.duckdb");
        using var kernel = NotebookKernel.Create(file);
        await kernel.RunAsync("#!flow-case --path @input:\"Case file\"");
        Assert.Equal(file, await kernel.ValueAsync("flowCase.Path"));
    }

    [Fact]
    public async Task A_bad_variable_name_fails_once_with_a_clear_message()
    {
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync("#!flow-case --name 1st");
        Assert.Contains("not a valid C# variable name", message);
    }

    [Fact]
    public async Task An_unknown_parameter_fails_once()
    {
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync("#!flow-case --colour blue");
        Assert.Contains("--colour", message);
    }

    [Fact]
    public async Task A_case_path_that_cannot_be_created_fails_once_and_the_kernel_goes_on()
    {
        using var evidence = new Evidence();
        var blocker = Path.Combine(evidence.Folder, "eni-0a1b2c3d.log");
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync($"#!flow-case --path \"{Path.Combine(blocker, "x.duckdb")}\"");
        Assert.DoesNotContain("   at ", message);
        Assert.Equal(2, await kernel.ValueAsync("1 + 1"));
    }

    [Fact]
    public async Task Loading_the_extension_twice_changes_nothing()
    {
        using var kernel = NotebookKernel.Create();
        FlowKernelExtension.Load(kernel);
        Assert.Single(kernel.ChildKernels, k => k.Name == FlowSqlKernel.KernelName);
        Assert.NotNull(FlowSession.Of(kernel));
        await kernel.RunAsync("#!flow-case");
    }
}
