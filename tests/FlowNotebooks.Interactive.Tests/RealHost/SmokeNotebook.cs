using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Interactive.Tests.RealHost;

/// <summary>The notebook the real host runs: install from a local feed, load evidence named by an @input value, SQL
/// into a DataFrame checked in C#, and the three chart kinds. A cell that throws fails the run.</summary>
internal static class SmokeNotebook
{
    public static string[] Cells(string feed, string version, long expectedTotal, int expectedSources) =>
    [
        $"#i \"nuget:{feed}\"\n#r \"nuget:FlowNotebooks.Interactive, {version}\"",
        "#!flow-load --path @input:evidence --name loaded",
        "#!flow-sql --name bySource\nSELECT srcaddr, sum(bytes) AS total FROM flows GROUP BY srcaddr ORDER BY total DESC",
        $"if (bySource.Rows.Count != {expectedSources}) throw new Exception($\"rows: {{bySource.Rows.Count}}\");\n" +
        $"if ((long)bySource.Columns[\"total\"].Sum() != {expectedTotal}L) throw new Exception(\"wrong total\");\nbySource",
        "using FlowNotebooks.Presentation.Charts;\nCaseCharts.Timeline(flowCase)",
        "CaseCharts.Top(flowCase, by: \"srcaddr\", n: 5)",
        "CaseCharts.HourByHost(flowCase)",
    ];

    /// <summary>An .ipynb with the .NET (C#) kernelspec the hosts expect.</summary>
    public static string ToIpynb(IEnumerable<string> cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(source => (JsonNode)new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["outputs"] = new JsonArray(),
                ["source"] = source,
            }).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
