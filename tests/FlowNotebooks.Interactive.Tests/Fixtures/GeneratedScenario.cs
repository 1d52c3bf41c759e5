using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Interactive.Tests.Fixtures;

/// <summary>A bundled scenario generated (default seed, small scale) into a temp folder with its answer key, and a case
/// loaded from it once for the class's tests (the magics get it with <see cref="Attach"/>).</summary>
public abstract class GeneratedScenario : IDisposable
{
    protected GeneratedScenario(string scenario)
    {
        Folder = Directory.CreateTempSubdirectory($"flownb-{scenario}-").FullName;
        CaseGenerator.Generate(ScenarioCatalog.Find(scenario), new ScenarioOptions(), Folder);
        Key = AnswerKey.Load(System.IO.Path.Combine(Folder, CaseGenerator.AnswerKeyFile));
        loaded = new Lazy<FlowCase>(() =>
        {
            var c = FlowCase.Open();
            c.Load(Folder);
            return c;
        });
    }

    readonly Lazy<FlowCase> loaded;

    public string Folder { get; }
    public AnswerKey Key { get; }
    /// <summary>The scenario loaded into an in-memory case (on first use: notebook tests load it themselves).</summary>
    public FlowCase Case => loaded.Value;
    public string IocFile => System.IO.Path.Combine(Folder, "iocs.txt");

    /// <summary>Makes the loaded case the notebook's open case (as #!flow-case would), without loading it again.</summary>
    public void Attach(Microsoft.DotNet.Interactive.Kernel kernel) => FlowSession.Of(kernel)!.SetCase(Case);

    public void Dispose()
    {
        if (loaded.IsValueCreated) Case.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { /* reclaimed with temp space */ }
        GC.SuppressFinalize(this);
    }
}

public sealed class VpcCompromise() : GeneratedScenario("vpc-compromise");

