using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FlowNotebooks.Scenarios.Delivery;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios;

/// <summary>What a generation wrote.</summary>
/// <param name="CpuSeconds">CPU seconds (user + sys) of the whole generation.</param>
/// <param name="CompressCpuSeconds">Of which compressing and writing S3 text objects.</param>
/// <param name="ObjectCpuSeconds">Of which creating and closing S3 text objects.</param>
public sealed record GenerateResult(string Folder, long Records, int Objects, double Rate, TimeSpan Elapsed, double CpuSeconds,
    double CompressCpuSeconds, double ObjectCpuSeconds)
{
    public double RecordsPerSecond => Records / Math.Max(1e-9, Elapsed.TotalSeconds);
}

/// <summary>
/// Writes a case folder as an analyst would have collected it: the S3 tree (<c>s3/&lt;bucket&gt;/AWSLogs/…</c>), CloudWatch
/// exports (<c>cloudwatch/&lt;log group&gt;/</c>), describe-flow-logs.json, describe-network-interfaces.json, iocs.txt, plus
/// answer-key.json and README.md. Traffic is generated an hour at a time straight into the objects, so memory does not
/// grow with the scale, and every random draw comes from the seed, so the bytes are the same on every run.
/// </summary>
public static class CaseGenerator
{
    public const string AnswerKeyFile = "answer-key.json";

    public static GenerateResult Generate(Scenario scenario, ScenarioOptions options, string folder, IProgress<string>? progress = null)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new IOException($"'{folder}' is not empty: generate into a new or empty folder.");
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        var cpu = CpuClock.Seconds;
        var rate = scenario.RateFor(options.Scale);
        var plan = scenario.Plan(options, rate);

        ConfigurationDocuments.WriteFlowLogs(Path.Combine(folder, "describe-flow-logs.json"), plan.Vpc, plan.Captures);
        ConfigurationDocuments.WriteNetworkInterfaces(Path.Combine(folder, "describe-network-interfaces.json"), plan.Vpc, plan.Start.AddDays(-97).AddHours(9.3));
        File.WriteAllText(Path.Combine(folder, "iocs.txt"), Iocs(plan), Utf8NoBom);
        File.WriteAllText(Path.Combine(folder, "README.md"), plan.Briefing, Utf8NoBom);

        long records;
        int objects;
        double compressCpu, objectCpu;
        using (var captures = new CaptureSet(plan.Vpc, plan.Captures, plan.MissingDeliveries, plan.SkipWindows, folder, options.Seed))
        {
            var router = new TrafficRouter(plan.Vpc, captures);
            var start = CaptureSet.Unix(plan.Start);
            var end = CaptureSet.Unix(plan.End);
            for (var h = start; h < end; h += 3600)
            {
                captures.BeginHour(h);
                var hour = new TrafficHour(h, options.Seed, rate, router);
                foreach (var source in plan.Sources) source.Emit(hour);
                captures.EndHour();
                if ((h - start) % 86400 == 82800) progress?.Report($"{DateTime.UnixEpoch.AddSeconds(h):yyyy-MM-dd}: {captures.Records:N0} records");
            }
            records = captures.Records;
            objects = captures.Objects;
            compressCpu = captures.CompressCpuSeconds;
            objectCpu = captures.ObjectCpuSeconds;
        }
        // The configuration that dates the evidence names an object the captures wrote, so it comes after them.
        var key = plan.Key;
        if (plan.Retention is { } retention && retention.Write(folder) is { } deletedKey && key.EvidenceWindow is { } window && retention.Deleted is var (capture, _, deletedAt))
            key = key with { EvidenceWindow = window with { DeletedObject = new KeyDeletedObject(deletedKey, RetentionPlan.VersionId(deletedKey, 1), deletedAt, capture.FlowLogId) } };
        File.WriteAllBytes(Path.Combine(folder, AnswerKeyFile), [.. JsonSerializer.SerializeToUtf8Bytes(key, AnswerKey.Json), (byte)'\n']);
        return new GenerateResult(folder, records, objects, rate, clock.Elapsed, CpuClock.Seconds - cpu, compressCpu, objectCpu);
    }

    static readonly UTF8Encoding Utf8NoBom = new(false);

    static string Iocs(ScenarioPlan plan)
    {
        var sb = new StringBuilder();
        sb.Append("# Attacker infrastructure reported by threat intelligence for this case (one address per line; text after # is a note).\n");
        foreach (var (ip, note) in plan.Iocs) sb.Append(ip).Append("  # ").Append(note).Append('\n');
        return sb.ToString();
    }
}
