using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using FlowNotebooks.Interactive;
using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Notebooks;

/// <summary>
/// Runs a notebook headless, in this process: a CompositeKernel with the C# kernel and the FlowNotebooks extension, each
/// code cell in order, parameters injected after the parameters cell, a timeout per cell, stopping at the first failure.
/// </summary>
public static partial class NotebookRunner
{
    /// <summary>Runs the notebook at <paramref name="notebookPath"/> with the given parameter values (as typed).</summary>
    /// <exception cref="NotebookParameterException">An unknown parameter, a value of the wrong type, or parameters
    /// given to a notebook without a parameters cell. Nothing has run.</exception>
    /// <exception cref="FormatException">The file is not a notebook the runner reads.</exception>
    public static async Task<NotebookRunResult> RunAsync(string notebookPath, IReadOnlyDictionary<string, string>? parameters = null,
        NotebookRunOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new NotebookRunOptions();
        var fullPath = Path.GetFullPath(notebookPath);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"No notebook '{notebookPath}'.", notebookPath);
        var notebook = Notebook.Load(fullPath);
        var workDir = Path.GetFullPath(options.WorkingDirectory ?? Path.GetDirectoryName(fullPath)!);
        var given = HandOver(parameters ?? new Dictionary<string, string>(), notebook, workDir, options);
        Inject(notebook, given);

        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var previousDirectory = Environment.CurrentDirectory;
        var inputs = given.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        using var kernel = CreateKernel(inputs);
        var session = FlowSession.Of(kernel)!;
        var outcomes = new List<CellOutcome>();
        CellFailure? firstFailure = null;
        try
        {
            // Cells name files relative to the notebook's folder, as in dotnet-repl and Jupyter (process-wide: runs
            // in one process go one at a time).
            Environment.CurrentDirectory = workDir;
            var count = 0;
            for (var i = 0; i < notebook.Cells.Count; i++)
            {
                var cell = notebook.Cells[i];
                if (cell.Kind != CellKind.Code)
                {
                    outcomes.Add(new CellOutcome(i, CellStatus.Prose, TimeSpan.Zero, null));
                    continue;
                }
                if (firstFailure is not null && options.StopOnError)
                {
                    outcomes.Add(new CellOutcome(i, CellStatus.NotRun, TimeSpan.Zero, null));
                    continue;
                }
                cell.ExecutionCount = ++count;
                options.Progress?.Report($"cell {i + 1}/{notebook.Cells.Count}: {Head(cell.Source)}");
                var outcome = await RunCellAsync(kernel, cell, i, options.CellTimeout, cancel);
                outcomes.Add(outcome);
                if (outcome.Status is CellStatus.Failed or CellStatus.TimedOut)
                {
                    options.Progress?.Report($"cell {i + 1} {(outcome.Status == CellStatus.TimedOut ? "timed out" : "failed")}: {outcome.Error}");
                    firstFailure ??= new CellFailure(i, Head(cell.Source), outcome.Error!, outcome.Status == CellStatus.TimedOut);
                    // A cell still running after its timeout keeps the kernel busy: nothing more can run.
                    if (outcome.Status == CellStatus.TimedOut) options = options with { StopOnError = true };
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }

        var evidence = Manifest(session);
        session.Case?.Dispose();
        var result = new NotebookRunResult
        {
            Document = notebook,
            NotebookName = Path.GetFileName(fullPath),
            Cells = outcomes,
            FirstFailure = firstFailure,
            Parameters = given,
            Findings = session.Findings,
            Evidence = evidence,
            ToolVersion = ToolVersion,
            StartedUtc = started,
            Elapsed = clock.Elapsed,
        };
        return options.KeepAbsolutePaths ? result : PathScrubber.For(workDir).Scrub(result);
    }

    /// <summary>flownb's version: the informational version (with the commit when built from a clone).</summary>
    public static string ToolVersion { get; } =
        typeof(NotebookRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>A notebook kernel as the hosts build one, with the extension loaded and @input prompts answered from
    /// the run's parameters (dotnet-repl's <c>--input name=value</c> does the same).</summary>
    static CompositeKernel CreateKernel(IReadOnlyDictionary<string, string> inputs)
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        kernel.RegisterCommandHandler<RequestInput>((request, context) =>
        {
            var name = request.ParameterName ?? request.Prompt;
            if (name is not null && inputs.TryGetValue(name.Trim().Trim('"'), out var value))
                context.Publish(new InputProduced(value, request));
            else
                context.Fail(request, message: $"The notebook asks for input '{name}': give it with -p {name}=VALUE.");
            return Task.CompletedTask;
        });
        FlowKernelExtension.Load(kernel);
        csharp.AddAssemblyReferences(PackageAssemblies());
        return kernel;
    }

    /// <summary>What <c>#r "nuget:FlowNotebooks.Interactive"</c> makes referable in a real host: the extension, the
    /// engine and the libraries they expose (DataFrame, Plotly.NET, DuckDB), so the same cells compile here.</summary>
    static IEnumerable<string> PackageAssemblies()
    {
        var roots = new[] { typeof(FlowKernelExtension).Assembly, typeof(FlowCase).Assembly };
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var assembly in roots)
        {
            found.Add(assembly.Location);
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (name.Name is null || name.Name.StartsWith("System", StringComparison.Ordinal) || name.Name.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal)
                    || name.Name is "mscorlib" or "netstandard") continue;
                try
                {
                    var location = Assembly.Load(name).Location;
                    if (location.Length > 0) found.Add(location);
                }
                catch (IOException)
                {
                    // Referenced but not shipped (compile-time only): a real host would not have it either.
                }
            }
        }
        return found;
    }

    static async Task<CellOutcome> RunCellAsync(CompositeKernel kernel, NotebookCell cell, int index, TimeSpan timeout, CancellationToken cancel)
    {
        var code = HostSetupLine().Replace(cell.Source, "// (flownb run has FlowNotebooks built in)");
        var outputs = new CellOutputCollector(cell.Outputs);
        var clock = Stopwatch.StartNew();
        using var subscription = kernel.KernelEvents.Subscribe(outputs);
        var send = kernel.SendAsync(new SubmitCode(code, cell.KernelName), cancel);
        var finished = await Task.WhenAny(send, Task.Delay(timeout, cancel));
        if (finished != send)
        {
            cancel.ThrowIfCancellationRequested();
            // Ask the kernel to stop the cell; C# code that never yields keeps its thread until the process ends.
            _ = kernel.SendAsync(new Cancel());
            var message = $"The cell did not finish within {timeout.TotalSeconds:0.#} s (--cell-timeout).";
            cell.Outputs.Add(new ErrorOutput("Timeout", message));
            return new CellOutcome(index, CellStatus.TimedOut, clock.Elapsed, message);
        }
        var result = await send;
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        if (failed is null) return new CellOutcome(index, CellStatus.Succeeded, clock.Elapsed, null);
        var error = AnalystMessage(failed.Exception) ?? failed.Message ?? failed.Exception?.Message ?? "The cell failed.";
        cell.Outputs.Add(new ErrorOutput(failed.Exception?.GetType().Name ?? "Error", error));
        return new CellOutcome(index, CellStatus.Failed, clock.Elapsed, error);
    }

    /// <summary>
    /// The message alone when FlowNotebooks refused the analyst's input (a window outside the case, a bad parameter):
    /// that is an answer to act on, not a bug, so no stack trace. Anything else keeps the host's full report.
    /// </summary>
    static string? AnalystMessage(Exception? e) =>
        e is FlowNotebooks.Input.WindowException or FormatException or ArgumentException
        && e.TargetSite?.DeclaringType?.Namespace?.StartsWith("FlowNotebooks", StringComparison.Ordinal) == true
            ? e.Message : null;

    /// <summary>Checks the values against the parameters cell and makes path values relative to the notebook's folder.</summary>
    static List<KeyValuePair<string, string>> HandOver(IReadOnlyDictionary<string, string> values, Notebook notebook, string workDir, NotebookRunOptions options)
    {
        if (values.Count == 0) return [];
        var cell = NotebookParameters.FindCell(notebook);
        if (cell < 0)
            throw new NotebookParameterException(
                $"The notebook has no parameters cell (a code cell tagged '{NotebookParameters.ParametersTag}', or starting with '// parameters'), so it takes no parameters: {string.Join(", ", values.Keys.Order(StringComparer.Ordinal))}.");
        var declared = NotebookParameters.Declared(notebook.Cells[cell].Source).ToList();
        NotebookParameters.Injection(declared, values);   // unknown names and bad values fail here, before anything runs
        var caller = Path.GetFullPath(options.CallerDirectory ?? Environment.CurrentDirectory);
        var handed = new List<KeyValuePair<string, string>>();
        // In the parameters cell's order, whatever the command line's: equal runs give equal reports.
        foreach (var (name, value) in values.OrderBy(v => declared.FindIndex(d => d.Name == v.Key)))
        {
            var type = declared.First(d => d.Name == name).Type.TrimEnd('?');
            var path = Path.GetFullPath(value, caller);
            var isPath = type is "string" or "String" or "System.String" && value.Length > 0 && (File.Exists(path) || Directory.Exists(path));
            handed.Add(new(name, !isPath ? value : options.KeepAbsolutePaths ? path : Relative(workDir, path)));
        }
        return handed;
    }

    static string Relative(string from, string path)
    {
        var r = Path.GetRelativePath(from, path).Replace('\\', '/');
        return r;
    }

    /// <summary>Adds the injected-parameters cell after the parameters cell (papermill's convention).</summary>
    static void Inject(Notebook notebook, IReadOnlyList<KeyValuePair<string, string>> given)
    {
        if (given.Count == 0) return;
        var at = NotebookParameters.FindCell(notebook);
        var declared = NotebookParameters.Declared(notebook.Cells[at].Source);
        var code = NotebookParameters.Injection(declared, given.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        notebook.Cells.Insert(at + 1, new NotebookCell
        {
            Kind = CellKind.Code,
            Source = code,
            KernelName = notebook.Cells[at].KernelName,
            Tags = [NotebookParameters.InjectedTag],
            Id = NotebookParameters.InjectedTag,
            Metadata = new System.Text.Json.Nodes.JsonObject
            {
                ["polyglot_notebook"] = new System.Text.Json.Nodes.JsonObject { ["kernelName"] = notebook.Cells[at].KernelName },
                ["tags"] = new System.Text.Json.Nodes.JsonArray(NotebookParameters.InjectedTag),
            },
        });
    }

    static List<EvidenceEntry> Manifest(FlowSession session)
    {
        if (session.Case is not { } flowCase) return [];
        var rows = flowCase.Store.Query("SELECT evidence_id, object, kind, size, sha256, records FROM evidence ORDER BY evidence_id").Rows;
        return rows.Select(r => new EvidenceEntry(Convert.ToInt32(r[0]), (string)r[1]!, (string)r[2]!, Convert.ToInt64(r[3]), (string)r[4]!, Convert.ToInt64(r[5]))).ToList();
    }

    /// <summary>The first non-empty source line, shortened: how a failure names its cell.</summary>
    internal static string Head(string source)
    {
        var line = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty)";
        return line.Length > 80 ? line[..77] + "..." : line;
    }

    /// <summary>Lines that install FlowNotebooks in a real host (<c>#r "nuget:FlowNotebooks.Interactive, …"</c> and its
    /// <c>#i "nuget:feed"</c>): the runner has the extension built in, so they are left out when the cell runs.</summary>
    [GeneratedRegex("""^[ \t]*#(r[ \t]+"nuget:[ \t]*FlowNotebooks(\.Interactive)?\b[^"]*"|i[ \t]+"nuget:[^"]*")[ \t]*\r?$""", RegexOptions.Multiline)]
    private static partial Regex HostSetupLine();
}
