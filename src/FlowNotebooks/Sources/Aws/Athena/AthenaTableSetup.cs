using System.Text;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>What <c>flownb athena create</c> ran: each statement and its query execution id.</summary>
public sealed record AthenaCreated(string Statement, string QueryExecutionId);

/// <summary>
/// From a describe-flow-logs file to tables on Athena: plan them (<see cref="AthenaTablePlanner"/>), print the DDL as a
/// script, or run it statement by statement. The faces (<c>flownb athena ddl|create</c>) only pass options through.
/// </summary>
public static class AthenaTableSetup
{
    /// <summary>Reads describe-flow-logs (the AWS CLI's output, or <c>ec2/REGION/describe-flow-logs.json</c> as
    /// <c>flownb collect ec2</c> saves it) and plans its tables. With no region given, a file saved by the collector
    /// names its region by its folder, and that region is used.</summary>
    /// <exception cref="FormatException">See <see cref="AthenaTablePlanner.Plan"/>.</exception>
    public static AthenaTablePlan PlanFromFile(string path, AthenaTableOptions options)
    {
        var flowLogs = FlowLogConfig.ParseDescribeFlowLogs(File.ReadAllBytes(path));
        if (options.Regions.Count == 0 && Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) is { } folder && S3KeyLayout.IsRegionName(folder))
            options = options with { Regions = [folder] };
        return AthenaTablePlanner.Plan(flowLogs, options);
    }

    /// <summary>The statements as a script: each followed by a line holding only ';' (so a reader splits them without parsing SQL).</summary>
    public static string Script(IEnumerable<string> statements)
    {
        var sb = new StringBuilder();
        foreach (var s in statements) sb.Append(s).Append("\n;\n");
        return sb.ToString();
    }

    /// <summary>Runs every statement of the plan in order (database first), each with its own ClientRequestToken.</summary>
    public static async Task<IReadOnlyList<AthenaCreated>> CreateAsync(IAthenaQueries athena, AthenaTablePlan plan, string workGroup, string? outputLocation,
        CancellationToken cancel)
    {
        var created = new List<AthenaCreated>();
        foreach (var statement in AthenaDdl.Statements(plan))
        {
            var outcome = await athena.RunAsync(new AthenaQueryRequest(statement, workGroup, null, outputLocation, [], AthenaClient.NewClientRequestToken()), cancel)
                .ConfigureAwait(false);
            created.Add(new AthenaCreated(statement, outcome.QueryExecutionId));
        }
        return created;
    }
}
