using FlowNotebooks.Ingest;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Scenarios.Catalog;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>A small generated case loaded through the engine once per test class (generation and load take seconds).</summary>
public abstract class GeneratedCase : IDisposable
{
    protected GeneratedCase(Scenario scenario, int seed = ScenarioOptions.DefaultSeed)
    {
        Scenario = scenario;
        Folder = Path.Combine(Path.GetTempPath(), $"flownb-{scenario.Name}-{Guid.NewGuid():N}");
        Result = CaseGenerator.Generate(scenario, new ScenarioOptions(seed), Folder);
        Key = AnswerKey.Load(Path.Combine(Folder, CaseGenerator.AnswerKeyFile));
        Store = CaseStore.Open();
        Summary = new EvidenceLoader(Store, new IngestOptions()).Load([Folder]);
    }

    /// <summary>A seed other than the default, as a trainee's case would have.</summary>
    public const int StudentSeed = 4242;

    public Scenario Scenario { get; }
    public string Folder { get; }
    public GenerateResult Result { get; }
    public AnswerKey Key { get; }
    public CaseStore Store { get; }
    public IngestSummary Summary { get; }

    public long Long(string sql, params object?[] parameters) => Store.Scalar<long?>(sql, parameters) ?? 0;

    public string FlowLogOf(string resourceId) =>
        Store.Scalar<string>("SELECT flow_log_id FROM flow_logs WHERE resource_id = $1", resourceId)!;

    public KeyHost Host(string name) => Key.Hosts.Single(h => h.Name == name);

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class VpcCompromiseCase() : GeneratedCase(new VpcCompromise());

public sealed class CryptominerCase() : GeneratedCase(new Cryptominer());

public sealed class S3ExfiltrationCase() : GeneratedCase(new S3Exfiltration());

/// <summary>The same story from a trainee's seed: every fact is recomputed from its own records.</summary>
public sealed class S3ExfiltrationStudentCase() : GeneratedCase(new S3Exfiltration(), GeneratedCase.StudentSeed);

public sealed class BlindSpotCase() : GeneratedCase(new BlindSpot());

/// <inheritdoc cref="S3ExfiltrationStudentCase"/>
public sealed class BlindSpotStudentCase() : GeneratedCase(new BlindSpot(), GeneratedCase.StudentSeed);
