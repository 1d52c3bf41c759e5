using System.Globalization;
using FlowNotebooks.Formats;
using FlowNotebooks.Ingest;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-load --path logs/</c>: loads evidence into the case (an in-memory one if none is open) with a
/// progress line updated in place, then a summary card.</summary>
internal static class FlowLoadDirective
{
    static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public static KernelActionDirective Create() => new("#!flow-load")
    {
        Description = "Loads VPC flow-log evidence (files or directory trees: S3 copies, CloudWatch exports, Firehose, Parquet, describe-* JSON) into the case.",
        Parameters =
        [
            new("--path", "File or directory of evidence.") { AllowImplicitName = true, Required = true, TypeHint = "file" },
            new("--format", "Field layout for objects without a header, e.g. \"version account-id interface-id srcaddr ...\"."),
            new("--config", "describe-flow-logs (or describe-network-interfaces) JSON to read first.") { TypeHint = "file" },
            new("--log-group", "CloudWatch log group the exports came from (picks their format)."),
            new("--strict", "Stop at the first rejected line.") { Flag = true },
            new("--workers", "Parallel workers (default: processor count)."),
            new("--from", "Skip objects delivered before this UTC time (ISO 8601)."),
            new("--to", "Skip objects delivered after this UTC time (ISO 8601)."),
            new("--name", "C# variable for the IngestSummary."),
        ],
    };

    public static async Task HandleAsync(FlowSession session, LoadEvidence command, KernelInvocationContext context)
    {
        var options = Options(command);
        if (session.Case is null)
        {
            session.SetCase(FlowCase.Open());
            await session.BindAsync(FlowCaseDirective.DefaultName, session.Case!, typeof(FlowCase));
        }
        var flowCase = session.RequireCase();

        // The load runs on a worker; this handler keeps the invocation context, which display updates need.
        var progress = new LatestProgress();
        var shown = context.Display(new IngestProgress(0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, false), "text/html", "text/plain");
        var load = Task.Run(() => flowCase.Load([command.Path!], options, progress));
        IngestProgress? last = null;
        while (!load.IsCompleted)
        {
            await Task.WhenAny(load, Task.Delay(Refresh));
            if (progress.Latest is { } p && p != last) shown.Update(last = p);
        }
        var summary = await load;
        shown.Update(new IngestProgress(summary.Objects + summary.Duplicates, summary.Objects + summary.Duplicates, summary.Duplicates,
            summary.Bytes, summary.Bytes, summary.Records, summary.Rejects, summary.Elapsed, true));
        context.Display(summary, "text/html", "text/plain");
        if (!string.IsNullOrEmpty(command.Name)) await session.BindAsync(command.Name, summary, typeof(IngestSummary));
    }

    static IngestOptions Options(LoadEvidence c)
    {
        if (string.IsNullOrWhiteSpace(c.Path)) throw new ArgumentException("#!flow-load needs --path (a file or directory).");
        if (c.Workers is < 1) throw new ArgumentException("--workers must be 1 or more.");
        return new IngestOptions
        {
            Strict = c.Strict,
            Format = string.IsNullOrWhiteSpace(c.Format) ? null : FlowLogFormat.Parse(c.Format),
            ConfigFiles = string.IsNullOrWhiteSpace(c.Config) ? [] : [c.Config],
            LogGroup = c.LogGroup,
            Workers = c.Workers ?? Environment.ProcessorCount,
            From = Time(c.From, "--from"),
            To = Time(c.To, "--to"),
        };
    }

    static DateTime? Time(string? text, string parameter) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new ArgumentException($"{parameter} '{text}' is not a time: use ISO 8601, e.g. 2024-05-01T00:00:00Z.");

    /// <summary>Keeps only the newest snapshot (the loader reports from a timer thread).</summary>
    sealed class LatestProgress : IProgress<IngestProgress>
    {
        IngestProgress? latest;
        public IngestProgress? Latest => Volatile.Read(ref latest);
        public void Report(IngestProgress value) => Volatile.Write(ref latest, value);
    }
}
