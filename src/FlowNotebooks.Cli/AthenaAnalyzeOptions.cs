using System.CommandLine;
using System.Globalization;
using FlowNotebooks.Formats;
using FlowNotebooks.Input;
using FlowNotebooks.Procedures;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb analyze PROCEDURE --athena --workgroup W --database D --table T [--engine v3|duckdb] [--max-scan 50GB]
/// [--dry-run]</c>: the procedure over the flow-log table in place; the case file (optional) holds the inventory.</summary>
internal sealed class AthenaAnalyzeOptions
{
    readonly Option<bool> athena = new("--athena") { Description = "Run over a flow-log table on Amazon Athena, in place (needs --workgroup, --database, --table and a window: --param from=… to=…)." };
    readonly Option<string?> workGroup = new("--workgroup") { Description = "With --athena: the Athena workgroup." };
    readonly Option<string?> database = new("--database") { Description = "With --athena: the Glue database of the table." };
    readonly Option<string?> table = new("--table") { Description = "With --athena: the flow-log table (made by flownb athena ddl, partitioned by day)." };
    readonly Option<string> engine = new("--engine") { Description = "With --athena: v3 (Athena engine version 3, Trino) or duckdb (Athena's DuckDB engine).", DefaultValueFactory = _ => "v3" };
    readonly Option<string> maxScan = new("--max-scan") { Description = "With --athena: refuse a run estimated to read more (" + AnalystInput.ByteSizeForms + ").", DefaultValueFactory = _ => "50GB" };
    readonly Option<string?> logFormat = new("--log-format") { Description = "With --athena: the table's log format (${…} fields in order); default the AWS default format." };
    readonly Option<bool> dryRun = new("--dry-run") { Description = "With --athena: print every statement it would send, each followed by a line holding only ';', and send nothing." };

    /// <summary>The Athena client for a workgroup. The client arrives with the Athena client branch; until it is wired here a
    /// run (not a dry run) stops with this message.</summary>
    internal static Func<string, IAthenaQueries> Clients { get; set; } =
        _ => throw new CliException("The Athena client is not part of this build yet: use --dry-run to see the statements.");

    /// <summary>The flow-log table (partition predicate, scan estimate). Until the client branch's table class is wired
    /// here: AWS's projection DDL layout, partitioned by <c>day</c> ('yyyy/MM/dd').</summary>
    internal static Func<string, string, IAthenaFlowTable> Tables { get; set; } = (d, t) => new DayPartitionedTable(d, t);

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { athena, workGroup, database, table, engine, maxScan, logFormat, dryRun }) command.Options.Add(o);
    }

    public bool Requested(ParseResult parse) => parse.GetValue(athena);

    /// <summary>Runs (or with --dry-run prints) the procedure over Athena; the result as a local run gives it.</summary>
    public ProcedureResult? Run(ParseResult parse, Procedure procedure, Dictionary<string, object?> values, string? caseFile, TextWriter output)
    {
        string Need(Option<string?> o) => parse.GetValue(o) is { Length: > 0 } v ? v : throw new CliException($"--athena needs {o.Name}.");
        var (w, d, t) = (Need(workGroup), Need(database), Need(table));
        var e = parse.GetValue(engine)!.ToLowerInvariant() switch
        {
            "v3" or "3" or "trino" => AthenaEngine.Trino,
            "duckdb" => AthenaEngine.DuckDb,
            var other => throw new CliException($"--engine '{other}': use v3 or duckdb."),
        };
        DateTime Time(string name) => values.TryGetValue(name, out var v) && v is string s
            ? Parse(() => AnalystInput.Time(s, name).Utc)
            : throw new CliException($"--athena needs a window: --param from=… --param to=… (a scan is billed by what it reads).");
        var (from, to) = (Time("from"), Time("to"));
        TimeWindow.CheckOrder(from, to, "from", "to");
        var format = Parse(() => parse.GetValue(logFormat) is { } f ? FlowLogFormat.Parse(f, "--log-format") : FlowLogFormat.Default);
        var limit = Parse(() => AnalystInput.ByteSize(parse.GetValue(maxScan)!, "--max-scan"));
        var sources = new[] { new AthenaFlowSource(Tables(d, t), format, []) };
        if (parse.GetValue(dryRun))
        {
            foreach (var s in new AthenaCase(NothingSent.Instance, sources, e, w, null).Statements(from, to))
            {
                output.WriteLine($"-- {s.Name}: {s.Description}");
                output.WriteLine(s.Sql);
                output.WriteLine(";");
            }
            return null;
        }
        using var store = CaseStore.Open(caseFile);
        var work = Path.Combine(Path.GetTempPath(), $"flownb-athena-{Guid.NewGuid():N}");
        try
        {
            var run = AthenaAnalysis.RunAsync(procedure, values, new AthenaCase(Clients(w), sources, e, w, null), sources, store, from, to, limit, work)
                .GetAwaiter().GetResult();
            foreach (var q in run.Queries)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Athena {q.Name}: {AthenaQueryRecord.EngineName(q.Engine)}, query {q.QueryExecutionId}, {q.DataScannedBytes:N0} bytes scanned, {q.Rows:N0} rows"));
            return run.Result;
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ex.Message);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (DirectoryNotFoundException) { }
        }
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

    /// <summary>A table as AWS's partition-projection DDL makes it: partitioned by <c>day</c> ('yyyy/MM/dd').</summary>
    sealed class DayPartitionedTable(string database, string table) : IAthenaFlowTable
    {
        public string Database => database;
        public string Table => table;

        public string PartitionPredicate(DateTimeOffset from, DateTimeOffset to, AthenaEngine engine) =>
            $"day BETWEEN '{Day(from.UtcDateTime.AddDays(-1))}' AND '{Day(to.UtcDateTime.AddDays(1))}'";

        static string Day(DateTime t) => t.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);

        public Task<AthenaScanEstimate> EstimateScanAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            throw new CliException("Estimating a scan needs the S3 listing of the Athena client branch, not part of this build yet.");
    }
}
