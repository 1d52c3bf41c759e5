using System.Collections;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures.Athena;

/// <summary>A scenario as S3 text objects, loaded locally, and the same objects read through the Athena path (the
/// statements run on a local DuckDB with shim macros), for one engine's rendering.</summary>
public abstract class AthenaScenario : IDisposable
{
    protected AthenaScenario(string scenario, AthenaEngine engine)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"fnb-athena-{scenario}-{Guid.NewGuid():N}");
        CaseGenerator.Generate(ScenarioCatalog.Find(scenario), new ScenarioOptions(Formats: CaseFormats.Text), Folder);
        Key = AnswerKey.Load(Path.Combine(Folder, CaseGenerator.AnswerKeyFile));
        Local = CaseStore.Open();
        new EvidenceLoader(Local).Load([Folder]);
        CountedFlows.EnsureCurrent(Local);
        var span = Local.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        (From, To) = ((DateTime)span[0]!, ((DateTime)span[1]!).AddSeconds(1));
        Athena = new DuckDbAthena(Folder);
        Remote = CaseStore.Open();
        // The configuration is the analyst's (inventory, captures, log groups' retention, the bucket's state), loaded
        // locally as for any case; the records stay where Athena reads them.
        new EvidenceLoader(Remote).Load(Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).StartsWith("describe-", StringComparison.Ordinal) || Path.GetFileName(Path.GetDirectoryName(f)) == "s3-buckets")
            .Order(StringComparer.Ordinal).ToList());
        Queries = new AthenaCase(Athena, Athena.Sources, engine, "flownb", null)
            .FillAsync(Remote, From, To, Path.Combine(Folder, "athena-work")).GetAwaiter().GetResult();
    }

    public string Folder { get; }
    public AnswerKey Key { get; }
    public CaseStore Local { get; }
    public CaseStore Remote { get; }
    public DuckDbAthena Athena { get; }
    public IReadOnlyList<AthenaQueryRecord> Queries { get; }
    public DateTime From { get; }
    public DateTime To { get; }

    public (ProcedureResult Local, ProcedureResult Athena) Run(string procedure)
    {
        var p = ProcedureRegistry.Get(procedure);
        var values = new Dictionary<string, object?> { ["from"] = From, ["to"] = To, ["internal_cidrs"] = Key.VpcCidr };
        if (p.Parameters.Any(x => x.Name == "ioc_file")) values["ioc_file"] = Path.Combine(Folder, "iocs.txt");
        return (p.Run(Local, values), p.Run(Remote, values));
    }

    public void Dispose()
    {
        Local.Dispose();
        Remote.Dispose();
        Athena.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed class VpcCompromiseOnTrino() : AthenaScenario("vpc-compromise", AthenaEngine.Trino);
public sealed class CryptominerOnTrino() : AthenaScenario("cryptominer", AthenaEngine.Trino);
public sealed class VpcCompromiseOnDuckDbEngine() : AthenaScenario("vpc-compromise", AthenaEngine.DuckDb);

/// <summary>What every rendering must give: the local run's tables and findings, procedure by procedure.</summary>
public static class SameAsLocal
{
    public static IEnumerable<object[]> Procedures => ProcedureRegistry.All.Select(p => new object[] { p.Name });

    public static void Check(AthenaScenario c, string procedure)
    {
        var (local, athena) = c.Run(procedure);
        Table(local.Table, athena.Table, "table");
        Assert.Equal(local.Tables.Keys, athena.Tables.Keys);
        foreach (var (name, t) in local.Tables) Table(t, athena.Tables[name], name);
        Assert.Equal(local.Coverage, athena.Coverage);
        Assert.Equal(local.Findings.Select(Shown), athena.Findings.Select(Shown));
        // Each finding cites the same objects (by S3 key), now named by their s3:// URI and marked as not fetched.
        foreach (var (l, a) in local.Findings.Zip(athena.Findings))
        {
            Assert.Equal(l.Evidence.Select(e => KeyOf(e.Object)).Order(), a.Evidence.Select(e => KeyOf(e.Object)).Order());
            Assert.All(a.Evidence, e => { Assert.StartsWith("s3://", e.Object); Assert.Equal(AthenaCase.NotFetched, e.Sha256); });
        }
    }

    static string Shown(Finding f) => string.Join("\n", [f.Severity.ToString(), f.Technique ?? "", f.Title, f.Statement,
        .. f.Facts.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}")]);

    static string KeyOf(string o) => o[(o.IndexOf("AWSLogs/", StringComparison.Ordinal))..];

    static void Table(QueryResult l, QueryResult a, string name)
    {
        Assert.Equal(l.Columns, a.Columns);
        Assert.True(l.Rows.Count == a.Rows.Count, $"{name}: {l.Rows.Count} rows locally, {a.Rows.Count} through Athena");
        for (var i = 0; i < l.Rows.Count; i++)
            for (var j = 0; j < l.Columns.Count; j++)
                Assert.True(Same(l.Rows[i][j], a.Rows[i][j]), $"{name} row {i} {l.Columns[j]}: {Show(l.Rows[i][j])} locally, {Show(a.Rows[i][j])} through Athena");
    }

    static bool Same(object? x, object? y) => x is IEnumerable ex and not string && y is IEnumerable ey and not string
        ? ex.Cast<object?>().Select(Show).SequenceEqual(ey.Cast<object?>().Select(Show))
        : Show(x) == Show(y);

    static string Show(object? v) => v is IEnumerable e and not string ? "[" + string.Join(",", e.Cast<object?>().Select(Show)) + "]"
        : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "NULL";
}

public sealed class VpcCompromiseAthenaTrinoTests(VpcCompromiseOnTrino c) : IClassFixture<VpcCompromiseOnTrino>
{
    [Theory, MemberData(nameof(SameAsLocal.Procedures), MemberType = typeof(SameAsLocal))]
    public void Engine3_rendering_gives_the_local_tables_and_findings(string procedure) => SameAsLocal.Check(c, procedure);
}

public sealed class CryptominerAthenaTrinoTests(CryptominerOnTrino c) : IClassFixture<CryptominerOnTrino>
{
    [Theory, MemberData(nameof(SameAsLocal.Procedures), MemberType = typeof(SameAsLocal))]
    public void Engine3_rendering_gives_the_local_tables_and_findings(string procedure) => SameAsLocal.Check(c, procedure);
}

public sealed class VpcCompromiseAthenaDuckDbTests(VpcCompromiseOnDuckDbEngine c) : IClassFixture<VpcCompromiseOnDuckDbEngine>
{
    [Theory, MemberData(nameof(SameAsLocal.Procedures), MemberType = typeof(SameAsLocal))]
    public void DuckDb_engine_rendering_gives_the_local_tables_and_findings(string procedure) => SameAsLocal.Check(c, procedure);
}
