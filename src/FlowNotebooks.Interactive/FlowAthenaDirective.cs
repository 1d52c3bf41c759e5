using FlowNotebooks.Input;
using FlowNotebooks.Procedures;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary>
/// <c>#!flow-athena --workgroup W --config describe-flow-logs.json --account A [--engine v3|duckdb] [--max-scan 50GB] …</c>:
/// connects the notebook to the flow-log tables on Athena (as <c>flownb analyze --athena</c> reads them); the procedure
/// magics and <c>FlowProcedures.RunAsync</c> then run there, each over its --from/--to window. <c>#!flow-athena --local</c>
/// goes back to the open case.
/// </summary>
internal static class FlowAthenaDirective
{
    public const string Example = "#!flow-athena --workgroup forensics --config ec2/eu-west-1/describe-flow-logs.json --account 123456789012 --max-scan 20GB";

    public static KernelActionDirective Create() => new("#!flow-athena")
    {
        Description = "Runs the procedure magics on Amazon Athena over the flow-log tables made by flownb athena create (the same options), in place; --local goes back to the open case.",
        Parameters =
        [
            new("--workgroup", "Athena workgroup (its engine and per-query scan cutoff apply)."),
            new("--config", "describe-flow-logs JSON the tables were made from (their columns and key layouts).") { TypeHint = "file" },
            new("--account", "Accounts whose folders the bucket holds (repeatable or comma-separated).") { MaxOccurrences = 50 },
            new("--region", "Regions whose folders the bucket holds (repeatable or comma-separated). Default: the region folder --config was collected in.") { MaxOccurrences = 50 },
            new("--bucket", "s3://BUCKET[/PREFIX] holding AWSLogs/, instead of each flow log's destination."),
            new("--database", "Athena (Glue) database (default flownb)."),
            new("--table", "Table name (default vpc_flow_logs; with several formats each table has its first flow log's id appended)."),
            new("--engine", "v3 (Athena engine version 3, Trino) or duckdb (Athena's DuckDB engine); default the workgroup's."),
            new("--max-scan", $"Refuse a run estimated to read more (default {AthenaCostGuard.DefaultMaxScan}; {AnalystInput.ByteSizeForms})."),
            new("--output-location", "s3:// folder for query results, when the workgroup sets none."),
            new("--inventory", "Configuration documents for each run's case (describe-network-interfaces.json, …; repeatable). Default: the describe-*.json files beside --config.") { MaxOccurrences = 100, TypeHint = "file" },
            new("--fetch-cited", "Folder to keep the S3 objects the findings cite (fetched and hashed either way).") { TypeHint = "file" },
            new("--profile", "AWS profile (default: AWS_PROFILE, then the default chain); AWS_ENDPOINT_URL_ATHENA overrides Athena's endpoint."),
            new("--name", "C# variable for the connection (its tables, engine, workgroup and scan limit)."),
            new("--local", "Disconnect: the procedure magics run on the open case again.") { Flag = true },
        ],
    };

    public static async Task HandleAsync(FlowSession session, ConnectAthena c, KernelInvocationContext context)
    {
        if (c.Local)
        {
            session.UseAthena(null);
            context.DisplayAs("Procedures run on the open case again (not on Athena).", "text/plain");
            return;
        }
        var options = Options(c);
        var connection = await AthenaConnection.OpenAsync(options, new AwsSettings { Profile = Blank(c.Profile) }, context.CancellationToken);
        session.UseAthena(new AthenaSession(connection, Blank(c.FetchCited)));
        if (Blank(c.Name) is { } name) await session.BindAsync(name, connection, typeof(AthenaConnection));
        var tables = string.Join(", ", connection.Sources.Select(s => $"{s.Table.Database}.{s.Table.Table}"));
        context.DisplayAs($"Procedures now run on {AthenaQueryRecord.EngineName(connection.Engine)} in workgroup {connection.WorkGroup} over {tables}"
            + (connection.WorkGroupSettings?.BytesScannedCutoffPerQuery is { } cut ? $" (the workgroup cuts queries off at {AthenaSizes.Format(cut)})" : "")
            + $"; a run reading more than {AthenaSizes.Format(connection.MaxScanBytes)} is refused. Give each procedure --from and --to. #!flow-athena --local goes back to the open case."
            + string.Concat(connection.Notes.Select(n => "\n" + n)), "text/plain");
    }

    /// <summary>The engine's options from the magic's, every value checked before anything is called.</summary>
    internal static AthenaConnectionOptions Options(ConnectAthena c)
    {
        var workGroup = Blank(c.Workgroup) ?? throw new ArgumentException("#!flow-athena needs --workgroup (or --local to go back to the open case).");
        var config = Blank(c.Config) ?? throw new ArgumentException("#!flow-athena needs --config describe-flow-logs.json (the tables' columns and key layouts, as flownb athena ddl read them).");
        if (!File.Exists(config)) throw new ArgumentException($"--config: no file '{config}'.");
        var inventory = AwsDirectiveCommand.List(c.Inventory);
        return new AthenaConnectionOptions
        {
            WorkGroup = workGroup, Config = config,
            Tables = new AthenaTableOptions
            {
                Database = Blank(c.Database) ?? "flownb", Table = Blank(c.Table) ?? "vpc_flow_logs",
                Bucket = Blank(c.Bucket) is { } b ? S3Location.Parse(b) : null,
                Accounts = AwsDirectiveCommand.List(c.Account), Regions = AwsDirectiveCommand.List(c.Region),
            },
            Engine = Blank(c.Engine) is { } e ? AthenaConnection.ParseEngine(e) : null,
            MaxScanBytes = Blank(c.MaxScan) is { } m ? AnalystInput.ByteSize(m, "--max-scan") : AthenaCostGuard.DefaultMaxScanBytes,
            OutputLocation = Blank(c.OutputLocation),
            Inventory = inventory.Length > 0 ? inventory : null,
        };
    }

    /// <summary>Runs a procedure on the connected tables: a case of its own per run (the connection's configuration, the
    /// records Athena returned), the run's report shown above the findings.</summary>
    internal static async Task<ProcedureResult> RunAsync(AthenaSession athena, Procedure procedure, IReadOnlyDictionary<string, object?> values,
        KernelInvocationContext context)
    {
        using var store = CaseStore.Open();
        var run = await AthenaAnalysis.RunAsync(procedure, values, athena.Connection, store, athena.FetchCited, context.CancellationToken);
        context.DisplayAs(string.Join("\n", run.Report()), "text/plain");
        return run.Result;
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>A notebook's connection to Athena and where it keeps the objects findings cite.</summary>
public sealed record AthenaSession(AthenaConnection Connection, string? FetchCited) : IDisposable
{
    public void Dispose() => Connection.Dispose();
}
