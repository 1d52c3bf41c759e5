using System.Text.Json.Nodes;
using FlowNotebooks.Interactive.Tests.Fixtures;
using static FlowNotebooks.Interactive.Tests.RealHost.DotnetReplSmokeTests;

namespace FlowNotebooks.Interactive.Tests.RealHost;

/// <summary>
/// A template notebook as an analyst runs it in a real host: dotnet-repl installs the packed extension through the
/// notebook's own setup cell (pointed at a local feed) and runs every cell, procedure magics and the Sankey included,
/// under the host's FSharp.Core 10.0. In-process runs cannot catch a chart kind that needs FSharp.Core 10.1.
/// </summary>
public sealed class TemplateInDotnetReplTests(VpcCompromise s) : IClassFixture<VpcCompromise>
{
    [Fact]
    public async Task Exfiltration_scoping_runs_in_dotnet_repl_from_the_packed_extension()
    {
        var root = RepoRoot();
        var work = Directory.CreateTempSubdirectory("flownb-template-");
        try
        {
            var version = $"0.1.0-test.{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
            var feed = Path.Combine(work.FullName, "feed");
            foreach (var project in new[] { "src/FlowNotebooks/FlowNotebooks.csproj", "src/FlowNotebooks.Interactive/FlowNotebooks.Interactive.csproj" })
            {
                var (code, output) = await ProcessRunner.RunAsync(root, new Dictionary<string, string>(), Deadline, "dotnet",
                    "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, $"-p:Version={version}",
                    "--artifacts-path", Path.Combine(work.FullName, "artifacts"), "-p:UseSharedCompilation=false", "-nodeReuse:false");
                Assert.True(code == 0, $"dotnet pack {project} failed:\n{output}");
            }

            // The template as shipped, with only what an analyst edits: the feed/version of the setup cell and the evidence path.
            var notebook = JsonNode.Parse(File.ReadAllText(Notebooks.TemplateNotebook.Path("02-exfiltration-scoping.ipynb")))!;
            var cells = notebook["cells"]!.AsArray();
            var setup = cells.Single(c => c!["metadata"]?["tags"]?.AsArray().Any(t => (string?)t == "setup") == true)!;
            var setupSource = Source(setup);
            Assert.Contains("#r \"nuget:FlowNotebooks.Interactive, 0.1.0\"", setupSource);
            setup["source"] = setupSource.Replace("#r \"nuget:FlowNotebooks.Interactive, 0.1.0\"", $"#i \"nuget:{feed}\"\n#r \"nuget:FlowNotebooks.Interactive, {version}\"");
            var parameters = cells.Single(c => c!["metadata"]?["tags"]?.AsArray().Any(t => (string?)t == "parameters") == true)!;
            parameters["source"] = Source(parameters).Replace("\"../samples-generated/vpc-compromise\"", "@\"" + s.Folder + "\"");
            var path = Path.Combine(work.FullName, "02.ipynb");
            File.WriteAllText(path, notebook.ToJsonString());
            var trx = Path.Combine(work.FullName, "02.trx");

            var environment = new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "packages"),
                ["NUGET_FALLBACK_PACKAGES"] = GlobalPackagesFolder(),
            };
            var (exit, log) = await ProcessRunner.RunAsync(root, environment, Deadline, "dotnet",
                "tool", "run", "dotnet-repl", "--", "--run", path, "--exit-after-run", "--output-format", "trx", "--output-path", trx);
            var results = ReadTrx(trx, log);
            var failed = results.Where(r => r.Outcome != "Passed").ToList();
            Assert.True(exit == 0 && failed.Count == 0,
                $"dotnet-repl exit {exit}; failed cells:\n{string.Join("\n---\n", failed.Select(r => $"{r.Name}\n{r.Output}"))}\n{log}");
            Assert.Equal(cells.Count, results.Count); // dotnet-repl reports markdown cells too
            var outputs = string.Concat(results.Select(r => r.Output));
            Assert.Contains("\"type\":\"sankey\"", outputs);
            Assert.Contains($"Bytes out to these destinations, as logged: {s.Key.Exfiltration!.TotalBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}", outputs);
        }
        finally
        {
            try { work.Delete(recursive: true); }
            catch (IOException) { /* leave it to the OS temp cleaner */ }
        }
    }

    static string Source(JsonNode cell) => cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
}
