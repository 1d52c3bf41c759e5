using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary>Turns a failure inside a magic into one CommandFailed whose message the analyst can act on (no stack trace:
/// a bad path or bad SQL is not a bug). The kernel stays usable.</summary>
internal static class CommandErrors
{
    public static Func<T, KernelInvocationContext, Task> Guard<T>(Func<T, KernelInvocationContext, Task> handler) where T : KernelCommand =>
        async (command, context) =>
        {
            try
            {
                await handler(command, context);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                context.Fail(command, message: Message(e));
            }
        };

    static string Message(Exception e) => e switch
    {
        ArgumentException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException => e.Message,
        _ when e.GetType().Namespace?.StartsWith("FlowNotebooks", StringComparison.Ordinal) == true => e.Message,
        // The analyst reads the message, not a .NET type name (DuckDBException, NullReferenceException, ...).
        _ => e.Message,
    };
}
