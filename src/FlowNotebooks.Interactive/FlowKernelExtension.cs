using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;

namespace FlowNotebooks.Interactive;

/// <summary>
/// Entry point: <c>interactive-extensions/dotnet/extension.dib</c> calls <see cref="Load"/> after
/// <c>#r "nuget:FlowNotebooks.Interactive"</c>; a local build calls it from a cell. Loading twice changes nothing.
/// </summary>
public static class FlowKernelExtension
{
    /// <summary>Adds the FlowNotebooks magics, the flow-sql kernel and the formatters to a notebook's kernels.</summary>
    public static void Load(Kernel kernel)
    {
        // First: nothing below may touch Plotly.NET before FSharp.Core requests can be answered.
        FSharpCoreUnification.Install();

        var root = kernel.RootKernel as CompositeKernel
                   ?? throw new ArgumentException("FlowNotebooks needs the notebook's root (composite) kernel.", nameof(kernel));
        var csharp = root.ChildKernels.OfType<CSharpKernel>().FirstOrDefault()
                     ?? throw new InvalidOperationException("FlowNotebooks needs a C# kernel in the notebook.");
        if (csharp.KernelInfo.SupportedDirectives.Any(d => d.Name == "#!flow-case")) return;

        var session = new FlowSession(csharp);
        session.AttachTo(root);
        FlowFormatters.Register();
        var caseDirective = FlowCaseDirective.Create();
        var loadDirective = FlowLoadDirective.Create();
        var collectDirective = FlowCollectDirective.Create();
        var exportDirective = FlowExportDirective.Create();
        var athenaDirective = FlowAthenaDirective.Create();
        var sql = new FlowSqlKernel(session);
        var help = new Dictionary<string, (Microsoft.DotNet.Interactive.Directives.KernelDirective Directive, string Example)>(StringComparer.Ordinal)
        {
            [caseDirective.Name] = (caseDirective, "#!flow-case --path cases/incident-42.duckdb"),
            [loadDirective.Name] = (loadDirective, "#!flow-load --path evidence/ --name load"),
            [collectDirective.Name] = (collectDirective, "#!flow-collect s3://BUCKET/AWSLogs/ --out evidence/ --from 2025-11-18T00:00Z --to 2025-11-19T00:00Z"),
            [athenaDirective.Name] = (athenaDirective, FlowAthenaDirective.Example),
            [exportDirective.Name] = (exportDirective, "#!flow-export journeys --format timesketch-csv --out exports/timeline.csv --from 2025-11-18T00:00Z"),
            ["#!" + FlowSqlKernel.KernelName] = (sql.KernelSpecifierDirective,
                "#!flow-sql --name top   (then, on the next lines: SELECT src, dst, sum(bytes) AS bytes FROM counted_journeys GROUP BY ALL ORDER BY bytes DESC LIMIT 10)"),
        };
        root.AddMiddleware(async (command, context, next) =>
        {
            // A cell the host could not parse reaches here as its one failing command: say what the analyst needs instead.
            if (!ReferenceEquals(command, context.Command) && context.Command is Microsoft.DotNet.Interactive.Commands.SubmitCode cell
                && CheckedCells.TryAdd(cell, true) && HelpFor(cell.Code, help) is { } said)
            {
                if (said.Error) context.Fail(cell, message: said.Text);
                else context.DisplayAs(said.Text, "text/plain");
                return;
            }
            FlowFormatters.EnsurePreferred();
            await next(command, context);
        });
        csharp.AddDirective<OpenCase>(caseDirective, Guarded<OpenCase>(session, caseDirective.Name, FlowCaseDirective.HandleAsync));
        csharp.AddDirective<LoadEvidence>(loadDirective, Guarded<LoadEvidence>(session, loadDirective.Name, FlowLoadDirective.HandleAsync));
        csharp.AddDirective<CollectEvidence>(collectDirective, Guarded<CollectEvidence>(session, collectDirective.Name, FlowCollectDirective.HandleAsync));
        csharp.AddDirective<ExportCase>(exportDirective, Guarded<ExportCase>(session, exportDirective.Name, FlowExportDirective.HandleAsync));
        csharp.AddDirective<ConnectAthena>(athenaDirective, Guarded<ConnectAthena>(session, athenaDirective.Name, FlowAthenaDirective.HandleAsync));
        root.Add(sql);
        // The host keeps one handler per command type, so every procedure magic shares one that dispatches on the magic's name.
        foreach (var (magic, name) in ProcedureMagics.All)
        {
            var procedure = Procedures.ProcedureRegistry.Get(name);
            var directive = ProcedureDirective.Create(magic, procedure);
            help[magic] = (directive, MagicHelp.Example(magic, procedure));
            csharp.AddDirective<RunProcedure>(directive, CommandErrors.Guard<RunProcedure>((c, x) => ProcedureDirective.HandleAsync(session, c, x)));
        }
        SeveralValuesOnOneLine.Install(root, IsFlowMagicLine);

        KernelInvocationContext.Current?.DisplayAs("""
            <details><summary>FlowNotebooks is loaded: <code>#!flow-case</code>, <code>#!flow-load</code>, <code>#!flow-collect</code>, <code>#!flow-sql</code>.</summary>
            <p><code>#!flow-case --path case.duckdb</code> opens or creates a case (omit the path for memory) as <code>flowCase</code>;
            <code>#!flow-load --path logs/</code> loads evidence (<code>#!flow-load s3://bucket/prefix --from … --to …</code> streams it from S3);
            <code>#!flow-collect s3://bucket/prefix | cloudwatch://group | ec2 --out evidence/</code> acquires it from AWS into a folder with a manifest; a <code>#!flow-sql --name df</code> cell runs SQL over
            <code>counted_journeys</code> (each packet journey once: sum bytes here), <code>flows</code> (every logged copy: a journey
            logged by both ends' interfaces appears twice), <code>evidence</code>, <code>rejects</code>, <code>flow_logs</code>, <code>interfaces</code> and binds a DataFrame.
            From C#: <code>flowCase.Query(sql)</code>, <code>flowCase.Flows("dstport = 22")</code>,
            <code>CaseCharts.Timeline(flowCase)</code>, <code>CaseCharts.Top(flowCase)</code>, <code>CaseCharts.HourByHost(flowCase)</code>.</p>
            <p>Procedures (findings, chart, table; <code>--name</code> binds the table, <code>--result</code> the findings):
            <code>#!flow-coverage</code>, <code>#!flow-conversations</code>, <code>#!flow-exfil-ledger</code>, <code>#!flow-lateral-movement</code>,
            <code>#!flow-attacker-infrastructure</code>, <code>#!flow-beaconing</code>, <code>#!flow-rejected-recon</code> (the names of
            <code>flownb analyze</code>; the short forms <code>#!flow-exfil</code>, <code>-lateral</code>, <code>-attacker-infra</code>,
            <code>-beacons</code>, <code>-recon</code> still work).</p>
            <p><code>#!flow-export journeys --format ocsf-parquet --out out/journeys.parquet</code> exports the counted journeys
            (OCSF 1.1.0 Network Activity, a Timesketch timeline, CSV or Parquet), a procedure's table or its findings
            (<code>#!flow-export exfil-ledger --findings --format timesketch-csv --out out/findings.csv</code>), with a provenance sidecar.</p>
            <p><code>#!flow-athena --workgroup W --config describe-flow-logs.json --account A</code> runs the procedure magics on Amazon
            Athena over the tables <code>flownb athena create</code> made (give each --from and --to; a scan above --max-scan is refused);
            <code>#!flow-athena --local</code> goes back to the open case.</p>
            </details>
            """, "text/html");
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.DotNet.Interactive.Commands.SubmitCode, object> CheckedCells = [];

    /// <summary>Help asked for, or an option misspelled, on a FlowNotebooks magic line of the cell.</summary>
    static (string Text, bool Error)? HelpFor(string code,
        IReadOnlyDictionary<string, (Microsoft.DotNet.Interactive.Directives.KernelDirective Directive, string Example)> help)
    {
        foreach (var line in code.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("#!flow-", StringComparison.Ordinal)))
        {
            var magic = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
            if (help.TryGetValue(magic, out var h) && MagicHelp.Check(line, h.Directive, h.Example) is { } said) return said;
        }
        return null;
    }

    /// <summary>The magic names FlowNotebooks adds.</summary>
    internal static IEnumerable<string> Magics =>
        new[] { "#!flow-case", "#!flow-load", "#!flow-collect", "#!flow-athena", "#!" + FlowSqlKernel.KernelName }.Concat(ProcedureMagics.All.Select(m => m.Magic));

    static bool IsFlowMagicLine(string line) => Magics.Any(m => MagicLine.Lines(line, m).Any());

    /// <summary>A magic's handler with its <c>@csharp:</c> values read from the C# kernel and its failures as one message.</summary>
    static Func<T, KernelInvocationContext, Task> Guarded<T>(FlowSession session, string magic, Func<FlowSession, T, KernelInvocationContext, Task> handler)
        where T : Microsoft.DotNet.Interactive.Commands.KernelDirectiveCommand =>
        CommandErrors.Guard<T>((command, context) =>
        {
            CSharpValues.ApplyTo(command, CSharpValues.For(session, command, magic));
            return handler(session, command, context);
        });
}
