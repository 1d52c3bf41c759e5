using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>What an analyst gives to run procedures on Athena (<c>flownb analyze --athena</c>, <c>#!flow-athena</c>).</summary>
public sealed record AthenaConnectionOptions
{
    public required string WorkGroup { get; init; }
    /// <summary>describe-flow-logs as <c>flownb athena ddl</c> read it: the tables' names, columns and key layouts.</summary>
    public required string Config { get; init; }
    /// <summary>Database, table, accounts, regions and bucket, as given to <c>flownb athena ddl|create</c>.</summary>
    public required AthenaTableOptions Tables { get; init; }
    /// <summary>The engine asked for; null takes the workgroup's.</summary>
    public AthenaEngine? Engine { get; init; }
    public long MaxScanBytes { get; init; } = AthenaCostGuard.DefaultMaxScanBytes;
    public string? OutputLocation { get; init; }
    /// <summary>Configuration documents loaded into each run's case (describe-network-interfaces, bucket state, …); null
    /// takes the describe-*.json files beside <see cref="Config"/> (where <c>flownb collect ec2</c> saves them), empty none.</summary>
    public IReadOnlyList<string>? Inventory { get; init; }
    /// <summary>Region of the flow-log bucket when it is not the profile's.</summary>
    public string? BucketRegion { get; init; }
}

/// <summary>
/// Flow-log tables on Athena that procedures run over: the client, one source per table (one table per log format,
/// made by <c>flownb athena create</c> from the same describe-flow-logs), the engine, the workgroup and its per-query
/// cutoff, the scan limit, the configuration each run's case holds and how cited objects are fetched.
/// </summary>
public sealed class AthenaConnection(IAthenaQueries queries, IReadOnlyList<AthenaFlowSource> sources, AthenaEngine engine, string workGroup) : IDisposable
{
    public IAthenaQueries Queries { get; } = queries;
    public IReadOnlyList<AthenaFlowSource> Sources { get; } = sources;
    public AthenaEngine Engine { get; } = engine;
    public string WorkGroup { get; } = workGroup;
    public string? OutputLocation { get; init; }
    public long MaxScanBytes { get; init; } = AthenaCostGuard.DefaultMaxScanBytes;
    /// <summary>GetWorkGroup's answer (its per-query cutoff is honoured), or null when not asked.</summary>
    public AthenaWorkGroup? WorkGroupSettings { get; init; }
    /// <summary>Fetches the objects findings cite; null leaves them read in place only.</summary>
    public IS3ObjectFetch? Objects { get; init; }
    public IReadOnlyList<string> Inventory { get; init; } = [];
    /// <summary>What planning the tables left out, and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The tables as sources, without calling anything (a dry run needs no credentials).</summary>
    /// <exception cref="FormatException">The describe-flow-logs file or a name is not usable (see <see cref="AthenaTablePlanner.Plan"/>).</exception>
    public static (IReadOnlyList<AthenaFlowSource> Sources, IReadOnlyList<string> Notes) Plan(AthenaConnectionOptions o, AwsSettings settings)
    {
        var plan = AthenaTableSetup.PlanFromFile(o.Config, o.Tables);
        var sources = plan.Tables
            .Select(t => new AthenaFlowSource(new AthenaFlowTable(t, settings, o.BucketRegion), t.Format, t.SharesLocation ? t.FlowLogIds : []))
            .ToList();
        return (sources, plan.Notes);
    }

    /// <summary>Plans the tables, asks the workgroup for its engine and per-query cutoff (GetWorkGroup), and connects.</summary>
    /// <exception cref="FormatException">What the analyst gave does not fit (a name, the engine against the workgroup's).</exception>
    public static async Task<AthenaConnection> OpenAsync(AthenaConnectionOptions o, AwsSettings settings, CancellationToken cancel = default)
    {
        var (sources, notes) = Plan(o, settings);
        var client = new AthenaClient(settings);
        try
        {
            AthenaWorkGroup workGroup;
            try
            {
                workGroup = await client.GetWorkGroupAsync(o.WorkGroup, cancel).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AwsCallException or HttpRequestException or IOException)
            {
                throw AwsErrors.Explain(ex, $"Reading Athena workgroup {o.WorkGroup}", settings);
            }
            if (o.Engine is { } asked && asked != workGroup.Engine)
                throw new FormatException($"--engine {EngineOption(asked)}: workgroup {o.WorkGroup} runs {AthenaQueryRecord.EngineName(workGroup.Engine)}; "
                    + $"use --engine {EngineOption(workGroup.Engine)} or a workgroup that runs the engine asked for.");
            return new AthenaConnection(client, sources, workGroup.Engine, o.WorkGroup)
            {
                OutputLocation = o.OutputLocation, MaxScanBytes = o.MaxScanBytes, WorkGroupSettings = workGroup,
                Objects = new AthenaObjectFetch(settings, o.BucketRegion), Inventory = InventoryOf(o), Notes = notes,
            };
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The engine as <c>--engine</c> names it.</summary>
    public static string EngineOption(AthenaEngine e) => e == AthenaEngine.DuckDb ? "duckdb" : "v3";

    /// <summary>Reads <c>--engine</c>: v3 (or 3, trino) and duckdb.</summary>
    /// <exception cref="FormatException">Any other word.</exception>
    public static AthenaEngine ParseEngine(string text) => text.Trim().ToLowerInvariant() switch
    {
        "v3" or "3" or "trino" => AthenaEngine.Trino,
        "duckdb" => AthenaEngine.DuckDb,
        var other => throw new FormatException($"--engine '{other}': use v3 or duckdb."),
    };

    static IReadOnlyList<string> InventoryOf(AthenaConnectionOptions o)
    {
        if (o.Inventory is { } given)
        {
            foreach (var f in given.Where(f => !File.Exists(f))) throw new FormatException($"--inventory: no file '{f}'.");
            return given;
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(o.Config))!;
        return Directory.GetFiles(folder, "describe-*.json").Append(Path.GetFullPath(o.Config)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public void Dispose()
    {
        (Queries as IDisposable)?.Dispose();
        (Objects as IDisposable)?.Dispose();
    }
}
