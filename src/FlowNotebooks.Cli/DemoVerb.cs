using System.CommandLine;
using FlowNotebooks.Notebooks;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Cli;

/// <summary>
/// <c>flownb demo [--out DIR]</c>, the README's first command: generates the default scenario if it is not there yet,
/// runs the exfiltration-scoping template on it and writes the executed notebook, report.html and findings.json.
/// Run it from a clone (it finds <c>notebooks/</c> from the current folder upwards).
/// </summary>
internal static class DemoVerb
{
    public const string Template = "notebooks/02-exfiltration-scoping.ipynb";
    public const string DefaultEvidence = "samples-generated/vpc-compromise";
    public const string DefaultOut = "out/demo";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Option<string?>("--out") { Description = $"Folder for the executed notebook, report.html and findings.json (default {DefaultOut} in the clone)." };
        var evidence = new Option<string?>("--evidence") { Description = $"Scenario folder (default {DefaultEvidence} in the clone; generated when missing)." };
        var command = new Command("demo", "Generate the default scenario (if missing) and run the exfiltration-scoping notebook on it: executed notebook, HTML report, findings JSON.")
            { outDir, evidence };
        command.SetAction(parse =>
        {
            var root = CloneRoot(Environment.CurrentDirectory)
                       ?? throw new CliException($"No {Template} here or above: run flownb demo from a clone of the FlowNotebooks repository.");
            var notebook = Path.Combine(root, Template);
            var folder = Path.GetFullPath(parse.GetValue(evidence) ?? Path.Combine(root, DefaultEvidence));
            var outFolder = parse.GetValue(outDir) ?? Path.Combine(root, DefaultOut);
            if (!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                output.WriteLine($"Generating the {ScenarioCatalog.Default.Name} scenario into {Path.GetRelativePath(Environment.CurrentDirectory, folder)} (once) …");
                CaseGenerator.Generate(ScenarioCatalog.Default, new ScenarioOptions(), folder, new Progress<string>(error.WriteLine));
            }
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            // The template names its evidence folder in the parameters cell; point it at the scenario when it asks.
            var cell = NotebookParameters.FindCell(Notebook.Load(notebook));
            if (cell >= 0 && NotebookParameters.Declared(Notebook.Load(notebook).Cells[cell].Source).Any(p => p.Name == "evidence"))
                parameters["evidence"] = folder;
            var name = Path.GetFileNameWithoutExtension(notebook);
            return RunVerb.Run(notebook, parameters, new NotebookRunOptions { Progress = new LineProgress(error) },
                new RunVerb.RunOutputs(Path.Combine(outFolder, name + ".ipynb"), Path.Combine(outFolder, "report.html"), Path.Combine(outFolder, "findings.json")),
                output, error);
        });
        return command;
    }

    /// <summary>The folder holding <see cref="Template"/>, from <paramref name="start"/> upwards, or null.</summary>
    static string? CloneRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Template))) return dir.FullName;
        return null;
    }
}
