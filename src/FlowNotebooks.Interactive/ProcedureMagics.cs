namespace FlowNotebooks.Interactive;

/// <summary>One magic per engine procedure, named as an analyst says it. The procedure (engine) defines parameters,
/// SQL, findings and the chart; the magic only binds and shows them.</summary>
internal static class ProcedureMagics
{
    public static readonly IReadOnlyList<(string Magic, string Procedure)> All =
    [
        ("#!flow-coverage", "coverage"),
        ("#!flow-conversations", "conversations"),
        ("#!flow-exfil", "exfil-ledger"),
        ("#!flow-lateral", "lateral-movement"),
        ("#!flow-attacker-infra", "attacker-infrastructure"),
        ("#!flow-beacons", "beaconing"),
        ("#!flow-recon", "rejected-recon"),
    ];
}
