using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowNotebooks.Formats;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli.Bench;

/// <summary>
/// <c>flownb bench --pipeline</c>: evidence to every answer on the default scenario at a given size, against DuckDB's
/// read_csv CTAS of the scenario's gz text objects (the peer), measured in the same run. Each step runs in its own
/// process so its peak memory is its own: ingest, counting the journeys, the seven procedures, and adding the last 1% of
/// objects to a built case.
/// </summary>
internal static class PipelineBench
{
    /// <summary>The steps, in order; each a child process (<c>bench --pipeline-step NAME</c>).</summary>
    static readonly string[] Steps = ["duckdb-ctas", "ingest", "count", "answers", "incremental"];

    /// <summary>One step's figures.</summary>
    public sealed record StepMeasurement(string Step, double Seconds, long PeakBytes, long Records, long StoreBytes);

    public static int Run(string scenarioDir, long records, string? jsonFile, TextWriter output, Func<string[], string> child)
    {
        var folder = BenchCorpus.Ensure(Path.Combine(scenarioDir, records.ToString(CultureInfo.InvariantCulture)), records, CaseFormats.All);
        var work = Directory.CreateTempSubdirectory("flownb-pipeline-").FullName;
        try
        {
            var steps = Steps.Select(s => JsonSerializer.Deserialize<StepMeasurement>(child(["bench", "--pipeline-step", s, "--scenario-dir", folder, "--work", work]))!)
                .ToDictionary(s => s.Step);
            var peer = steps["duckdb-ctas"];
            var answers = steps["ingest"].Seconds + steps["count"].Seconds + steps["answers"].Seconds;
            var peak = steps.Values.Where(s => s.Step != "duckdb-ctas").Max(s => s.PeakBytes);
            var c = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(c, $"Scenario: {steps["ingest"].Records:N0} records, {Environment.ProcessorCount} cores, {folder}"));
            output.WriteLine($"{"step",-12} {"seconds",9} {"peak MiB",9} {"store MiB",10}");
            foreach (var s in steps.Values)
                output.WriteLine(string.Create(c, $"{s.Step,-12} {s.Seconds,9:N1} {s.PeakBytes / 1048576.0,9:N0} {s.StoreBytes / 1048576.0,10:N0}"));
            output.WriteLine(string.Create(c,
                $"Evidence to every answer: {answers:N1} s = {answers / peer.Seconds:N2}x DuckDB's read_csv CTAS of the gz text alone ({peer.Seconds:N1} s; goal <= 1.0); largest peak {peak / 1048576.0:N0} MiB (goal <= 2,048)."));
            output.WriteLine(string.Create(c,
                $"Adding the last 1% of objects to a built case: {steps["incremental"].Seconds:N1} s = {steps["incremental"].Seconds / (steps["ingest"].Seconds + steps["count"].Seconds):P1} of ingest + counting (goal <= 5%)."));
            if (jsonFile is not null)
            {
                var summary = new JsonObject
                {
                    ["records"] = steps["ingest"].Records,
                    ["evidence_to_answers_s"] = answers,
                    ["duckdb_ctas_s"] = peer.Seconds,
                    // Below 1: from evidence to every answer faster than DuckDB only loading the text.
                    ["evidence_to_answers_vs_duckdb_ctas"] = answers / peer.Seconds,
                    ["pipeline_peak_mib"] = peak / 1048576.0,
                    ["incremental_s"] = steps["incremental"].Seconds,
                    ["cores"] = Environment.ProcessorCount,
                };
                foreach (var s in steps.Values)
                {
                    summary[$"{s.Step.Replace('-', '_')}_s"] = s.Seconds;
                    summary[$"{s.Step.Replace('-', '_')}_peak_mib"] = s.PeakBytes / 1048576.0;
                }
                summary["store_mib"] = steps["count"].StoreBytes / 1048576.0;
                BenchSummary.Write(jsonFile, summary);
                output.WriteLine($"Figures written to {jsonFile}.");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The evidence without the last 1% of flow-log objects, and those: the latest 1% of each capture's objects (at
    /// least one), as an analyst adds the newest deliveries of every capture. Within a capture (an S3 key's flow-log id,
    /// else the object's folder: a CloudWatch log group) objects are in delivery order: the stamp in an S3 key, then the
    /// name (CloudWatch pages are numbered in the order the API returned them, oldest events first). Neither key order
    /// nor the newest objects of the whole case is that: by key, the Hive-partitioned Parquet keys sort after every text
    /// key (the last 1% was one capture's last day: 7.7% of the records at 10^8, a third of the case's hours); by stamp
    /// alone, the newest were one capture's 5-minute objects (0.1% of the bytes), the CloudWatch pages never.
    /// The configuration (describe-*.json, bucket states) stays in the first part; IOC lists are no evidence of flows.
    /// </summary>
    internal static (List<string> First, List<string> Last) SplitLastPercent(IReadOnlyList<string> evidence)
    {
        var objects = evidence.Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)).ToList();
        var last = objects
            .Select(f => (Path: f, Key: S3KeyLayout.Parse(f)))
            .GroupBy(o => o.Key.FlowLogId ?? LogGroupFolder(o.Path))
            .Where(capture => capture.Key is not null)
            .SelectMany(capture =>
            {
                var inOrder = capture.OrderBy(o => o.Key.DeliveryTime).ThenBy(o => o.Path, StringComparer.Ordinal).Select(o => o.Path).ToList();
                return inOrder.Skip(inOrder.Count - Math.Max(1, inOrder.Count / 100));
            })
            .ToHashSet();
        return (objects.Where(o => !last.Contains(o)).ToList(), objects.Where(last.Contains).ToList());
    }

