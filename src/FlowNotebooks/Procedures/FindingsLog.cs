namespace FlowNotebooks.Procedures;

/// <summary>
/// The findings a notebook produced, in the order it produced them: procedure results (with their parameters and
/// coverage) and findings the analyst wrote by hand. A headless run (<c>flownb run</c>) writes them as the case's
/// findings JSON; the procedure magics and <c>Findings.Add(...)</c> in a cell add to it. Thread-safe.
/// </summary>
public sealed class FindingsLog
{
    readonly object gate = new();
    readonly List<ProcedureResult> results = [];
    readonly List<Finding> notes = [];

    /// <summary>Procedure results, in the order they were added.</summary>
    public IReadOnlyList<ProcedureResult> Results { get { lock (gate) return [.. results]; } }

    /// <summary>Findings added one by one (not from a procedure), in the order they were added.</summary>
    public IReadOnlyList<Finding> Notes { get { lock (gate) return [.. notes]; } }

    /// <summary>Records a procedure's result (its findings, parameters, window and coverage).</summary>
    public ProcedureResult Add(ProcedureResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (gate) results.Add(result);
        return result;
    }

    /// <summary>Records a finding the analyst established outside a procedure; give it evidence references.</summary>
    public Finding Add(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        lock (gate) notes.Add(finding);
        return finding;
    }

    /// <summary>Forgets everything (a notebook re-run from the top in the same kernel).</summary>
    public void Clear()
    {
        lock (gate)
        {
            results.Clear();
            notes.Clear();
        }
    }
}
