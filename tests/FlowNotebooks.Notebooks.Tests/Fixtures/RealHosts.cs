using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlowNotebooks.Notebooks.Tests.Fixtures;

/// <summary>
/// The extension packed once with a never-used version into a local feed, and helpers that run a notebook in the two
/// real hosts: dotnet-repl 0.3.259 and Jupyter's nbconvert with dotnet-interactive's <c>.net-csharp</c> kernel (both
/// local tools of this clone, restored by build/install-test-deps.sh). Work happens in a folder inside the clone
/// (under the test binaries) because both hosts find their tool manifest from the notebook's folder.
/// </summary>
public sealed partial class RealHosts : IDisposable
{
    static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    public RealHosts()
    {
        Root = RepoRoot();
        Work = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "realhost-" + Guid.NewGuid().ToString("N")[..10])).FullName;
        Version = $"0.1.0-test.{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        Feed = Path.Combine(Work, "feed");
        // A private packages folder (test versions do not pile up in the user's cache); the user's stays a read-only
        // fallback so DuckDB's native libraries are not downloaded again.
        Environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(Work, "packages"),
            ["NUGET_FALLBACK_PACKAGES"] = GlobalPackagesFolder(),
        };
        foreach (var project in new[] { "src/FlowNotebooks/FlowNotebooks.csproj", "src/FlowNotebooks.Interactive/FlowNotebooks.Interactive.csproj" })
        {
            var (code, output) = ProcessRunner.RunAsync(Root, new Dictionary<string, string>(), Deadline, "dotnet",
                "pack", Path.Combine(Root, project), "-c", "Release", "-o", Feed, $"-p:Version={Version}",
                "--artifacts-path", Path.Combine(Work, "artifacts"), "-p:UseSharedCompilation=false", "-nodeReuse:false").GetAwaiter().GetResult();
            if (code != 0) throw new InvalidOperationException($"dotnet pack {project} failed:\n{output}");
        }
    }

    public string Root { get; }
    public string Work { get; }
    public string Version { get; }
    public string Feed { get; }
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The notebook as a real host must see it: its FlowNotebooks install line pointed at the test feed and version.</summary>
    public string ForRealHost(string notebookJson)
    {
        var install = $"#i \"nuget:{Feed}\"\n#r \"nuget:FlowNotebooks.Interactive, {Version}\"";
        var root = JsonNode.Parse(notebookJson)!;
        var found = false;
        foreach (var cell in (JsonArray)root["cells"]!)
        {
            var source = cell!["source"] is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
            var rewritten = FeedLine().Replace(source, "");
            rewritten = InstallLine().Replace(rewritten, _ => { found = true; return install; });
            cell["source"] = rewritten;
        }
        if (!found) throw new InvalidOperationException("The notebook never installs FlowNotebooks (#r \"nuget:FlowNotebooks.Interactive, …\"): a real host cannot run it.");
        return root.ToJsonString();
    }

    /// <summary>Runs in dotnet-repl from the notebook's folder; returns the failed cells (name and output) and the log.</summary>
    public async Task<(int Exit, List<(string Name, string Output)> Failed, int Cells, string Log)> DotnetRepl(string notebook)
    {
        var trx = Path.ChangeExtension(notebook, ".trx");
        var (exit, log) = await ProcessRunner.RunAsync(Path.GetDirectoryName(notebook)!, Environment, Deadline, "dotnet",
            "tool", "run", "dotnet-repl", "--", "--run", Path.GetFileName(notebook), "--exit-after-run", "--output-format", "trx", "--output-path", trx);
        if (!File.Exists(trx)) return (exit, [("(no trx written)", log)], 0, log);
        var results = ReadTrx(trx);
        return (exit, results.Where(r => r.Outcome != "Passed").Select(r => (r.Name, r.Output)).ToList(), results.Count, log);
    }

    /// <summary>Runs with <c>jupyter nbconvert --execute</c>; returns its exit code, log and the executed notebook's error outputs.</summary>
    public async Task<(int Exit, List<string> Errors, string Outputs, string Log)> Nbconvert(string notebook, int cellTimeoutSeconds = 300)
    {
        var dir = Path.GetDirectoryName(notebook)!;
        var output = Path.GetFileNameWithoutExtension(notebook) + ".nbconvert.ipynb";
        var (exit, log) = await ProcessRunner.RunAsync(dir, Environment, Deadline, "jupyter",
            "nbconvert", "--to", "notebook", "--execute", Path.GetFileName(notebook), "--output", output,
            $"--ExecutePreprocessor.timeout={cellTimeoutSeconds}", "--ExecutePreprocessor.kernel_name=.net-csharp");
        var path = Path.Combine(dir, output);
        if (!File.Exists(path)) return (exit, ["(no executed notebook written)"], "", log);
        var outputs = ((JsonArray)JsonNode.Parse(File.ReadAllText(path))!["cells"]!).SelectMany(c => c!["outputs"] as JsonArray ?? []).ToList();
        var errors = outputs.Where(o => (string?)o!["output_type"] == "error").Select(o => $"{(string?)o!["ename"]}: {(string?)o["evalue"]}").ToList();
        return (exit, errors, string.Concat(outputs.Select(o => o!.ToJsonString())), log);
    }

    static List<(string Name, string Outcome, string Output)> ReadTrx(string path) => RealHostFiles.ReadTrx(path);

    public static string RepoRoot() => RealHostFiles.RepoRoot();

    static string GlobalPackagesFolder() => RealHostFiles.GlobalPackagesFolder();

    public void Dispose()
    {
        try { Directory.Delete(Work, recursive: true); }
        catch (IOException) { /* a host process still closing; bin/ is rebuilt anyway */ }
    }

    [GeneratedRegex("""^[ \t]*#r[ \t]+"nuget:[ \t]*FlowNotebooks\.Interactive\b[^"]*"[ \t]*$""", RegexOptions.Multiline)]
    private static partial Regex InstallLine();

    [GeneratedRegex("""^[ \t]*#i[ \t]+"nuget:[^"]*"[ \t]*\r?\n?""", RegexOptions.Multiline)]
    private static partial Regex FeedLine();
}
