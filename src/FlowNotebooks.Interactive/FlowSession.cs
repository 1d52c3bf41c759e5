using System.Text.RegularExpressions;
using FlowNotebooks.Presentation.DataFrames;
using FlowNotebooks.Store;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;

namespace FlowNotebooks.Interactive;

/// <summary>
/// The notebook's state: the open case and the C# kernel results are bound into. One per root kernel. Magic commands
/// added later (procedures) use <see cref="ShowResultAsync(KernelInvocationContext, QueryResult, string, string?)"/>
/// so every result looks and binds the same way.
/// </summary>
public sealed partial class FlowSession(CSharpKernel csharp)
{
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Kernel, FlowSession> Sessions = [];

    /// <summary>The session <see cref="FlowKernelExtension.Load"/> attached to this kernel's notebook, for magics
    /// added elsewhere (e.g. procedures), or null when the extension is not loaded.</summary>
    public static FlowSession? Of(Kernel kernel) => Sessions.TryGetValue(kernel.RootKernel, out var s) ? s : null;

    internal void AttachTo(Kernel root) => Sessions.AddOrUpdate(root, this);

    /// <summary>Findings the notebook produced (procedure magics and <see cref="Findings"/> add to it); a headless run
    /// writes them as the case's findings JSON.</summary>
    public FlowNotebooks.Procedures.FindingsLog Findings { get; } = new();

    /// <summary>The case the magics work on, or null before <c>#!flow-case</c> / <c>#!flow-load</c>.</summary>
    public FlowCase? Case { get; private set; }

    /// <summary>The open case, or a clear error telling the user what to run first.</summary>
    public FlowCase RequireCase() => Case ?? throw new InvalidOperationException("No case is open: run #!flow-case (or #!flow-load) first.");

    /// <summary>Makes <paramref name="flowCase"/> current, closing the previous one (it holds a file lock).</summary>
    public void SetCase(FlowCase flowCase)
    {
        if (!ReferenceEquals(Case, flowCase)) Case?.Dispose();
        Case = flowCase;
    }

    /// <summary>The Athena tables procedures run on after <c>#!flow-athena</c>, or null: they run on <see cref="Case"/>.</summary>
    public AthenaSession? Athena { get; private set; }

    /// <summary>Makes procedures run on Athena (or, with null, on the open case again), closing the previous connection.</summary>
    public void UseAthena(AthenaSession? athena)
    {
        if (!ReferenceEquals(Athena, athena)) Athena?.Dispose();
        Athena = athena;
    }

    /// <summary>Shows a result table under a title and, with a name, binds it as a C# DataFrame variable.</summary>
    public async Task ShowResultAsync(KernelInvocationContext context, QueryResult result, string title, string? name)
    {
        var frame = FlowDataFrames.FromQueryResult(result);
        context.DisplayAs($"<b>{System.Net.WebUtility.HtmlEncode(title)}</b>" + (result.Truncated ? " <i>(truncated)</i>" : ""), "text/html");
        await ShowResultAsync(context, frame, name);
    }

    /// <summary>Shows a DataFrame with FlowNotebooks' formatter and binds it when a name is given.</summary>
    public async Task ShowResultAsync(KernelInvocationContext context, DataFrame frame, string? name)
    {
        context.Display(frame, "text/html", "text/plain");
        if (!string.IsNullOrEmpty(name)) await BindAsync(name, frame, typeof(DataFrame));
    }

    /// <summary>Declares a C# variable holding <paramref name="value"/>. The C# compilation must first reference the
    /// assemblies of the declared type, or the next cell fails with CS0234.</summary>
    public async Task BindAsync(string name, object value, Type declaredType)
    {
        if (!Identifier().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a valid C# variable name (letters, digits and _; not starting with a digit).");
        csharp.AddAssemblyReferences([typeof(DataFrame).Assembly.Location, typeof(FlowCase).Assembly.Location, declaredType.Assembly.Location]);
        await csharp.SetValueAsync(name, value, declaredType);
    }

    /// <summary>
    /// The value of a cell-kernel parameter. The host binds <c>@csharp:</c>/<c>@input:</c> values for action magics but
    /// hands a kernel selector's parameters over as raw text, so <c>#!flow-sql</c> resolves them here the same way.
    /// </summary>
    public async Task<string?> ResolveAsync(string? raw)
    {
        var text = raw?.Trim().Trim('"');
        if (text is null || !text.StartsWith('@')) return text;
        if (text.StartsWith("@csharp:", StringComparison.Ordinal))
        {
            var variable = text["@csharp:".Length..];
            return csharp.TryGetValue<object>(variable, out var value) && value is not null
                ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new ArgumentException($"There is no C# variable '{variable}'.");
        }
        if (text.StartsWith("@input:", StringComparison.Ordinal)) return await Kernel.GetInputAsync(text["@input:".Length..].Trim('"'));
        throw new ArgumentException($"'{text}': #!flow-sql parameters take plain values, @csharp:variable or @input:prompt.");
    }

    /// <summary>The typed value of a C# variable (a DateTime keeps its kind, a TimeSpan its ticks), or false.</summary>
    internal bool TryGetCSharpValue(string variable, out object? value) => csharp.TryGetValue(variable, out value);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
