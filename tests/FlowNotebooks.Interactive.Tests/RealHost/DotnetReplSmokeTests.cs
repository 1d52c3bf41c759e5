using System.Text.RegularExpressions;
using FlowNotebooks.Interactive.Tests.Fixtures;

namespace FlowNotebooks.Interactive.Tests.RealHost;

/// <summary>
/// The extension in a real host, not an in-process kernel: packs the package, installs it in dotnet-repl (the
/// .config/dotnet-tools.json local tool, restored by build/install-test-deps.sh) from a local feed and runs a notebook.
/// Catches what in-process tests cannot: packaging, extension.dib, the host's FSharp.Core 10.0 vs Plotly.NET's 10.1.
/// </summary>
public class DotnetReplSmokeTests
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task The_packed_extension_runs_a_notebook_in_dotnet_repl_with_offline_charts()
    {
        var root = RepoRoot();
        var work = Directory.CreateTempSubdirectory("flownb-realhost-");
        try
        {
            // A version never used before: NuGet caches by id+version and would silently serve an older build.
            var version = $"0.1.0-test.{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
            var feed = Path.Combine(work.FullName, "feed");
            foreach (var project in new[] { "src/FlowNotebooks/FlowNotebooks.csproj", "src/FlowNotebooks.Interactive/FlowNotebooks.Interactive.csproj" })
            {
                // A separate artifacts path keeps this build out of the solution's bin/obj (other test runs read them).
                var (code, output) = await ProcessRunner.RunAsync(root, new Dictionary<string, string>(), Deadline, "dotnet",
                    "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, $"-p:Version={version}",
                    "--artifacts-path", Path.Combine(work.FullName, "artifacts"), "-p:UseSharedCompilation=false", "-nodeReuse:false");
                Assert.True(code == 0, $"dotnet pack {project} failed:\n{output}");
            }

            using var evidence = new Evidence();
            var expectedSources = Evidence.Records.Select(r => r.Src).Distinct().Count();
            var notebook = Path.Combine(work.FullName, "smoke.ipynb");
            File.WriteAllText(notebook, SmokeNotebook.ToIpynb(SmokeNotebook.Cells(feed, version, Evidence.TotalBytes, expectedSources)));
            var trx = Path.Combine(work.FullName, "smoke.trx");

            // A private packages folder for the run (test versions do not pile up in the user's cache); the user's
            // folder stays a read-only fallback so DuckDB's 300 MB of native libraries are not downloaded again.
            var environment = new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "packages"),
                ["NUGET_FALLBACK_PACKAGES"] = GlobalPackagesFolder(),
            };
            // Run from the repository root: that is where the tool manifest is found; every notebook path is absolute.
            var (exit, log) = await ProcessRunner.RunAsync(root, environment, Deadline, "dotnet",
                "tool", "run", "dotnet-repl", "--", "--run", notebook, "--exit-after-run", "--output-format", "trx", "--output-path", trx,
                "--input", $"evidence={evidence.Folder}");

            var results = ReadTrx(trx, log);
            var failed = results.Where(r => r.Outcome != "Passed").ToList();
            Assert.True(exit == 0 && failed.Count == 0,
                $"dotnet-repl exit {exit}; failed cells:\n{string.Join("\n---\n", failed.Select(r => $"{r.Name}\n{r.Output}"))}\n{log}");
            Assert.Equal(SmokeNotebook.Cells("", "", 0, 0).Length, results.Count);

            var charts = string.Concat(results.Skip(4).Select(r => r.Output));
            Assert.Equal(3, Regex.Count(charts, @"window\.Plotly\.newPlot\('flownb-chart-"));
            foreach (var trace in new[] { "\"type\":\"scatter\"", "\"type\":\"bar\"", "\"type\":\"heatmap\"" }) Assert.Contains(trace, charts);
            // plotly.js itself is in the output (first chart), and nothing is fetched from a CDN or any URL.
            Assert.Contains("plotly.js v2", charts);
            Assert.DoesNotMatch(@"<script[^>]*\ssrc\s*=", charts);
            Assert.DoesNotContain("cdn.plot.ly/plotly-", charts);
        }
        finally
        {
            try { work.Delete(recursive: true); }
            catch (IOException) { /* leave it to the OS temp cleaner */ }
        }
    }

    internal static List<(string Name, string Outcome, string Output)> ReadTrx(string path, string log)
    {
        Assert.True(File.Exists(path), $"dotnet-repl wrote no trx:\n{log}");
        return RealHostFiles.ReadTrx(path);
    }

    internal static string RepoRoot() => RealHostFiles.RepoRoot();

    internal static string GlobalPackagesFolder() => RealHostFiles.GlobalPackagesFolder();
}
