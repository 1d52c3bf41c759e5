using FlowNotebooks.Scenarios.Catalog;

namespace FlowNotebooks.Scenarios;

/// <summary>The bundled scenarios; the first is the default.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } = [new VpcCompromise(), new Cryptominer(), new S3Exfiltration(), new BlindSpot()];

    public static Scenario Default => All[0];

    public static Scenario Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No scenario '{name}'. Scenarios: {string.Join(", ", All.Select(s => s.Name))}.");
}
