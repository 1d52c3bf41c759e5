using System.CommandLine;

namespace FlowNotebooks.Cli;

/// <summary>The <c>flownb</c> command: one verb per file, each translating arguments into engine calls.</summary>
public static class FlowCli
{
    /// <summary>Runs a command line; output and errors go to the given writers (tests capture them).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("FlowNotebooks: forensic analysis of AWS VPC Flow Logs in a DuckDB case store.");
        foreach (var verb in Verbs(output, error)) root.Subcommands.Add(verb);
        var parse = root.Parse(args);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is CliException or FlowNotebooks.Ingest.FlowLoadException or FileNotFoundException or DirectoryNotFoundException
                                       or FormatException or DuckDB.NET.Data.DuckDBException or System.Text.Json.JsonException or KeyNotFoundException
                                       or FlowNotebooks.Sources.Aws.AwsAcquisitionException
                                       or FlowNotebooks.Sources.Aws.Athena.AthenaQueryException or FlowNotebooks.Sources.Aws.Athena.AthenaScanRefusedException
                                       or FlowNotebooks.Notebooks.NotebookParameterException
                                       or FlowNotebooks.Enrichment.GeoIpDatabaseException
                                       or FlowNotebooks.Input.WindowException)
        {
            error.WriteLine($"flownb: {ex.Message}");
            return 1;
        }
    }

    static IEnumerable<Command> Verbs(TextWriter output, TextWriter error) =>
    [
        IngestVerb.Create(output, error),
        CollectVerb.Create(output, error),
        QueryVerb.Create(output),
        FormatsVerb.Create(output),
        BenchVerb.Create(output),
        GenerateVerb.Create(output, error),
        AnalyzeVerb.Create(output),
        ExportVerb.Create(output),
        RunVerb.Create(output, error),
        DemoVerb.Create(output, error),
        AthenaVerb.Create(output, error),
        TrainingVerb.Create(output, error),
    ];
}

/// <summary>A usage problem the CLI reports in one line (exit code 1).</summary>
public sealed class CliException(string message) : Exception(message);
