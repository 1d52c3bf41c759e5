using System.CommandLine;
using System.Globalization;
using FlowNotebooks.Presentation.Exports;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb export [journeys|PROCEDURE] --case FILE --format F --out FILE [--findings] [--table NAME] [--param name=value …]</c>.</summary>
internal static class ExportVerb
{
    public static Command Create(TextWriter output)
    {
        var source = new Argument<string>("source")
        {
            Description = "journeys (the counted journeys) or a procedure's name (its table, or its findings with --findings).",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => ExportRequest.Journeys,
        };
        var caseFile = CaseOption.Create(required: true);
        var format = new Option<string>("--format", "-f") { Description = $"One of: {ExportFormats.Names}.", Required = true };
        var outFile = new Option<string>("--out", "-o") { Description = "The file to write; its provenance goes beside it as FILE.provenance.json.", Required = true };
        var findings = new Option<bool>("--findings") { Description = "The procedure's findings instead of its table." };
        var table = new Option<string?>("--table") { Description = "A side table of the procedure's result instead of the main table." };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "A parameter as name=value (repeatable): the procedure's, or for journeys from, to, addresses, ports, action.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("export", "Export the counted journeys, a procedure's table or its findings as OCSF, a Timesketch timeline, CSV or Parquet, with a provenance sidecar.")
            { source, caseFile, format, outFile, findings, table, parameters };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(caseFile)!;
            if (!File.Exists(path)) throw new CliException($"No case file '{path}'.");
            var request = new ExportRequest(ExportFormats.Parse(parse.GetValue(format)!), parse.GetValue(source) ?? ExportRequest.Journeys)
            {
                Parameters = Procedures.ProcedureParameter.Pairs(parse.GetValue(parameters) ?? []),
                Findings = parse.GetValue(findings),
                Table = parse.GetValue(table),
            };
            using var store = CaseStore.Open(path);
            ExportSummary summary;
            try
            {
                summary = CaseExport.Write(store, request, parse.GetValue(outFile)!);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {summary.Rows:N0} rows to {summary.Path} (sha256 {summary.Sha256})."));
            if (summary.Bytes is { } bytes) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Journeys carry {bytes:N0} bytes in {summary.Packets:N0} packets."));
            output.WriteLine($"Provenance: {summary.ProvenancePath}");
            return 0;
        });
        return command;
    }
}
