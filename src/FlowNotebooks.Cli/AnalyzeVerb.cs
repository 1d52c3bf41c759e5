using System.CommandLine;
using System.Globalization;
using FlowNotebooks.Presentation.Exports;
using FlowNotebooks.Presentation.Html;
using FlowNotebooks.Procedures;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb analyze PROCEDURE --case FILE [--param name=value …] [--geoip FILE] [--asn FILE] [--csv|--json|--explain]</c> and <c>flownb analyze --list</c>.</summary>
internal static class AnalyzeVerb
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var procedure = new Argument<string?>("procedure") { Description = "Procedure name (see --list).", Arity = ArgumentArity.ZeroOrOne };
        var caseFile = CaseOption.Create();
        var parameters = new Option<string[]>("--param", "-p") { Description = "A parameter as name=value (repeatable).", AllowMultipleArgumentsPerToken = true };
        var list = new Option<bool>("--list") { Description = "List the procedures and their parameters." };
        var csv = new Option<bool>("--csv") { Description = "The main table as CSV." };
        var json = new Option<bool>("--json") { Description = "Parameters, coverage, findings, the main table, the side tables and the audit record (every statement as it ran, with its values) as JSON (stable order)." };
        var explain = new Option<bool>("--explain") { Description = "Run, then print the audit script: every statement as it ran with its values written in, to paste into the DuckDB CLI against the case (its last statement returns the table), with the versions, the case state and what was computed outside SQL." };
        var geoip = new Option<string?>("--geoip") { Description = "MaxMind GeoIP2/GeoLite2 Country or City database (.mmdb): country of external addresses (same as --param geoip_database=FILE)." };
        var asn = new Option<string?>("--asn") { Description = "MaxMind GeoLite2 ASN database (.mmdb): AS number and organisation of external addresses (same as --param asn_database=FILE)." };
        var command = new Command("analyze", "Run a forensic procedure on a case: a table and findings.") { procedure, caseFile, parameters, geoip, asn, list, csv, json, explain };
        var athena = new AthenaAnalyzeOptions();
        athena.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                List(output);
                return 0;
            }
            var name = parse.GetValue(procedure) ?? throw new CliException("Name a procedure (flownb analyze --list shows them).");
            var p = ProcedureRegistry.Find(name) ?? throw new CliException($"No procedure '{name}'. Procedures: {string.Join(", ", ProcedureRegistry.All.Select(x => x.Name))}.");
            if (parse.GetValue(explain) && (parse.GetValue(csv) || parse.GetValue(json)))
                throw new CliException("--explain prints a script: leave out --csv and --json (--json carries the same record as \"audit\").");
            var values = ProcedureParameter.Pairs(parse.GetValue(parameters) ?? []);
            foreach (var (option, parameter) in new[] { (geoip, CommonParameters.GeoIpDatabase), (asn, CommonParameters.AsnDatabase) })
            {
                if (parse.GetValue(option) is not { } file) continue;
                if (!p.Parameters.Contains(parameter))
                    throw new CliException($"{option.Name}: {p.Name} lists no external addresses to enrich. Procedures that take it: "
                        + string.Join(", ", ProcedureRegistry.All.Where(x => x.Parameters.Contains(parameter)).Select(x => x.Name)) + ".");
                values[parameter.Name] = file;
            }
            ProcedureResult result;
            if (athena.Requested(parse))
            {
                // The case file, when given, holds the inventory; the records stay in the bucket.
                if (parse.GetValue(caseFile) is { } inventory && !File.Exists(inventory)) throw new CliException($"No case file '{inventory}'.");
                if (athena.Run(parse, p, values, parse.GetValue(caseFile), output, error) is not { } ran) return 0;
                result = ran;
            }
            else
            {
                var path = parse.GetValue(caseFile) ?? throw new CliException("Give the case with --case FILE.");
                if (!File.Exists(path)) throw new CliException($"No case file '{path}'.");
                using var store = CaseStore.Open(path);
                try
                {
                    result = p.Run(store, values);
                }
                catch (ArgumentException ex)
                {
                    throw new CliException(ex.Message);
                }
            }
            if (parse.GetValue(explain)) output.Write(result.Audit!.Script());
            else if (parse.GetValue(json)) output.WriteLine(result.FindingsJson(includeTable: true, includeAudit: true));
            else if (parse.GetValue(csv)) Csv(output, result.Table);
            else Text(output, p, result);
            return 0;
        });
        return command;
    }

    static void List(TextWriter o)
    {
        foreach (var p in ProcedureRegistry.All)
        {
            o.WriteLine($"{p.Name}: {p.Title}");
            if (p.Techniques.Count > 0) o.WriteLine($"  ATT&CK: {string.Join(", ", p.Techniques)}");
            foreach (var par in p.Parameters)
                o.WriteLine($"  --param {par.Name}=<{par.Kind.ToString().ToLowerInvariant()}>{(par.Default is null or "" ? "" : $" (default {par.Default})")}  {par.Description}");
            o.WriteLine();
        }
    }

    /// <summary>The findings first, as the notebooks show them (<see cref="FindingsView.ToText"/>), then the table.</summary>
    static void Text(TextWriter o, Procedure p, ProcedureResult r)
    {
        o.Write(FindingsView.ToText(r, p.Title));
        o.WriteLine();
        var t = r.Table;
        var cells = t.Rows.Take(50).Select(row => row.Select(Cell).ToArray()).ToList();
        var widths = t.Columns.Select((c, i) => Math.Min(40, Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(x => x[i].Length)))).ToArray();
        o.WriteLine(string.Join("  ", t.Columns.Select((c, i) => c.PadRight(widths[i]))));
        foreach (var row in cells) o.WriteLine(string.Join("  ", row.Select((v, i) => (v.Length > 40 ? v[..37] + "..." : v).PadRight(widths[i]))));
        o.WriteLine(t.Rows.Count > 50 || t.Truncated ? $"(first 50 of {t.Rows.Count}{(t.Truncated ? "+" : "")} rows; --csv or --json for all)" : $"({t.Rows.Count} rows)");
    }

    static void Csv(TextWriter o, QueryResult t)
    {
        CsvText.Line(o, t.Columns);
        foreach (var row in t.Rows) CsvText.Line(o, row.Select(Cell));
    }

    static string Cell(object? v) => v is System.Collections.IEnumerable e and not string
        ? "[" + string.Join(",", e.Cast<object?>().Select(ResultWriter.Format)) + "]"
        : ResultWriter.Format(v);
}
