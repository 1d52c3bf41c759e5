using System.CommandLine;
using System.Globalization;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.Cli;

/// <summary>
/// <c>flownb collect s3://BUCKET/PREFIX | cloudwatch://LOG-GROUP | ec2 --out DIR [--from T --to T]</c>: acquires evidence
/// from AWS into a folder with a SHA-256 manifest (manifest.jsonl). Re-running over the same folder resumes.
/// </summary>
internal static class CollectVerb
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var source = new Argument<string>("source")
        {
            Description = "s3://BUCKET[/PREFIX] (flow-log objects), cloudwatch://LOG-GROUP (events; cloudwatch:///vpc/flow for a group named /vpc/flow) or ec2 (describe-flow-logs and describe-network-interfaces).",
        };
        var outDir = new Option<string>("--out") { Description = "Evidence folder (created; a re-run over it skips what is complete and verified).", Required = true };
        var aws = new AwsOptions();
        var streams = new Option<string[]>("--stream") { Description = "CloudWatch: only these log streams (repeatable)." };
        var streamPrefix = new Option<string?>("--stream-prefix") { Description = "CloudWatch: only streams starting with this (e.g. eni-0abc)." };
        var workers = new Option<int>("--workers") { Description = "Parallel S3 downloads.", DefaultValueFactory = _ => 4 };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines." };
        var command = new Command("collect", "Acquire flow-log evidence from AWS into a folder with a SHA-256 manifest.") { source, outDir, streams, streamPrefix, workers, quiet };
        foreach (var o in aws.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var src = parse.GetValue(source)!;
            var folder = parse.GetValue(outDir)!;
            IProgress<AcquisitionProgress>? progress = parse.GetValue(quiet) ? null : new AcquisitionConsoleProgress(error);
            var from = aws.FromUtc(parse);
            var to = aws.ToUtc(parse);
            var regions = parse.GetValue(aws.Region) ?? [];
            var c = CultureInfo.InvariantCulture;
            if (S3Location.IsS3Uri(src))
            {
                var selection = new S3Selection(S3Location.Parse(src))
                {
                    Accounts = parse.GetValue(aws.Account), Regions = regions, From = from, To = to,
                };
                foreach (var settings in aws.Settings(parse, parse.GetValue(aws.BucketRegion)))
                {
                    var r = new S3Acquirer(settings, Math.Max(1, parse.GetValue(workers))).AcquireAsync(selection, folder, progress).GetAwaiter().GetResult();
                    output.WriteLine(string.Create(c, $"{selection.Location}: {r.Objects.Count:N0} objects in the window ({r.Downloaded:N0} downloaded, {r.Verified:N0} already complete and verified, {r.Refetched:N0} fetched again), {r.Bytes / 1048576.0:N1} MiB; {r.ListedPrefixes.Count:N0} prefixes listed."));
                    foreach (var note in r.Notes.Take(20)) output.WriteLine($"  {note}");
                }
            }
            else if (src.StartsWith("cloudwatch://", StringComparison.OrdinalIgnoreCase))
            {
                var group = src["cloudwatch://".Length..];
                if (group.Length == 0) throw new CliException("cloudwatch:// needs a log group name (cloudwatch:///vpc/flow-logs for '/vpc/flow-logs').");
                var selection = new CloudWatchSelection(group)
                {
                    Streams = parse.GetValue(streams) is { Length: > 0 } s ? s : null, StreamPrefix = parse.GetValue(streamPrefix), From = from, To = to,
                };
                foreach (var region in regions.Length > 0 ? regions.Select(x => (string?)x) : [null])
                    foreach (var settings in aws.Settings(parse, region))
                    {
                        var r = CloudWatchCollector.CollectAsync(settings, selection, folder, progress).GetAwaiter().GetResult();
                        output.WriteLine(string.Create(c, $"{r.Entry.Source}: {r.Events:N0} events in {r.Pages:N0} pages -> {r.Entry.Path} (sha256 {r.Entry.Sha256})."));
                    }
            }
            else if (src.Equals("ec2", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var region in regions.Length > 0 ? regions.Select(x => (string?)x) : [null])
                    foreach (var settings in aws.Settings(parse, region))
                    {
                        var r = Ec2Collector.CollectAsync(settings, folder, progress).GetAwaiter().GetResult();
                        output.WriteLine(string.Create(c, $"ec2 {r.Region}: {r.FlowLogs:N0} flow logs, {r.Interfaces:N0} network interfaces -> {Path.GetRelativePath(folder, r.FlowLogsFile)}, {Path.GetRelativePath(folder, r.InterfacesFile)}."));
                    }
            }
            else throw new CliException($"Unknown source '{src}': give s3://BUCKET/PREFIX, cloudwatch://LOG-GROUP or ec2.");
            output.WriteLine($"Manifest: {Path.Combine(folder, AcquisitionManifest.FileName)}");
            return 0;
        });
        return command;
    }
}
