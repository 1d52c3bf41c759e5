using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Interactive.Tests.Fixtures;

/// <summary>A notebook as the hosts build it (composite + C# kernel with value sharing) with the extension loaded.</summary>
public static class NotebookKernel
{
    public static CompositeKernel Create(params string[] inputs)
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        // Answers @input: prompts the way a host's front end would, in order.
        var answers = new Queue<string>(inputs);
        kernel.RegisterCommandHandler<RequestInput>((request, context) =>
        {
            context.Publish(new InputProduced(answers.Dequeue(), request));
            return Task.CompletedTask;
        });
        FlowKernelExtension.Load(kernel);
        return kernel;
    }

    /// <summary>Submits a cell and asserts it succeeded.</summary>
    public static async Task<KernelCommandResult> RunAsync(this Kernel kernel, string code)
    {
        var result = await kernel.SendAsync(new SubmitCode(code));
        var failures = result.Events.OfType<CommandFailed>().Select(f => f.Message).ToList();
        Assert.True(failures.Count == 0, $"Cell failed:\n{code}\n---\n{string.Join("\n", failures)}");
        return result;
    }

    /// <summary>Submits a cell that must fail, and returns its single failure message.</summary>
    public static async Task<string> FailAsync(this Kernel kernel, string code)
    {
        var result = await kernel.SendAsync(new SubmitCode(code));
        var failure = Assert.Single(result.Events.OfType<CommandFailed>());
        return failure.Message;
    }

    /// <summary>The value a C# expression cell returns.</summary>
    public static async Task<object?> ValueAsync(this Kernel kernel, string expression)
    {
        var result = await kernel.RunAsync(expression);
        return Assert.Single(result.Events.OfType<ReturnValueProduced>()).Value;
    }

    /// <summary>Formatted text/html of everything a cell displayed.</summary>
    public static string Html(this KernelCommandResult result) => string.Concat(result.Events.OfType<DisplayEvent>()
        .SelectMany(e => e.FormattedValues).Where(v => v.MimeType == "text/html").Select(v => v.Value));
}
