using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>A bundled scenario generated (default seed, small scale, every delivery variant) and loaded into a case, with its answer key.</summary>
public abstract class ScenarioCase : IDisposable
{
    protected ScenarioCase(string scenario)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"fnb-{scenario}-{Guid.NewGuid():N}");
        CaseGenerator.Generate(ScenarioCatalog.Find(scenario), new ScenarioOptions(), Folder);
        Key = AnswerKey.Load(Path.Combine(Folder, CaseGenerator.AnswerKeyFile));
        Store = CaseStore.Open();
        new EvidenceLoader(Store).Load([Folder]);
    }

    public string Folder { get; }
    public AnswerKey Key { get; }
    public CaseStore Store { get; }

    /// <summary>Runs a procedure with the VPC CIDR as the internal range.</summary>
    public ProcedureResult Run(string procedure, params (string Key, object? Value)[] parameters)
    {
        var values = parameters.ToDictionary(p => p.Key, p => p.Value);
        values.TryAdd("internal_cidrs", Key.VpcCidr);
        return ProcedureRegistry.Get(procedure).Run(Store, values);
    }

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed class VpcCompromiseCase() : ScenarioCase("vpc-compromise");

public sealed class CryptominerCase() : ScenarioCase("cryptominer");
