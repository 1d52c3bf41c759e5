using System.CommandLine;
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
        var outDir = new Option<string>("--out") { Description = "Evidence folder (created; a re-run over it skips what is complete and verified). Not needed with --plan." };
        var aws = new AwsOptions();
        var streams = new Option<string[]>("--stream") { Description = "CloudWatch: only these log streams (repeatable)." };
        var streamPrefix = new Option<string?>("--stream-prefix") { Description = "CloudWatch: only streams starting with this (e.g. eni-0abc)." };
        var workers = new Option<int>("--workers") { Description = "Parallel S3 downloads.", DefaultValueFactory = _ => 4 };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines." };
        var plan = new Option<bool>("--plan") { Description = "Copy nothing: list the folders or log groups the window needs, their sizes and expiry dates, soonest to expire first." };
        var command = new Command("collect", "Acquire flow-log evidence from AWS into a folder with a SHA-256 manifest and a custody record.") { source, outDir, streams, streamPrefix, workers, quiet, plan };
        foreach (var o in aws.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var window = aws.Window(parse, error);
            if (!parse.GetValue(plan) && string.IsNullOrWhiteSpace(parse.GetValue(outDir))) throw new ArgumentException("Give the evidence folder (--out DIR).");
            var request = new CollectionRequest(parse.GetValue(source)!, parse.GetValue(outDir) ?? "")
            {
                Access = aws.Access(parse), From = window.From, To = window.To,
                Streams = parse.GetValue(streams) ?? [], StreamPrefix = parse.GetValue(streamPrefix), Workers = Math.Max(1, parse.GetValue(workers)),
                CommandLine = ["flownb", .. parse.Tokens.Select(t => t.Value)],
            };
            if (parse.GetValue(plan))
            {
                var items = PreservationPlan.PlanAsync(request).GetAwaiter().GetResult();
                output.WriteLine($"Preservation plan for {request.Target} (nothing copied), soonest to expire first:");
                var n = 0;
                foreach (var i in items)
                    output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{++n,3}. {i.Source}  {i.Objects:N0} objects  {i.Bytes:N0} bytes  expires {(i.ExpiresAt is { } t ? t.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) : "never")}{(i.Note.Length > 0 ? "  (" + i.Note + ")" : "")}"));
                output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{items.Count:N0} item(s), {items.Sum(i => i.Bytes):N0} bytes."));
                return 0;
            }
            IProgress<AcquisitionProgress>? progress = parse.GetValue(quiet) ? null : new ConsoleProgress<AcquisitionProgress>(error, p => p.Finished);
            var result = EvidenceCollection.CollectAsync(request, progress).GetAwaiter().GetResult();
            foreach (var part in result.Parts)
            {
                output.WriteLine(part.Summary);
                foreach (var note in part.Notes.Take(20)) output.WriteLine($"  {note}");
            }
            output.WriteLine($"Manifest: {result.Manifest}");
            output.WriteLine($"Custody record: {result.CustodyFile}");
            return 0;
        });
        return command;
    }
}
