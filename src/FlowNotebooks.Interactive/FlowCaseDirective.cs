using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-case [--path case.duckdb] [--name flowCase]</c>: opens or creates the case and shows what it holds.</summary>
internal static class FlowCaseDirective
{
    public const string DefaultName = "flowCase";

    public static KernelActionDirective Create() => new("#!flow-case")
    {
        Description = "Opens or creates a FlowNotebooks case (a DuckDB file, or in memory) and binds it to a C# variable.",
        Parameters =
        [
            new("--path", "Case file to open or create (e.g. cases/incident-42.duckdb). Omit for an in-memory case.")
            {
                AllowImplicitName = true, TypeHint = "file",
            },
            new("--name", $"C# variable for the FlowCase (default {DefaultName})."),
        ],
    };

    public static async Task HandleAsync(FlowSession session, OpenCase command, KernelInvocationContext context)
    {
        var path = string.IsNullOrWhiteSpace(command.Path) ? null : command.Path.Trim();
        var flowCase = FlowCase.Open(path);
        session.SetCase(flowCase);
        await session.BindAsync(command.Name ?? DefaultName, flowCase, typeof(FlowCase));
        context.Display(flowCase.Summary(), "text/html", "text/plain");
    }
}
