using FlowNotebooks.Formats;
using FlowNotebooks.Ingest;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-load --path logs/</c> or <c>#!flow-load s3://BUCKET/PREFIX --from … --to …</c>: loads evidence into
/// the case (an in-memory one if none is open; s3:// locations are streamed like <c>flownb ingest s3://</c>) with a
/// progress line updated in place, then a summary card.</summary>
internal static class FlowLoadDirective
{
    public static KernelActionDirective Create() => new("#!flow-load")
    {
        Description = "Loads VPC flow-log evidence (files or directory trees: S3 copies, CloudWatch exports, Firehose, Parquet, describe-* JSON; or s3://BUCKET/PREFIX, streamed) into the case.",
        Parameters =
        [
            new("--path", "File or directory of evidence, or s3://BUCKET/PREFIX to stream from S3.") { AllowImplicitName = true, Required = true, TypeHint = "file" },
            new("--format", "Field layout for objects without a header, e.g. \"version account-id interface-id srcaddr ...\"."),
            new("--config", "describe-flow-logs (or describe-network-interfaces) JSON to read first.") { TypeHint = "file" },
            new("--log-group", "CloudWatch log group the exports came from (picks their format)."),
            new("--strict", "Stop at the first rejected line.") { Flag = true },
            new("--workers", "Parallel workers (default: processor count)."),
            new("--name", "C# variable for the IngestSummary."),
            .. AwsDirectiveCommand.WindowParameters(),
            .. AwsDirectiveCommand.Parameters(),
        ],
    };

    public static async Task HandleAsync(FlowSession session, LoadEvidence command, KernelInvocationContext context)
    {
        var options = Options(command, context);
        if (session.Case is null)
        {
            session.SetCase(FlowCase.Open());
            await session.BindAsync(FlowCaseDirective.DefaultName, session.Case!, typeof(FlowCase));
        }
        var flowCase = session.RequireCase();

        var summary = await LiveProgress.RunAsync(context, new IngestProgress(0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, false),
            progress => Task.FromResult(flowCase.Load([command.Path!], options, command.Access(), progress)),
            (s, _) => new IngestProgress(s.Objects + s.Duplicates, s.Objects + s.Duplicates, s.Duplicates, s.Bytes, s.Bytes, s.Records, s.Rejects, s.Elapsed, true));
        context.Display(summary, "text/html", "text/plain");
        if (!string.IsNullOrEmpty(command.Name)) await session.BindAsync(command.Name, summary, typeof(IngestSummary));
    }

    /// <summary>What to do when a local evidence path does not exist (a template run from a fresh clone has no
    /// samples yet), or null when it exists or is not local.</summary>
    internal static string? MissingEvidence(string path)
    {
        if (path.Contains("://", StringComparison.Ordinal) || File.Exists(path) || Directory.Exists(path)) return null;
        return $"There is no evidence at '{path}' (from {Environment.CurrentDirectory}: {Path.GetFullPath(path)}). "
               + "For the bundled synthetic incident run, from the repository root, `flownb demo` (it writes samples-generated/vpc-compromise) "
               + "or `flownb generate --scenario vpc-compromise --out samples-generated/vpc-compromise`; "
               + "for your own case point --path (the notebook's evidence parameter) at the folder you collected.";
    }

    static IngestOptions Options(LoadEvidence c, KernelInvocationContext context)
    {
        if (string.IsNullOrWhiteSpace(c.Path)) throw new ArgumentException("#!flow-load needs --path (a file or directory).");
        if (c.Workers is < 1) throw new ArgumentException("--workers must be 1 or more.");
        if (MissingEvidence(c.Path) is { } missing) throw new ArgumentException(missing);
        var window = AwsDirectiveCommand.Window(c.From, c.To, context);
        return new IngestOptions
        {
            Strict = c.Strict,
            Format = string.IsNullOrWhiteSpace(c.Format) ? null : FlowLogFormat.Parse(c.Format),
            ConfigFiles = string.IsNullOrWhiteSpace(c.Config) ? [] : [c.Config],
            LogGroup = c.LogGroup,
            Workers = c.Workers ?? Environment.ProcessorCount,
            From = window.From,
            To = window.To,
        };
    }

}
