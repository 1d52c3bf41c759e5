using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Interactive;

/// <summary>
/// Why a magic with two <c>@csharp:</c> values never returned under Jupyter: when one magic line holds two or more
/// <c>@</c> values, dotnet-interactive's parser (SubmissionParser.RequestMultipleInputsIfAppropriate) first sends a
/// RequestInputs to the root kernel — even when none of them is an <c>@input</c> — and dotnet-interactive answers it by
/// showing an HTML form and waiting for the front end to post it back (UseFormsForMultipleInputs). Jupyter and nbconvert
/// never post it: the cell waits forever. (After a form is posted the parser binds every value the form did not hold,
/// i.e. every <c>@csharp:</c> one, to null.) dotnet-repl has no such handler and binds the values one by one.
/// <para>So where the host has that handler, FlowNotebooks answers RequestInputs itself: with nothing, at once, when the
/// lines are FlowNotebooks magics whose values are all <c>@csharp:</c> (the magics read those from the C# kernel, see
/// <see cref="CSharpValues"/>); otherwise the cell fails at once saying how to write it.</para>
/// </summary>
internal static class SeveralValuesOnOneLine
{
    public static void Install(CompositeKernel root, Func<string, bool> isFlowMagic)
    {
        if (!root.SupportsCommandType(typeof(RequestInputs))) return;
        root.RegisterCommandHandler<RequestInputs>((request, context) =>
        {
            var lines = (MagicLine.Cell(request)?.Code ?? "").Split('\n').Select(l => l.Trim())
                .Where(l => l.StartsWith("#!", StringComparison.Ordinal) && MagicLine.Expressions(l) > 1).ToList();
            var cannot = lines.FirstOrDefault(l => !isFlowMagic(l) || MagicLine.AsksForInput(l));
            if (request.Inputs.Count == 0 && cannot is null)
            {
                context.Publish(new InputsProduced([], request));
                return Task.CompletedTask;
            }
            var message = $"This host cannot run '{cannot ?? lines.FirstOrDefault() ?? "this magic"}': a magic line with several @ values "
                          + "needs a form that Jupyter never submits. Give at most one @input per magic line, or ask in C# first "
                          + "(var from = await Kernel.GetInputAsync(\"From\");) and pass the variables: --from @csharp:from.";
            // Failing the cell's own command stops the whole cell: nothing of it runs with values the host left unbound.
            context.Fail(context.Command, message: message);
            return Task.CompletedTask;
        });
    }
}
