namespace FlowNotebooks.Procedures;

/// <summary>Every procedure, by name. <c>ProcedureRegistry.Get("exfil-ledger").Run(store, parameters)</c>.</summary>
public static class ProcedureRegistry
{
    /// <summary>All procedures in the order an investigation uses them.</summary>
    public static IReadOnlyList<Procedure> All { get; } =
    [
        new CoverageReport(),
        new Conversations(),
        new ExfilLedger(),
        new LateralMovement(),
        new AttackerInfrastructure(),
        new Beaconing(),
        new RejectedRecon(),
    ];

    /// <summary>The procedure of that name (case and '-'/'_' insensitive), or null.</summary>
    public static Procedure? Find(string name)
    {
        var key = Normalize(name);
        return All.FirstOrDefault(p => Normalize(p.Name) == key);
    }

    /// <summary>The procedure of that name.</summary>
    /// <exception cref="KeyNotFoundException">No such procedure (the message lists them).</exception>
    public static Procedure Get(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"No procedure '{name}'. Procedures: {string.Join(", ", All.Select(p => p.Name))}.");

    static string Normalize(string s) => s.Trim().Replace('_', '-').ToLowerInvariant();
}
