using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Notebooks;

/// <summary>Jupyter's .ipynb (nbformat 4): read, and write with outputs so VS Code and Jupyter open the result.</summary>
public static class Ipynb
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // The file is not embedded in HTML: keep markup readable instead of \u003C-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses nbformat 4 JSON.</summary>
    /// <exception cref="FormatException">Not an nbformat 4 notebook.</exception>
    public static Notebook Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("An .ipynb file holds a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not valid .ipynb JSON: {e.Message}");
        }
        if ((int?)root["nbformat"] is not 4) throw new FormatException("Only nbformat 4 notebooks can be run (the file says otherwise).");
        var cells = new List<NotebookCell>();
        foreach (var node in root["cells"] as JsonArray ?? [])
        {
            if (node is not JsonObject c) continue;
            var metadata = c["metadata"] as JsonObject;
            var kernel = (string?)metadata?["polyglot_notebook"]?["kernelName"] ?? (string?)metadata?["dotnet_interactive"]?["language"] ?? "csharp";
            var kind = (string?)c["cell_type"] switch
            {
                "markdown" => CellKind.Markdown,
                "code" when kernel is "markdown" or "md" => CellKind.Markdown,
                "code" => CellKind.Code,
                _ => CellKind.Raw,
            };
            cells.Add(new NotebookCell
            {
                Kind = kind,
                Source = Text(c["source"]),
                KernelName = Dib.KernelAlias(kernel),
                Tags = (metadata?["tags"] as JsonArray)?.Select(t => (string?)t).OfType<string>().ToList() ?? [],
                Id = (string?)c["id"],
                Metadata = metadata?.DeepClone() as JsonObject,
            });
        }
        return new Notebook
        {
            Cells = cells,
            Metadata = root["metadata"]?.DeepClone() as JsonObject,
            FormatMinor = Math.Max(4, (int?)root["nbformat_minor"] ?? 4),
        };
    }

    /// <summary>nbformat 4 JSON with each cell's outputs and execution count. Keys in a fixed order, so equal runs give equal files.</summary>
    public static string Write(Notebook notebook)
    {
        var cells = new JsonArray();
        var n = 0;
        foreach (var cell in notebook.Cells)
        {
            n++;
            var o = new JsonObject { ["cell_type"] = cell.Kind switch { CellKind.Code => "code", CellKind.Markdown => "markdown", _ => "raw" } };
            if (cell.Kind == CellKind.Code) o["execution_count"] = cell.ExecutionCount;
            if (notebook.FormatMinor >= 5) o["id"] = cell.Id ?? $"cell-{n}";
            o["metadata"] = cell.Metadata?.DeepClone() ?? new JsonObject();
            if (cell.Kind == CellKind.Code)
            {
                // Keep the cell's language visible to Polyglot Notebooks when the file did not say it.
                var meta = (JsonObject)o["metadata"]!;
                if (meta["polyglot_notebook"] is null) meta["polyglot_notebook"] = new JsonObject { ["kernelName"] = cell.KernelName };
                o["outputs"] = new JsonArray(cell.Outputs.Select(Output).ToArray());
            }
            o["source"] = Lines(cell.Source);
            cells.Add(o);
        }
        var root = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = notebook.Metadata?.DeepClone() ?? DefaultMetadata(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = notebook.FormatMinor,
        };
        return root.ToJsonString(Options) + "\n";
    }

    /// <summary>The .NET (C#) kernelspec the hosts (Polyglot Notebooks, dotnet-interactive's Jupyter kernel) expect.</summary>
    public static JsonObject DefaultMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };

    static JsonNode Output(CellOutput output) => output switch
    {
        DisplayOutput d => new JsonObject { ["data"] = Data(d.Data), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" },
        ResultOutput r => new JsonObject { ["data"] = Data(r.Data), ["execution_count"] = null, ["metadata"] = new JsonObject(), ["output_type"] = "execute_result" },
        StreamOutput s => new JsonObject { ["name"] = s.Name, ["output_type"] = "stream", ["text"] = Lines(s.Text) },
        ErrorOutput e => new JsonObject
        {
            ["ename"] = e.Name, ["evalue"] = e.Message, ["output_type"] = "error",
            ["traceback"] = new JsonArray(e.Message.Split('\n').Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(output)),
    };

    static JsonObject Data(IReadOnlyDictionary<string, string> data)
    {
        var o = new JsonObject();
        foreach (var (mime, value) in data.OrderBy(d => d.Key, StringComparer.Ordinal))
            o[mime] = mime.EndsWith("json", StringComparison.Ordinal) && TryParse(value) is { } json ? json : Lines(value);
        return o;
    }

    static JsonNode? TryParse(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return null; }
    }

    /// <summary>Multi-line text as Jupyter stores it: one string per line, each but the last ending in \n.</summary>
    static JsonArray Lines(string text)
    {
        var a = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            a.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) a.Add(text[start..]);
        return a;
    }

    static string Text(JsonNode? source) => source switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v => (string?)v ?? "",
        _ => "",
    };

}
