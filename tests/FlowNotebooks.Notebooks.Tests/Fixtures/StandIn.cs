namespace FlowNotebooks.Notebooks.Tests.Fixtures;

/// <summary>
/// A small case notebook in the templates' style, standing in for them in tests: parameters, the host install line
/// (which flownb run skips), loading evidence, SQL, a procedure whose findings are recorded, and two charts.
/// </summary>
public static class StandIn
{
    public static (string, string[])[] Cells(string installLine = "#r \"nuget:FlowNotebooks.Interactive, 0.1.0\"") =>
    [
        Workspace.Md("# Exfiltration scoping (stand-in)\n\nWho sent **how much** where. `<script>alert(1)</script>` stays text."),
        Workspace.Code(installLine),
        Workspace.Code("// Defaults: flownb run -p name=value replaces them.\nvar evidence = \"evidence\";\nvar topN = 5;", "parameters"),
        Workspace.Code("#!flow-load --path @csharp:evidence"),
        Workspace.Code("#!flow-sql --name bySource\nSELECT srcaddr, sum(bytes) AS total FROM flows GROUP BY srcaddr ORDER BY total DESC"),
        Workspace.Code("using FlowNotebooks.Procedures;\nusing FlowNotebooks.Interactive;\nvar ledger = Findings.Add(ProcedureRegistry.Get(\"exfil-ledger\").Run(flowCase.Store));\nConsole.WriteLine($\"{ledger.Findings.Count} findings\");\nbySource.Rows.Count"),
        Workspace.Code("using FlowNotebooks.Presentation.Charts;\nCaseCharts.Timeline(flowCase)"),
        Workspace.Code("CaseCharts.Top(flowCase, by: \"srcaddr\", n: topN)"),
    ];
}
