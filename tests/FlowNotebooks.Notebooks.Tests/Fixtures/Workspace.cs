using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Notebooks.Tests.Fixtures;

/// <summary>A temp folder with a few v2 flow-log records under <c>evidence/</c> and helpers to write notebooks next to it.</summary>
public sealed class Workspace : IDisposable
{
    public const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    public Workspace(string? under = null)
    {
        Folder = under is null
            ? Directory.CreateTempSubdirectory("flownb-run-").FullName
            : Directory.CreateDirectory(Path.Combine(under, "flownb-run-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        var evidence = Directory.CreateDirectory(Path.Combine(Folder, "evidence")).FullName;
        var lines = new List<string> { Header };
        (string Src, long Bytes)[] records = [("10.0.0.5", 5_000), ("10.0.0.5", 7_000), ("10.0.0.9", 1_200), ("10.0.0.7", 300), ("10.0.0.9", 4_000_000_000)];
        for (var i = 0; i < records.Length; i++)
        {
            var t = 1_717_200_000L + i * 3_600;
            lines.Add($"2 123456789012 eni-0a1b2c3d {records[i].Src} 203.0.113.{i + 1} {49152 + i} 443 6 10 {records[i].Bytes} {t} {t + 60} ACCEPT OK");
        }
        File.WriteAllLines(Path.Combine(evidence, "eni-0a1b2c3d.log"), lines);
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Writes an .ipynb whose cells are (source, tags); sources starting with "md:" are markdown cells.</summary>
    public string Ipynb(string name, params (string Source, string[] Tags)[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)new JsonObject
            {
                ["cell_type"] = c.Source.StartsWith("md:", StringComparison.Ordinal) ? "markdown" : "code",
                ["execution_count"] = null,
                // As Polyglot Notebooks saves cells: dotnet-repl routes a cell without kernelName to no kernel.
                ["metadata"] = new JsonObject
                {
                    ["polyglot_notebook"] = new JsonObject { ["kernelName"] = c.Source.StartsWith("md:", StringComparison.Ordinal) ? "markdown" : "csharp" },
                    ["tags"] = new JsonArray(c.Tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
                },
                ["outputs"] = new JsonArray(),
                ["source"] = c.Source.StartsWith("md:", StringComparison.Ordinal) ? c.Source[3..] : c.Source,
            }).ToArray()),
            ["metadata"] = FlowNotebooks.Notebooks.Ipynb.DefaultMetadata(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = PathOf(name);
        File.WriteAllText(path, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    public static (string, string[]) Code(string source, params string[] tags) => (source, tags);

    public static (string, string[]) Md(string text) => ("md:" + text, []);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* the OS temp cleaner will */ }
    }
}