    // The scenario's CloudWatch exports sit in cloudwatch/{log group}/; anything else without a flow-log id in its key
    // (describe-*.json, bucket states) is configuration.
    static string? LogGroupFolder(string path) =>
        Path.GetDirectoryName(path) is { } folder && Path.GetFileName(Path.GetDirectoryName(folder)) == "cloudwatch" ? folder : null;

    /// <summary>Runs one step in this process (the bench runs each in a fresh one) and returns its figures as JSON.</summary>
    public static string RunStep(string step, string folder, string work)
    {
        var caseFile = Path.Combine(work, "case.duckdb");
        var key = AnswerKey.Load(Path.Combine(folder, CaseGenerator.AnswerKeyFile));
        var evidence = BenchCorpus.Evidence(folder);
        // Listed (and each content hashed once) before the clock starts: only the peer reads them.
        IReadOnlyList<string> text = step == "duckdb-ctas" ? BenchCorpus.TextObjects(folder) : [];
        var clock = Stopwatch.StartNew();
        long records = 0;
        switch (step)
        {
            case "duckdb-ctas":
                // The peer: DuckDB reading the scenario's gz text objects, one copy of each (each capture's header names its columns).
                using (var peer = CaseStore.Open(Path.Combine(work, "peer.duckdb")))
                {
                    records = BenchCorpus.DuckDbCtas(peer, text);
                    peer.Execute("CHECKPOINT");
                }
                clock.Stop();
                File.Delete(Path.Combine(work, "peer.duckdb"));
                break;
            case "ingest":
                {
                    // Two loads, both timed: all but the last 1% of flow-log objects (the latest deliveries), then
                    // those. Between them, untimed, the case is copied for the incremental step, which so starts from the
                    // same 99% case without loading it a second time (at 10^8 records that load alone is half an hour).
                    var (first, last) = SplitLastPercent(evidence);
                    using (var store = CaseStore.Open(caseFile))
                    {
                        records = new EvidenceLoader(store).Load(first).Records;
                        store.Execute("CHECKPOINT");
                    }
                    clock.Stop();
                    File.Copy(caseFile, Path.Combine(work, "incremental.duckdb"), overwrite: true);
                    clock.Start();
                    using (var store = CaseStore.Open(caseFile))
                    {
                        records += new EvidenceLoader(store).Load(last).Records;
                        store.Execute("CHECKPOINT");
                    }
                    break;
                }
            case "count":
                using (var store = CaseStore.Open(caseFile))
                {
                    CountedFlows.EnsureCurrent(store);
                    records = store.Scalar<long>("SELECT count(*) FROM counted_flows");
                    store.Execute("CHECKPOINT");
                }
                break;
            case "answers":
                using (var store = CaseStore.Open(caseFile))
                    foreach (var p in ProcedureRegistry.All)
                    {
                        var values = new Dictionary<string, object?> { ["internal_cidrs"] = key.VpcCidr };
                        if (p.Name == "attacker-infrastructure") values["ioc_file"] = Path.Combine(folder, "iocs.txt");
                        records += p.Run(store, values).Table.Rows.Count;
                    }
                break;
            case "incremental":
                {
                    // The ingest step's copy of the 99% case, counted (untimed); then the timed part: load the last 1% of
                    // objects and count again. As an analyst meets it: the case closed (checkpointed) since, opened again
                    // for the new objects; timed to the checkpoint that makes the update durable, as ingest and count are.
                    var (_, last) = SplitLastPercent(evidence);
                    var incrementalCase = Path.Combine(work, "incremental.duckdb");
                    clock.Stop();
                    using (var store = CaseStore.Open(incrementalCase))
                        CountedFlows.EnsureCurrent(store);
                    clock.Restart();
                    using (var store = CaseStore.Open(incrementalCase))
                    {
                        records = new EvidenceLoader(store).Load(last).Records;
                        CountedFlows.EnsureCurrent(store);
                        store.Execute("CHECKPOINT");
                    }
                    clock.Stop();
                    File.Delete(incrementalCase);
                    break;
                }
            default:
                throw new CliException($"Unknown pipeline step '{step}'.");
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var storeBytes = File.Exists(caseFile) ? new FileInfo(caseFile).Length : 0;
        return JsonSerializer.Serialize(new StepMeasurement(step, seconds, BenchModes.PeakRss(), records, storeBytes));
    }
}
