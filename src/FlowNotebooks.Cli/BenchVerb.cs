using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FlowNotebooks.Cli.Bench;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Cli;

/// <summary>
/// <c>flownb bench</c>: ingest speed and memory against the gunzip floor and DuckDB's own read_csv, measured in the
/// same run on the same deterministic corpus, each mode in a fresh process. Reported as ratios, never asserted in tests.
/// </summary>
internal static class BenchVerb
{
    static readonly string[] Modes = ["gunzip-floor", "duckdb-read-csv", "flownb-ingest", "generate-gz"];

    public static Command Create(TextWriter output)
    {
        var records = new Option<long>("--records") { Description = "Records in the corpus: the default scenario at about this size (at least its own ~90,000), as S3 gzip text.", DefaultValueFactory = _ => 10_000_000 };
        var corpus = new Option<string>("--corpus") { Description = "Folder for the corpus (kept between runs).", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "flownb-bench-corpus") };
        var procedures = new Option<string?>("--procedures") { Description = "Instead: time every procedure on this case file (and the counted-records build) against a scan floor." };
        var iocs = new Option<string?>("--iocs") { Description = "With --procedures: the IOC file for attacker-infrastructure (a generated case's iocs.txt)." };
        var rebuild = new Option<bool>("--rebuild") { Description = "With --procedures: rebuild the counted records first and time it." };
        var mode = new Option<string?>("--mode") { Description = "Run one mode in this process and print its measurement as JSON (used by the bench itself).", Hidden = true };
        var generateRecords = new Option<long>("--generate-records") { Description = "Records the generate-gz mode writes (10M, like the ingest corpus: fixed start-up costs do not decide a per-record rate).", DefaultValueFactory = _ => 10_000_000 };
        var json = new Option<string?>("--json") { Description = "Also write the figures as a JSON object to this file (ratios, bytes per record, peak memory, records)." };
        var pipeline = new Option<bool>("--pipeline") { Description = "Instead: evidence to every answer (ingest, counting, the seven procedures, adding 1% more) on the default scenario of --records, against DuckDB's read_csv CTAS of its gz text." };
        var scenarioDir = new Option<string>("--scenario-dir") { Description = "With --pipeline: folder for the generated scenarios (kept between runs).", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "flownb-bench-scenarios") };
        var pipelineStep = new Option<string?>("--pipeline-step") { Description = "Run one pipeline step in this process (used by the bench itself).", Hidden = true };
        var workDir = new Option<string?>("--work") { Description = "The pipeline's working folder (used by the bench itself).", Hidden = true };
        var command = new Command("bench", "Measure ingest against the gunzip floor and DuckDB read_csv on a generated S3-layout corpus.") { records, corpus, procedures, iocs, rebuild, mode, generateRecords, json, pipeline, scenarioDir, pipelineStep, workDir };
        command.SetAction(parse =>
        {
            if (parse.GetValue(procedures) is { } casePath)
            {
                ProcedureBench.Run(casePath, parse.GetValue(iocs), parse.GetValue(rebuild), output);
                return 0;
            }
            if (parse.GetValue(pipelineStep) is { } step)
            {
                output.WriteLine(PipelineBench.RunStep(step, parse.GetValue(scenarioDir)!, parse.GetValue(workDir)!));
                return 0;
            }
            if (parse.GetValue(pipeline))
                return PipelineBench.Run(parse.GetValue(scenarioDir)!, parse.GetValue(records), parse.GetValue(json), output, Child);
            var dir = parse.GetValue(corpus)!;
            var work = Directory.CreateTempSubdirectory("flownb-bench-").FullName;
            try
            {
                if (parse.GetValue(mode) is { } one)
                {
                    output.WriteLine(BenchModes.ToJson(BenchModes.Run(one, dir, work, parse.GetValue(generateRecords))));
                    return 0;
                }
                var files = BenchCorpus.TextObjects(BenchCorpus.Ensure(dir, parse.GetValue(records), CaseFormats.Text));
                var gz = files.Sum(f => new FileInfo(f).Length);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Corpus: {files.Count} objects, {gz / 1048576.0:N0} MiB gzip, {Environment.ProcessorCount} cores."));
                var results = Modes.Select(m => RunChild(m, dir, parse.GetValue(generateRecords))).ToDictionary(m => m.Mode);
                var floor = results["gunzip-floor"];
                var peer = results["duckdb-read-csv"];
                var ours = results["flownb-ingest"];
                output.WriteLine($"{"mode",-16} {"seconds",8} {"records/s",12} {"peak MiB",9} {"store B/rec",11}");
                foreach (var m in results.Values)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{m.Mode,-16} {m.Seconds,8:N2} {m.Records / m.Seconds,12:N0} {m.PeakBytes / 1048576.0,9:N0} {(m.StoreBytes > 0 ? (m.StoreBytes / (double)m.Records).ToString("N1", CultureInfo.InvariantCulture) : "-"),11}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"flownb ingest vs DuckDB read_csv: {peer.Seconds / ours.Seconds:N2}x faster (goal >= 2x); vs gunzip floor: {floor.Seconds / ours.Seconds:N2}x of floor speed (goal >= 0.25x)."));
                var gen = results["generate-gz"];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Scenario generator (gzip text, one thread, after a warm-up): {gen.Records / gen.CpuSeconds:N0} records per CPU-second (goal >= 2,000,000 per core); "
                    + $"gzip alone of the same text (GZipStream, Fastest): {gen.Records / gen.BaselineCpuSeconds:N0} records per CPU-second; generator at {gen.BaselineCpuSeconds / gen.CpuSeconds:N2}x of gzip-alone speed."));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Generator CPU: {gen.CpuSeconds:N2} s = compress+write {gen.CompressCpuSeconds:N2} s, create/close files {gen.ObjectCpuSeconds:N2} s, "
                    + $"generate+format+runtime {gen.CpuSeconds - gen.CompressCpuSeconds - gen.ObjectCpuSeconds:N2} s; gzip alone {gen.BaselineCpuSeconds:N2} s. "
                    + $"Size: {gen.StoreBytes / (double)gen.Records:N1} gzip bytes per record (gzip alone: {gen.BaselineGzipBytes / (double)gen.Records:N1})."));
                if (ours.Records != floor.Records || peer.Records != floor.Records)
                    output.WriteLine($"WARNING: record counts differ (floor {floor.Records}, peer {peer.Records}, ours {ours.Records}).");
                if (parse.GetValue(json) is { } jsonFile)
                {
                    BenchSummary.Write(jsonFile, BenchSummary.Of(floor, peer, ours, gen, files.Count));
                    output.WriteLine($"Figures written to {jsonFile}.");
                }
                return 0;
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    static BenchModes.Measurement RunChild(string mode, string corpus, long generateRecords) =>
        BenchModes.FromJson(Child(["bench", "--mode", mode, "--corpus", corpus, "--generate-records", generateRecords.ToString(CultureInfo.InvariantCulture)]));

    /// <summary>Runs flownb with these arguments in a fresh process (so its peak memory is its own); its last output line.</summary>
    static string Child(string[] arguments)
    {
        var self = Environment.ProcessPath ?? throw new CliException("Cannot find the flownb executable to run bench modes.");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(BenchVerb).Assembly.Location);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new CliException($"bench step '{string.Join(' ', arguments.Skip(1).Take(2))}' failed (exit {p.ExitCode}).");
        return output.Trim().Split('\n')[^1];
    }
}
