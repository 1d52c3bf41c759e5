using System.Text.RegularExpressions;
using FlowNotebooks.Ingest;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Scenarios.Catalog;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Cli.Tests;

/// <summary>
/// A load killed hard part-way (a separate <c>flownb ingest</c> process, killed like <c>kill -9</c>) and run again ends
/// with exactly the records of an uninterrupted load: a manifest row and its records become visible together, and an
/// object whose row is missing is read again from its first line.
/// </summary>
public sealed partial class CrashSafetyTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("flownb-crash-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [GeneratedRegex(@"(\d[\d,]*)/(\d[\d,]*) objects")]
    private static partial Regex ObjectsDone();

    /// <summary>Records, a checksum over (object SHA-256, line) and the (object, line) pairs stored more than once.</summary>
    static (long Records, string Checksum, long Repeated) Fingerprint(CaseStore store) =>
    (
        store.Scalar<long>("SELECT count(*) FROM flows"),
        store.Scalar<string>("SELECT CAST(coalesce(sum(hash(e.sha256 || ':' || CAST(f.line AS VARCHAR))::HUGEINT), 0) AS VARCHAR) FROM flows f JOIN evidence e USING (evidence_id)")!,
        store.Scalar<long>("SELECT count(*) FROM (SELECT e.sha256, f.line FROM flows f JOIN evidence e USING (evidence_id) GROUP BY ALL HAVING count(*) > 1)")
    );

    [Fact]
    public void A_load_killed_part_way_and_run_again_has_exactly_the_records_of_an_uninterrupted_load()
    {
        var evidence = Path.Combine(dir, "evidence");
        CaseGenerator.Generate(new VpcCompromise(), new ScenarioOptions(), evidence);

        (long Records, string Checksum, long Repeated) expected;
        long objects;
        using (var reference = CaseStore.Open())
        {
            new EvidenceLoader(reference).Load([evidence]);
            expected = Fingerprint(reference);
            objects = reference.Scalar<long>("SELECT count(*) FROM evidence");
        }
        Assert.Equal(0, expected.Repeated);

        var casePath = Path.Combine(dir, "case.duckdb");
        var committed = KillPartWay(evidence, casePath, objects);
        Assert.InRange(committed, 1, objects - 1);

        var (code, _, error) = CliProcess.Run(TimeSpan.FromMinutes(5), "ingest", evidence, "--case", casePath, "--quiet");
        Assert.True(code == 0, error);
        using var store = CaseStore.Open(casePath);
        Assert.Equal(expected, Fingerprint(store));
        Assert.Equal(objects, store.Scalar<long>("SELECT count(*) FROM evidence"));
    }

    /// <summary>
    /// Runs <c>flownb ingest</c> committing after every object and kills it once its progress shows a quarter of the
    /// objects read; returns the manifest rows the case kept. A load that ended before the kill landed (a machine much
    /// faster than this test expects) is run again and killed sooner, so the test never depends on timing to pass.
    /// </summary>
    long KillPartWay(string evidence, string casePath, long objects)
    {
        long committed = 0;
        foreach (var fraction in new[] { 0.25, 0.05 })
        {
            foreach (var f in Directory.EnumerateFiles(dir, "case.duckdb*")) File.Delete(f);
            var killNow = false;
            var environment = new Dictionary<string, string> { ["FLOWNB_COMMIT_ROWS"] = "1" };
            using (var load = CliProcess.Start(environment, line =>
            {
                if (ObjectsDone().Match(line) is not { Success: true } m) return;
                var done = long.Parse(m.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
                var all = long.Parse(m.Groups[2].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
                if (done >= Math.Max(2, all * fraction)) Volatile.Write(ref killNow, true);
            }, "ingest", evidence, "--case", casePath))
            {
                var deadline = DateTime.UtcNow.AddMinutes(5);
                while (!Volatile.Read(ref killNow) && !load.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
                Assert.True(DateTime.UtcNow < deadline, "flownb ingest neither progressed nor ended in 5 minutes:\n" + load.Error);
                load.Kill();
            }
            using var store = CaseStore.Open(casePath);
            committed = store.Scalar<long>("SELECT count(*) FROM evidence");
            if (committed > 0 && committed < objects) break;
        }
        return committed;
    }
}
