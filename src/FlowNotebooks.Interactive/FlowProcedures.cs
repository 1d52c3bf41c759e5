using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive;

namespace FlowNotebooks.Interactive;

/// <summary>
/// The procedure magics as a C# call: shows the same findings, chart and table, records the findings for the case
/// report, and returns the result (magics take several <c>@csharp:</c> values too; see <see cref="SeveralValuesOnOneLine"/>).
/// <code>var exfil = await FlowProcedures.RunAsync("exfil-ledger", new() { ["from"] = windowFrom, ["internal_cidrs"] = internalCidrs });</code>
/// </summary>
public static class FlowProcedures
{
    /// <summary>Runs <paramref name="procedure"/> with parameters by their procedure names; null or "" means the default.</summary>
    public static async Task<ProcedureResult> RunAsync(string procedure, Dictionary<string, object?>? parameters = null)
    {
        var context = KernelInvocationContext.Current ?? throw new InvalidOperationException("FlowProcedures.RunAsync works in a notebook cell (no cell is running).");
        var session = FlowSession.Of(context.HandlingKernel) ?? throw new InvalidOperationException("FlowNotebooks is not loaded in this notebook.");
        var definition = ProcedureRegistry.Get(procedure);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters ?? [])
        {
            var p = definition.Parameters.FirstOrDefault(x => x.Name == name)
                    ?? throw new ArgumentException($"{procedure} has no parameter '{name}' ({string.Join(", ", definition.Parameters.Select(x => x.Name))}).");
            var v = value is string text ? ProcedureDirective.FromCSharpText(p, text) : value;
            if (v is not null) values[name] = v;
        }
        return await ProcedureDirective.RunAndShowAsync(session, context, definition, values, null);
    }
}
