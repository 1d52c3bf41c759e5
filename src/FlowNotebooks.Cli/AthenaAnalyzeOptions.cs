using System.CommandLine;
using FlowNotebooks.Input;
using FlowNotebooks.Procedures;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb analyze PROCEDURE --athena --workgroup W --config describe-flow-logs.json --account A [--database D]
/// [--table T] [--engine v3|duckdb] [--max-scan 50GB] [--dry-run]</c>: the procedure over the flow-log tables in place
/// (the tables <c>flownb athena create</c> made from the same options); the inventory comes from beside --config,
/// --inventory files or a --case file (copied: the run never changes it).</summary>
internal sealed class AthenaAnalyzeOptions
{
    readonly Option<bool> athena = new("--athena") { Description = "Run over the flow-log tables on Amazon Athena, in place (needs --workgroup, --config, --account and a window: --param from=… to=…)." };
    readonly Option<string?> workGroup = new("--workgroup") { Description = "With --athena: the Athena workgroup (its engine and per-query scan cutoff apply)." };
    readonly AthenaTableCliOptions tables = new(configRequired: false);
    readonly Option<string?> engine = new("--engine") { Description = "With --athena: v3 (Athena engine version 3, Trino) or duckdb (Athena's DuckDB engine); default the workgroup's (v3 for --dry-run, which asks nothing)." };
    readonly Option<string> maxScan = new("--max-scan") { Description = "With --athena: refuse a run estimated to read more (" + AnalystInput.ByteSizeForms + ").", DefaultValueFactory = _ => AthenaCostGuard.DefaultMaxScan };
    readonly Option<string?> outputLocation = new("--output-location") { Description = "With --athena: s3:// folder for query results, when the workgroup sets none." };
    readonly Option<string[]> inventory = new("--inventory") { Description = "With --athena: configuration documents for the run's case (describe-network-interfaces.json, s3-buckets/*.json, …; repeatable). Default: the describe-*.json files beside --config." };
    readonly Option<string?> fetchCited = new("--fetch-cited") { Description = "With --athena: folder to keep the S3 objects the findings cite (fetched and hashed either way)." };
    readonly Option<string?> profile = new("--profile") { Description = "With --athena: AWS profile (default: AWS_PROFILE, then the default chain); AWS_ENDPOINT_URL_ATHENA overrides Athena's endpoint." };
    readonly Option<bool> dryRun = new("--dry-run") { Description = "With --athena: print every statement it would send, each followed by a line holding only ';', and send nothing." };

    public void AddTo(Command command)
    {
        command.Options.Add(athena);
        command.Options.Add(workGroup);
        tables.AddTo(command);
        foreach (var o in new Option[] { engine, maxScan, outputLocation, inventory, fetchCited, profile, dryRun }) command.Options.Add(o);
    }

    public bool Requested(ParseResult parse) => parse.GetValue(athena);

    /// <summary>Runs (or with --dry-run prints) the procedure over Athena; the result as a local run gives it. What Athena
    /// ran, scanned and cost goes to <paramref name="error"/> (the output stays the result alone, for --json and --csv).</summary>
    public ProcedureResult? Run(ParseResult parse, Procedure procedure, Dictionary<string, object?> values, string? caseFile, TextWriter output, TextWriter error)
    {
        var w = parse.GetValue(workGroup) is { Length: > 0 } g ? g : throw new CliException("--athena needs --workgroup.");
        var e = parse.GetValue(engine) is { } text ? Parse(() => AthenaConnection.ParseEngine(text)) : (AthenaEngine?)null;
        var (from, to) = Parse(() => AthenaAnalysis.Window(values));
        var limit = Parse(() => AnalystInput.ByteSize(parse.GetValue(maxScan)!, "--max-scan"));
        var config = parse.GetValue(tables.Config) is { Length: > 0 } c ? c
            : throw new CliException("--athena needs --config describe-flow-logs.json (the tables' columns and key layouts, as flownb athena ddl read them).");
        if (!File.Exists(config)) throw new CliException($"--config: no file '{config}'.");
        var given = parse.GetValue(inventory) ?? [];
        var options = new AthenaConnectionOptions
        {
            WorkGroup = w, Config = config, Tables = tables.Options(parse), Engine = e, MaxScanBytes = limit,
            OutputLocation = parse.GetValue(outputLocation),
            // A case file holds the inventory already; otherwise the files given, else those beside --config.
            Inventory = given.Length > 0 ? given : caseFile is not null ? [] : null,
        };
        var settings = new AwsSettings { Profile = parse.GetValue(profile) };
        if (parse.GetValue(dryRun))
        {
            var (sources, _) = Parse(() => AthenaConnection.Plan(options, settings));
            foreach (var s in new AthenaCase(NothingSent.Instance, sources, e ?? AthenaEngine.Trino, w, options.OutputLocation).Statements(from, to))
            {
                output.WriteLine($"-- {s.Name}: {s.Description}");
                output.WriteLine(s.Sql);
                output.WriteLine(";");
            }
            return null;
        }
        using var connection = Parse(() => AthenaConnection.OpenAsync(options, settings).GetAwaiter().GetResult());
        foreach (var note in connection.Notes) error.WriteLine($"flownb: {note}");
        var copy = caseFile is null ? null : CopyOf(caseFile);
        // Ctrl-C cancels the run: the query running on Athena is stopped (StopQueryExecution), not left to bill.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += stop;
        try
        {
            using var store = CaseStore.Open(copy);
            var run = AthenaAnalysis.RunAsync(procedure, values, connection, store, parse.GetValue(fetchCited), cancel.Token).GetAwaiter().GetResult();
            foreach (var line in run.Report()) error.WriteLine($"flownb: {line}");
            return run.Result;
        }
        finally
        {
            Console.CancelKeyPress -= stop;
            if (copy is not null) Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }

    // The analyst's case stays as it was: the run fills a copy (its write-ahead log too, if one is pending).
    static string CopyOf(string caseFile)
    {
        var copy = Path.Combine(Directory.CreateTempSubdirectory("flownb-athena-case-").FullName, "case.duckdb");
        File.Copy(caseFile, copy);
        if (File.Exists(caseFile + ".wal")) File.Copy(caseFile + ".wal", copy + ".wal");
        return copy;
    }

    static T Parse<T>(Func<T> read)
    {
        try { return read(); }
        catch (FormatException ex) { throw new CliException(ex.Message); }
    }

    /// <summary>Stands in for the client in a dry run: building the statements sends nothing.</summary>
    sealed class NothingSent : IAthenaQueries
    {
        public static readonly NothingSent Instance = new();
        public Task<AthenaQueryOutcome> RunAsync(AthenaQueryRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A dry run sends nothing.");
    }
}
