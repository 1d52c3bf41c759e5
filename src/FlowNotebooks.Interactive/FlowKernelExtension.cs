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
        root.AddMiddleware(async (command, context, next) =>
        {
            FlowFormatters.EnsurePreferred();
            await next(command, context);
        });
        csharp.AddDirective<OpenCase>(FlowCaseDirective.Create(), CommandErrors.Guard<OpenCase>((c, x) => FlowCaseDirective.HandleAsync(session, c, x)));
        csharp.AddDirective<LoadEvidence>(FlowLoadDirective.Create(), CommandErrors.Guard<LoadEvidence>((c, x) => FlowLoadDirective.HandleAsync(session, c, x)));
        csharp.AddDirective<CollectEvidence>(FlowCollectDirective.Create(), CommandErrors.Guard<CollectEvidence>((c, x) => FlowCollectDirective.HandleAsync(session, c, x)));
        csharp.AddDirective<ExportCase>(FlowExportDirective.Create(), CommandErrors.Guard<ExportCase>((c, x) => FlowExportDirective.HandleAsync(session, c, x)));
        root.Add(new FlowSqlKernel(session));
        // The host keeps one handler per command type, so every procedure magic shares one that dispatches on the magic's name.
        foreach (var (magic, name) in ProcedureMagics.All)
            csharp.AddDirective<RunProcedure>(ProcedureDirective.Create(magic, Procedures.ProcedureRegistry.Get(name)),
                CommandErrors.Guard<RunProcedure>((c, x) => ProcedureDirective.HandleAsync(session, c, x)));

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
            </details>
            """, "text/html");
    }
}
