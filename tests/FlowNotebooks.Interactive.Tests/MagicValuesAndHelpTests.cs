using FlowNotebooks.Interactive.Tests.Fixtures;
using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;

namespace FlowNotebooks.Interactive.Tests;

/// <summary>
/// Several <c>@csharp:</c> values on one magic line, in a kernel that answers the parser's RequestInputs the way
/// dotnet-interactive (Jupyter, VS Code) does — by waiting for a form the front end never posts — and help where the
/// analyst types. The real hosts are run by RealHost tests; these pin the behaviour in process.
/// </summary>
public class MagicValuesAndHelpTests
{
    /// <summary>A notebook kernel whose root, like dotnet-interactive's, waits for a posted form on RequestInputs.</summary>
    static CompositeKernel LikeDotnetInteractive()
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        kernel.RegisterCommandHandler<RequestInputs>((_, context) => Task.Delay(Timeout.Infinite, context.CancellationToken));
        FlowKernelExtension.Load(kernel);
        return kernel;
    }

    // A guard so a regression fails the test instead of holding the run (not a timing assertion: the cells take ~1 s).
    static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Two_csharp_values_on_one_line_bind_typed_where_the_host_would_wait_for_a_form()
    {
        using var evidence = new Evidence();
        using var kernel = LikeDotnetInteractive();
        await kernel.RunAsync($"#!flow-load {evidence.Folder}").WaitAsync(Guard);
        await kernel.RunAsync("var cidrs = \"10.0.0.0/8,192.168.0.0/16\"; var from = new DateTime(2024, 6, 1, 0, 30, 0, DateTimeKind.Utc); var minBytes = 1L;").WaitAsync(Guard);
        await kernel.RunAsync("#!flow-exfil --internal-cidrs @csharp:cidrs --from @csharp:from --min-bytes @csharp:minBytes --result r").WaitAsync(Guard);
        var r = FlowSession.Of(kernel)!.Findings.Results.Last();
        Assert.Equal("10.0.0.0/8,192.168.0.0/16", r.Parameters["internal_cidrs"].Replace(" ", ""));
        Assert.Equal(new DateTime(2024, 6, 1, 0, 30, 0, DateTimeKind.Utc), r.From);
        Assert.Equal("1", r.Parameters["min_bytes"]);
    }

    [Fact]
    public async Task Two_input_prompts_on_one_line_fail_at_once_saying_how_to_write_the_cell()
    {
        using var kernel = LikeDotnetInteractive();
        await kernel.RunAsync("#!flow-case").WaitAsync(Guard);
        var message = await kernel.FailAsync("#!flow-exfil --internal-cidrs @input:cidrs --from @input:from").WaitAsync(Guard);
        Assert.Contains("at most one @input", message);
        Assert.Contains("@csharp:from", message);
    }

    [Fact]
    public async Task A_missing_csharp_variable_is_named()
    {
        using var kernel = LikeDotnetInteractive();
        await kernel.RunAsync("#!flow-case; var cidrs = \"10.0.0.0/8\";".Replace("; ", "\n")).WaitAsync(Guard);
        var message = await kernel.FailAsync("#!flow-exfil --internal-cidrs @csharp:cidrs --from @csharp:since").WaitAsync(Guard);
        Assert.Contains("no C# variable 'since'", message);
    }

    public static TheoryData<string> EveryMagic() => [.. FlowKernelExtension.Magics];

    [Theory]
    [MemberData(nameof(EveryMagic))]
    public async Task Every_magic_answers_help_with_its_options_defaults_and_an_example(string magic)
    {
        using var kernel = NotebookKernel.Create();
        foreach (var ask in new[] { "--help", "-h" })
        {
            var result = await kernel.RunAsync($"{magic} {ask}");
            var text = string.Concat(result.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayEvent>().SelectMany(e => e.FormattedValues).Select(v => v.Value));
            Assert.StartsWith(magic + ": ", text);
            Assert.Contains("--name", text);
            Assert.Contains("Example:\n  " + magic, text);
            Assert.DoesNotContain("Microsoft.", text);
            if (ProcedureMagics.All.FirstOrDefault(m => m.Magic == magic) is { Procedure: { } name })
                foreach (var p in ProcedureRegistry.Get(name).Parameters)
                {
                    Assert.Contains(ProcedureDirective.Option(p.Name), text);
                    if (!string.IsNullOrEmpty(p.Default)) Assert.Contains("default " + p.Default, text);
                }
        }
    }

    [Theory]
    [InlineData("#!flow-exfil --internal-cidr 10.0.0.0/8", "--internal-cidr", "--internal-cidrs")]
    [InlineData("#!flow-exfil-ledger --min-byte 5", "--min-byte", "--min-bytes")]
    [InlineData("#!flow-case --pth x.duckdb", "--pth", "--path")]
    [InlineData("#!flow-load evidence/ --worker 2", "--worker", "--workers")]
    public async Task A_misspelled_option_is_named_with_the_nearest_one_and_no_dotnet_type(string cell, string typed, string meant)
    {
        using var kernel = NotebookKernel.Create();
        var result = await kernel.SendAsync(new SubmitCode(cell));
        var failure = Assert.Single(result.Events.OfType<Microsoft.DotNet.Interactive.Events.CommandFailed>());
        Assert.Contains($"has no option {typed}. Did you mean {meant}?", failure.Message);
        var everything = string.Concat(result.Events.OfType<Microsoft.DotNet.Interactive.Events.DisplayEvent>().SelectMany(e => e.FormattedValues).Select(v => v.Value)) + failure.Message;
        Assert.DoesNotContain("Microsoft.CodeAnalysis", everything);
        Assert.DoesNotContain("DNI103", everything);
    }

    [Fact]
    public async Task Missing_evidence_says_how_to_get_it()
    {
        using var kernel = NotebookKernel.Create();
        var message = await kernel.FailAsync("#!flow-load --path ../samples-generated/no-such-scenario");
        Assert.Contains("no evidence at '../samples-generated/no-such-scenario'", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("flownb demo", message);
        Assert.Contains("flownb generate", message);
    }
}
