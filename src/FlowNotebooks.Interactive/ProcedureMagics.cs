using FlowNotebooks.Procedures;

namespace FlowNotebooks.Interactive;

/// <summary>One magic per engine procedure, named by the procedure (<c>exfil-ledger</c> ↔ <c>#!flow-exfil-ledger</c>, the
/// CLI's word), and its earlier short names kept working (<c>#!flow-exfil</c>). The procedure's definition gives
/// parameters, SQL, findings and chart; the magic only binds and shows them.</summary>
internal static class ProcedureMagics
{
    public static readonly IReadOnlyList<(string Magic, string Procedure)> All =
        ProcedureRegistry.All.SelectMany(p => p.ShortNames.Prepend(p.Name).Select(n => ("#!flow-" + n, p.Name))).ToList();
}
