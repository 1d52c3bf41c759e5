using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Presentation.Charts;
using FlowNotebooks.Presentation.Html;
using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary>
/// A procedure magic: its parameters are the procedure's (<c>internal_cidrs</c> → <c>--internal-cidrs</c>) plus
/// <c>--name</c> (the main table as a DataFrame) and <c>--result</c> (the whole result). Shows the findings (ATT&amp;CK
/// technique, coverage beside negative findings), the chart that fits and the table; the session keeps the result so a
/// runner can write the findings JSON.
/// </summary>
internal static class ProcedureDirective
{
    public static KernelActionDirective Create(string magic, Procedure procedure)
    {
        var directive = new KernelActionDirective(magic)
        {
            Description = $"{procedure.Title}. {procedure.Description}",
        };
        foreach (var p in procedure.Parameters)
            directive.Parameters.Add(new KernelDirectiveParameter(Option(p.Name), Describe(p)) { Flag = IsSwitch(p) });
        directive.Parameters.Add(new("--name", "C# variable for the main table as a DataFrame."));
        directive.Parameters.Add(new("--result", "C# variable for the whole result: findings, side tables (result.Tables), coverage, SQL."));
        return directive;
    }

    public static async Task HandleAsync(FlowSession session, RunProcedure command, KernelInvocationContext context)
    {
        var magic = command.Arguments?.GetValueOrDefault("invokedDirective") is { ValueKind: JsonValueKind.String } m ? m.GetString() : null;
        var procedure = ProcedureMagics.All.Where(x => x.Magic == magic).Select(x => ProcedureRegistry.Get(x.Procedure)).FirstOrDefault()
                        ?? throw new InvalidOperationException($"'{magic}' is not a FlowNotebooks procedure magic.");
        var result = await RunAndShowAsync(session, context, procedure, Values(procedure, command), command.Name);
        if (!string.IsNullOrEmpty(command.Result)) await session.BindAsync(command.Result, result, typeof(ProcedureResult));
    }

    /// <summary>Runs a procedure on the session's case, records its findings and shows findings, chart and table.</summary>
    internal static async Task<ProcedureResult> RunAndShowAsync(FlowSession session, KernelInvocationContext context, Procedure procedure,
        IReadOnlyDictionary<string, object?> values, string? name)
    {
        var result = procedure.Run(session.RequireCase().Store, values);
        session.Findings.Add(result);
        context.DisplayAs(FindingsView.ToHtml(result, procedure.Title), "text/html");
        foreach (var chart in ProcedureCharts.For(result)) context.Display(chart, "text/html", "text/plain");
        await session.ShowResultAsync(context, result.Table, $"{procedure.Title} ({result.Table.Rows.Count:N0} rows)", name);
        return result;
    }

    /// <summary>kebab-case option of a procedure parameter, as the host's own magics spell them.</summary>
    public static string Option(string parameter) => "--" + parameter.Replace('_', '-');

    // A true/false parameter that is off by default is a switch (--include-aws); others take a value.
    static bool IsSwitch(ProcedureParameter p) => p.Kind == ParameterKind.Flag && p.Default == "false";

    static string Describe(ProcedureParameter p) =>
        $"{p.Description} ({Kind(p.Kind)}{(string.IsNullOrEmpty(p.Default) ? "" : $"; default {p.Default}")})";

    static string Kind(ParameterKind k) => k switch
    {
        ParameterKind.Time => "UTC time, e.g. 2026-03-14T09:00:00Z",
        ParameterKind.Duration => "duration: seconds or 90s, 10m, 2h, 1d",
        ParameterKind.Cidrs => "addresses/CIDRs, comma-separated",
        ParameterKind.Ports => "ports, comma-separated, ranges like 8000-8010",
        ParameterKind.Integer => "whole number",
        ParameterKind.File => "file",
        ParameterKind.Flag => "true/false",
        _ => "text",
    };

    /// <summary>The host's bound arguments as the procedure's parameters. <c>@csharp:</c> values reach us as their
    /// ToString() (current culture for times, "00:10:00" for a TimeSpan), so those forms are read back here.</summary>
    static Dictionary<string, object?> Values(Procedure procedure, RunProcedure command)
    {
        var byJsonName = procedure.Parameters.ToDictionary(p => JsonName(p.Name), StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, element) in command.Arguments ?? [])
        {
            if (!byJsonName.TryGetValue(key, out var p)) continue; // host bookkeeping (invokedDirective, …)
            object? value = element.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.True => true,
                JsonValueKind.False => IsSwitch(p) ? null : false,
                JsonValueKind.String => element.GetString(),
                _ => element.GetRawText(),
            };
            if (value is string text) value = FromCSharpText(p, text);
            if (value is not null) values[p.Name] = value;
        }
        return values;
    }

    internal static object? FromCSharpText(ProcedureParameter p, string text)
    {
        var t = text.Trim();
        // An empty value means "not given" (the default applies): a notebook parameter left "" reads the same in every magic.
        if (t.Length == 0) return null;
        if (t.EndsWith("[]", StringComparison.Ordinal) || t.StartsWith("System.Collections.", StringComparison.Ordinal))
            throw new ArgumentException($"{Option(p.Name)}: a C# array or list cannot be passed with @csharp; use a comma-separated string, e.g. \"10.0.0.0/16,192.168.0.0/16\".");
        switch (p.Kind)
        {
            case ParameterKind.Time:
                if (DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var iso)) return iso;
                if (DateTime.TryParse(t, CultureInfo.CurrentCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var local)) return local;
                throw new FormatException($"{Option(p.Name)} '{t}' is not a time: use ISO 8601 UTC, e.g. 2026-03-14T09:00:00Z.");
            case ParameterKind.Duration when t.Contains(':') && TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span):
                return span;
            default:
                return t;
        }
    }

    static string JsonName(string parameter)
    {
        var parts = parameter.Split('_', '-');
        return parts[0] + string.Concat(parts.Skip(1).Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..]));
    }
}
