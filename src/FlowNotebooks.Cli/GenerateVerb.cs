using System.CommandLine;
using System.Globalization;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb generate</c>: writes a synthetic incident case folder with its answer key.</summary>
internal static class GenerateVerb
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario name (see --list).", DefaultValueFactory = _ => ScenarioCatalog.Default.Name };
        var outDir = new Option<string?>("--out") { Description = "Folder to write the case into (new or empty)." };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed and options give byte-identical files.", DefaultValueFactory = _ => ScenarioOptions.DefaultSeed };
        var scale = new Option<string>("--scale") { Description = "small (~10^5 records), medium (~10^7), large (>=10^8) or a record count.", DefaultValueFactory = _ => "small" };
        var formats = new Option<string>("--formats") { Description = "Delivery variants: all, or a comma list of text, hive, parquet, cloudwatch (left-out variants become S3 text).", DefaultValueFactory = _ => "all" };
        var list = new Option<bool>("--list") { Description = "List the scenarios and exit." };
        var command = new Command("generate", "Write a synthetic incident: flow logs as AWS delivers them, describe-* JSON, IOCs and the answer key.")
            { scenario, outDir, seed, scale, formats, list };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                foreach (var s in ScenarioCatalog.All)
                    output.WriteLine($"{s.Name,-16} {(s == ScenarioCatalog.Default ? "(default) " : "")}{s.Summary}");
                return 0;
            }
            var folder = parse.GetValue(outDir) ?? throw new CliException("--out FOLDER is required (or --list).");
            Scenario chosen;
            ScenarioOptions options;
            try
            {
                chosen = ScenarioCatalog.Find(parse.GetValue(scenario)!);
                options = new ScenarioOptions(parse.GetValue(seed), parse.GetValue(scale)!, CaseFormatNames.Parse(parse.GetValue(formats)!));
                chosen.RateFor(options.Scale);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                throw new CliException(ex.Message);
            }
            GenerateResult result;
            try
            {
                result = CaseGenerator.Generate(chosen, options, folder, new Progress<string>(error.WriteLine));
            }
            catch (IOException ex)
            {
                throw new CliException(ex.Message);
            }
            var c = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(c, $"Wrote {chosen.Name} (seed {options.Seed}, scale {options.Scale}) to {folder}: {result.Records:N0} records in {result.Objects:N0} objects, {result.Elapsed.TotalSeconds:N1} s ({result.RecordsPerSecond:N0} records/s)."));
            output.WriteLine($"Answer key: {Path.Combine(folder, CaseGenerator.AnswerKeyFile)}");
            return 0;
        });
        return command;
    }
}
