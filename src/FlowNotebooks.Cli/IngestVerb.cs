using System.CommandLine;
using System.Globalization;
using FlowNotebooks.Formats;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli;

/// <summary>
/// <c>flownb ingest PATH|s3://BUCKET/PREFIX... --case FILE</c>: reads evidence into a case and says what it read. s3://
/// locations are streamed (listed for the window, each object fetched, verified and parsed by the parallel workers).
/// </summary>
internal static class IngestVerb
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders of evidence (.log, .log.gz, .parquet, CloudWatch JSON, describe-*.json), or s3://BUCKET/PREFIX to stream from S3.", Arity = ArgumentArity.OneOrMore };
        var caseFile = CaseOption.Create();
        var config = new Option<string[]>("--config") { Description = "describe-flow-logs JSON giving the formats (repeatable).", AllowMultipleArgumentsPerToken = true };
        var format = new Option<string?>("--format") { Description = "LogFormat ('${version} ${account-id} …') for objects without a header line." };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first rejected line instead of recording it." };
        var logGroup = new Option<string?>("--log-group") { Description = "Log group of CloudWatch exports (picks their format from --config)." };
        var aws = new AwsOptions();
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines." };
        var command = new Command("ingest", "Read flow-log evidence into a case store.") { paths, caseFile, config, format, strict, logGroup, quiet };
        foreach (var o in aws.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var window = aws.Window(parse, error);
            var options = new IngestOptions
            {
                Strict = parse.GetValue(strict),
                Format = parse.GetValue(format) is { } f ? FlowLogFormat.Parse(f) : null,
                ConfigFiles = parse.GetValue(config) ?? [],
                LogGroup = parse.GetValue(logGroup),
                From = window.From,
                To = window.To,
            };
            using var store = CaseStore.Open(parse.GetValue(caseFile));
            var progress = parse.GetValue(quiet) ? null : new ConsoleProgress<IngestProgress>(error, p => p.Finished);
            var summary = EvidenceIntake.LoadAsync(store, parse.GetValue(paths)!, options, aws.Access(parse), progress, listed => error.WriteLine(listed))
                .GetAwaiter().GetResult();
            progress?.Done();
            // The load ends with the journeys counted once, so `flownb query` on counted_journeys answers at once.
            var counting = CountedFlows.EnsureCurrent(store, progress: parse.GetValue(quiet) ? null : new CountingConsoleProgress(error));
            Print(output, summary, store);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Counted journeys: {CountedFlows.JourneyCount(store):N0} (each packet journey once, in counted_journeys; flows keeps every logged copy), counted in {counting.TotalSeconds:N1} s."));
            return 0;
        });
        return command;
    }

    static void Print(TextWriter o, IngestSummary s, CaseStore store)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"Read {s.Objects:N0} objects ({s.Bytes / 1048576.0:N1} MiB) in {s.Elapsed.TotalSeconds:N1} s: {s.Records:N0} records, {s.Rejects:N0} rejects."));
        if (s.Duplicates > 0) o.WriteLine(string.Create(c, $"Already in the case (same SHA-256), not loaded again: {s.Duplicates:N0} objects."));
        if (s.FirstTime is { } first && s.LastTime is { } last)
            o.WriteLine(string.Create(c, $"Time span: {first:yyyy-MM-dd HH:mm:ss}Z to {last:yyyy-MM-dd HH:mm:ss}Z; {s.Interfaces:N0} interfaces."));
        foreach (var line in IngestNotes.Times(s)) o.WriteLine(line);
        foreach (var (format, n) in s.Formats)
            o.WriteLine(string.Create(c, $"Format ({n:N0} objects): {format}"));
        if (s.RejectReasons.Count > 0)
        {
            o.WriteLine("Rejects by reason:");
            foreach (var (reason, n) in s.RejectReasons) o.WriteLine(string.Create(c, $"  {n,8:N0}  {reason}"));
            o.WriteLine("First rejects:");
            foreach (var r in s.FirstRejects) o.WriteLine($"  {r}");
        }
        if (s.Throttles > 0) o.WriteLine(string.Create(c, $"AWS throttled {s.Throttles:N0} calls (retried)."));
        foreach (var skipped in s.Skipped.Take(20)) o.WriteLine($"Skipped {skipped}");
        if (s.Skipped.Count > 20) o.WriteLine(string.Create(c, $"Skipped {s.Skipped.Count - 20:N0} more files."));
        o.WriteLine(store.Path is null ? "Case: in memory (gone when the command ends; give --case FILE to keep it)." : $"Case: {store.Path}");
    }
}

/// <summary>The shared <c>--case</c> option.</summary>
internal static class CaseOption
{
    public static Option<string?> Create(bool required = false) =>
        new("--case") { Description = "The case store (a DuckDB file; in memory when omitted).", Required = required };
}
