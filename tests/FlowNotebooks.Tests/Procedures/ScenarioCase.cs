using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures;

/// <summary>A bundled scenario generated (default seed unless given, small scale, every delivery variant) and loaded into a case, with its answer key.</summary>
public abstract class ScenarioCase : IDisposable
{
    protected ScenarioCase(string scenario, int seed = ScenarioOptions.DefaultSeed)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"fnb-{scenario}-{Guid.NewGuid():N}");
        CaseGenerator.Generate(ScenarioCatalog.Find(scenario), new ScenarioOptions(seed), Folder);
        Key = AnswerKey.Load(Path.Combine(Folder, CaseGenerator.AnswerKeyFile));
        Store = CaseStore.Open();
        new EvidenceLoader(Store).Load([Folder]);
    }

    public string Folder { get; }
    public AnswerKey Key { get; }
    public CaseStore Store { get; }

    /// <summary>The scenario's evidence files in the order a load of the folder takes them (configuration: describe-*.json
    /// and the bucket state, then objects by name), so that loading them in batches numbers the evidence as one load does.</summary>
    public IReadOnlyList<string> FilesInLoadOrder() => FilesInLoadOrder(Folder);

    /// <inheritdoc cref="FilesInLoadOrder()"/>
    public static IReadOnlyList<string> FilesInLoadOrder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(CaseGenerator.AnswerKeyFile, StringComparison.Ordinal) && !f.EndsWith("iocs.txt", StringComparison.Ordinal))
            .OrderBy(f => IsConfiguration(f) ? 0 : 1)
            .ThenBy(Path.GetFileName, StringComparer.Ordinal).ToList();

    /// <summary>A configuration document (describe-*.json, a bucket's state), not a flow-log object.</summary>
    public static bool IsConfiguration(string file) =>
        Path.GetFileName(file).StartsWith("describe-", StringComparison.Ordinal) || Path.GetFileName(Path.GetDirectoryName(file)) == "s3-buckets";

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

public sealed class S3ExfiltrationCase() : ScenarioCase("s3-exfiltration");

public sealed class BlindSpotCase() : ScenarioCase("blind-spot");

/// <summary>The blind spot from a trainee's seed: the procedures must meet that case's own key.</summary>
public sealed class BlindSpotStudentCase() : ScenarioCase("blind-spot", FlowNotebooks.Tests.Scenarios.GeneratedCase.StudentSeed);
