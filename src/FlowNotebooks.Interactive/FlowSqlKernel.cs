using System.Globalization;
using FlowNotebooks.Presentation.DataFrames;
using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary>
/// <c>#!flow-sql [--name df] [--max-rows N]</c> followed by SQL: a cell kernel (the rest of the cell is SQL, not C#)
/// over the open case. The result shows as a table and, with <c>--name</c>, becomes a C# DataFrame variable.
/// </summary>
public sealed class FlowSqlKernel : Kernel, IKernelCommandHandler<SubmitCode>
{
    /// <summary>The kernel's name, hence its magic: <c>#!flow-sql</c>.</summary>
    public const string KernelName = "flow-sql";

    readonly FlowSession session;

    /// <summary>A SQL kernel over the session's case.</summary>
    public FlowSqlKernel(FlowSession session) : base(KernelName)
    {
        this.session = session;
        KernelInfo.LanguageName = "SQL";
        KernelInfo.Description = "SQL (DuckDB) over the open FlowNotebooks case: counted_journeys (each packet journey once: sum bytes here), flows (every logged copy), evidence, rejects, flow_logs, interfaces.";
    }

    /// <inheritdoc />
    public override KernelSpecifierDirective KernelSpecifierDirective
    {
        get
        {
            var directive = base.KernelSpecifierDirective;
            if (directive.Parameters.All(p => p.Name != "--name"))
            {
                directive.Parameters.Add(new("--name", "C# variable that receives the result as a DataFrame."));
                directive.Parameters.Add(new("--max-rows", $"Row cap for the DataFrame (default {FlowDataFrames.DefaultMaxRows:N0}; 0 for none). More rows fail rather than truncate."));
            }
            directive.Description = KernelInfo.Description;
            return directive;
        }
    }

    async Task IKernelCommandHandler<SubmitCode>.HandleAsync(SubmitCode command, KernelInvocationContext context)
    {
        try
        {
            var sql = command.Code;
            if (string.IsNullOrWhiteSpace(sql)) throw new ArgumentException("The cell has no SQL after #!flow-sql.");
            var maxRows = MaxRows(await session.ResolveAsync(command.Parameters.TryGetValue("--max-rows", out var m) ? m : null));
            var name = await session.ResolveAsync(command.Parameters.TryGetValue("--name", out var n) ? n : null);
            var store = session.RequireCase().Store;
            CountedFlows.EnsureCurrent(store);
            var frame = FlowDataFrames.Query(store, sql, null, maxRows);
            await session.ShowResultAsync(context, frame, name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // DuckDB's own message names the bad column or token: pass it on, without a stack trace.
            context.Fail(command, message: e.Message);
        }
    }

    static int MaxRows(string? text) =>
        text is null ? FlowDataFrames.DefaultMaxRows
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n
        : throw new ArgumentException($"--max-rows '{text}' is not a row count: use a whole number, 0 for no cap.");
}
