using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive;

namespace FlowNotebooks.Interactive;

/// <summary>
/// What a C# cell calls to record findings for the case report: <c>Findings.Add(ProcedureRegistry.Get("exfil-ledger").Run(flowCase.Store))</c>.
/// They go to the notebook's <see cref="FlowSession.Findings"/>, which <c>flownb run</c> writes as findings JSON.
/// </summary>
public static class Findings
{
    /// <summary>Records a procedure result (all its findings, parameters and coverage) and returns it for display.</summary>
    public static ProcedureResult Add(ProcedureResult result) => Log().Add(result);

    /// <summary>Records one finding written in the notebook; give it <see cref="Finding.Evidence"/> references.</summary>
    public static Finding Add(Finding finding) => Log().Add(finding);

    /// <summary>The notebook's findings so far.</summary>
    public static FindingsLog Log()
    {
        var kernel = KernelInvocationContext.Current?.HandlingKernel
                     ?? throw new InvalidOperationException("Findings.Add works in a notebook cell (no cell is running).");
        return (FlowSession.Of(kernel) ?? throw new InvalidOperationException("FlowNotebooks is not loaded in this notebook.")).Findings;
    }
}
