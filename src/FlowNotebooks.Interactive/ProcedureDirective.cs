using System.Text.Json;
using FlowNotebooks.Input;
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
        var result = await RunAndShowAsync(session, context, procedure, Values(procedure, command, session, magic!), command.Name);
        if (!string.IsNullOrEmpty(command.Result)) await session.BindAsync(command.Result, result, typeof(ProcedureResult));
    }

    /// <summary>Runs a procedure on the session's case (or on Athena after <c>#!flow-athena</c>), records its findings and
    /// shows findings, chart and table.</summary>
    internal static async Task<ProcedureResult> RunAndShowAsync(FlowSession session, KernelInvocationContext context, Procedure procedure,
        IReadOnlyDictionary<string, object?> values, string? name)
    {
        var result = session.Athena is { } athena
            ? await FlowAthenaDirective.RunAsync(athena, procedure, values, context)
            : procedure.Run(session.RequireCase().Store, values);
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
        ParameterKind.Time => "time: " + AnalystInput.TimeForms,
        ParameterKind.Duration => "duration: " + AnalystInput.DurationForms,
        ParameterKind.Cidrs => AnalystInput.CidrForms,
        ParameterKind.Ports => AnalystInput.PortForms,
        ParameterKind.Bytes => "bytes: " + AnalystInput.ByteSizeForms,
        ParameterKind.Integer => "whole number",
        ParameterKind.File => "file",
        ParameterKind.Flag => "true/false",
        _ => "text",
    };

    /// <summary>The host's bound arguments as the procedure's parameters, with <c>@csharp:</c> values read from the C#
    /// kernel (<see cref="CSharpValues"/>): a time or duration keeps its type (a DateTime is never turned into text in
    /// the machine's culture), anything else becomes the text an analyst would type.</summary>
    static Dictionary<string, object?> Values(Procedure procedure, RunProcedure command, FlowSession session, string magic)
    {
        var fromCSharp = CSharpValues.For(session, command, magic);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in procedure.Parameters)
        {
            object? value;
            if (fromCSharp.TryGetValue(Option(p.Name), out var typed))
                value = p.Kind is ParameterKind.Time or ParameterKind.Duration && typed is DateTime or DateTimeOffset or TimeSpan ? typed
                    : p.Kind == ParameterKind.Flag && typed is bool b ? (b ? true : IsSwitch(p) ? null : false)
                    : CSharpValues.Text(typed);
            else if (command.Arguments?.TryGetValue(JsonName(p.Name), out var element) == true)
                value = element.ValueKind switch
                {
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    JsonValueKind.True => true,
                    JsonValueKind.False => IsSwitch(p) ? null : false,
                    JsonValueKind.String => element.GetString(),
                    _ => element.GetRawText(),
                };
            else continue;
            if (value is string text) value = FromCSharpText(p, text);
            if (value is not null) values[p.Name] = value;
        }
        return values;
    }

    /// <summary>Text as the engine should get it: blank means "not given", and a C# collection's type name (what
    /// @csharp makes of an array) is refused with the form to use. Everything else is the engine's to read.</summary>
    internal static object? FromCSharpText(ProcedureParameter p, string text)
    {
        var t = text.Trim();
        // An empty value means "not given" (the default applies): a notebook parameter left "" reads the same in every magic.
        if (t.Length == 0) return null;
        if (t.EndsWith("[]", StringComparison.Ordinal) || t.StartsWith("System.Collections.", StringComparison.Ordinal))
            throw new ArgumentException($"{Option(p.Name)}: a C# array or list cannot be passed with @csharp; use a comma-separated string, e.g. \"10.0.0.0/16,192.168.0.0/16\".");
        return t;
    }

    static string JsonName(string parameter)
    {
        var parts = parameter.Split('_', '-');
        return parts[0] + string.Concat(parts.Skip(1).Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..]));
    }
}
