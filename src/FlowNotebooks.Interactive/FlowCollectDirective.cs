using FlowNotebooks.Sources.Aws;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-collect s3://BUCKET/PREFIX | cloudwatch://LOG-GROUP | ec2 --out DIR [--from T --to T]</c>: acquires
/// evidence from AWS into a folder with a SHA-256 manifest, like <c>flownb collect</c>, with a progress line updated in
/// place (objects, bytes, records, throttles), then a summary card. A re-run over the same folder resumes.</summary>
internal static class FlowCollectDirective
{
    public static KernelActionDirective Create() => new("#!flow-collect")
    {
        Description = "Acquires flow-log evidence from AWS (S3 objects, CloudWatch Logs events, EC2 flow-log and interface descriptions) into a folder with a SHA-256 manifest.",
        Parameters =
        [
            new("--target", "s3://BUCKET[/PREFIX], cloudwatch://LOG-GROUP (cloudwatch:///vpc/flow for '/vpc/flow') or ec2.") { AllowImplicitName = true, Required = true },
            new("--out", "Evidence folder (created; a re-run over it skips what is complete and verified).") { Required = true, TypeHint = "file" },
            .. AwsDirectiveCommand.WindowParameters(),
            new("--stream", "CloudWatch: only these log streams (repeatable or comma-separated).") { MaxOccurrences = 100 },
            new("--stream-prefix", "CloudWatch: only streams starting with this (e.g. eni-0abc)."),
            new("--workers", "Parallel S3 downloads (default 4)."),
            new("--name", "C# variable for the CollectionResult."),
            .. AwsDirectiveCommand.Parameters(),
        ],
    };

    public static async Task HandleAsync(FlowSession session, CollectEvidence command, KernelInvocationContext context)
    {
        var request = Request(command, context);
        var result = await LiveProgress.RunAsync(context, new AcquisitionProgress("Listing", 0, 0, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, false),
            progress => EvidenceCollection.CollectAsync(request, progress),
            (r, last) => (last ?? new AcquisitionProgress("Collected", r.Objects, r.Objects, r.Verified, 0, r.Bytes, r.Bytes, r.Records, r.Throttles, r.Retries,
                TimeSpan.Zero, true)) with { Finished = true });
        context.Display(result, "text/html", "text/plain");
        if (!string.IsNullOrEmpty(command.Name)) await session.BindAsync(command.Name, result, typeof(CollectionResult));
    }

    static string[] Option(string name, string? value) => string.IsNullOrWhiteSpace(value) ? [] : [name, value.Trim()];

    /// <summary>The engine request, every option checked before anything is called.</summary>
    internal static CollectionRequest Request(CollectEvidence c, KernelInvocationContext? context = null)
    {
        if (string.IsNullOrWhiteSpace(c.Target)) throw new ArgumentException("#!flow-collect needs a target: s3://BUCKET/PREFIX, cloudwatch://LOG-GROUP or ec2.");
        CollectionTarget.Parse(c.Target);
        if (string.IsNullOrWhiteSpace(c.Out)) throw new ArgumentException("#!flow-collect needs --out DIR (the evidence folder).");
        if (c.Workers is < 1) throw new ArgumentException("--workers must be 1 or more.");
        var window = AwsDirectiveCommand.Window(c.From, c.To, context);
        return new CollectionRequest(c.Target.Trim(), c.Out.Trim())
        {
            Access = c.Access(),
            From = window.From,
            To = window.To,
            Streams = AwsDirectiveCommand.List(c.Stream),
            StreamPrefix = string.IsNullOrWhiteSpace(c.StreamPrefix) ? null : c.StreamPrefix,
            Workers = c.Workers ?? 4,
            CommandLine = ["#!flow-collect", c.Target.Trim(), "--out", c.Out.Trim(), .. Option("--from", c.From), .. Option("--to", c.To),
                .. (c.Stream ?? []).SelectMany(s => Option("--stream", s)), .. Option("--stream-prefix", c.StreamPrefix)],
        };
    }
}
