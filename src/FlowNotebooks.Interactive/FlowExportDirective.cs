using System.Globalization;
using System.Net;
using FlowNotebooks.Presentation.Exports;
using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-export journeys --format ocsf-parquet --out out/journeys.parquet</c>: writes an export of the open
/// case with its provenance sidecar, like <c>flownb export</c> (<see cref="CaseExport"/>), and says what it wrote.</summary>
internal static class FlowExportDirective
{
    public static KernelActionDirective Create() => new("#!flow-export")
    {
        Description = "Exports the counted journeys, a procedure's table or its findings as OCSF 1.1.0 Network Activity, a Timesketch timeline, CSV or Parquet, with a provenance sidecar (FILE.provenance.json).",
        Parameters =
        [
            new("--source", $"{ExportRequest.Journeys} (default) or a procedure's name: {string.Join(", ", ProcedureRegistry.All.Select(p => p.Name))}.") { AllowImplicitName = true },
            new("--format", $"One of: {ExportFormats.Names}.") { Required = true },
            new("--out", "The file to write.") { Required = true, TypeHint = "file" },
            new("--findings", "The procedure's findings instead of its table.") { Flag = true },
            new("--table", "A side table of the procedure's result instead of the main table."),
            new("--from", "Start of the window (default: the first record)."),
            new("--to", "End of the window, exclusive (default: the last record)."),
            new("--addresses", "Journeys: only those from or to these addresses or CIDR blocks."),
            new("--ports", "Journeys: only those from or to these ports."),
            new("--action", "Journeys: ACCEPT or REJECT."),
            new("--param", "Other parameters of the procedure as name=value pairs separated by ';' (e.g. \"min_bytes=10MB;internal_cidrs=10.0.0.0/16\")."),
            new("--name", "C# variable for the ExportSummary."),
        ],
    };

    public static async Task HandleAsync(FlowSession session, ExportCase command, KernelInvocationContext context)
    {
        var values = ProcedureParameter.Pairs((command.Param ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var (name, value) in new[] { ("from", command.From), ("to", command.To), ("addresses", command.Addresses), ("ports", command.Ports), ("action", command.Action) })
            if (!string.IsNullOrWhiteSpace(value)) values[name] = value;
        var request = new ExportRequest(ExportFormats.Parse(command.Format ?? ""), string.IsNullOrWhiteSpace(command.Source) ? ExportRequest.Journeys : command.Source)
        {
            Parameters = values,
            Findings = command.Findings,
            Table = string.IsNullOrWhiteSpace(command.Table) ? null : command.Table,
        };
        var summary = session.RequireCase().Export(request, command.Out ?? throw new ArgumentException("#!flow-export needs --out FILE."));
        var totals = summary.Bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"; {b:N0} bytes in {summary.Packets:N0} packets") : "";
        var rows = summary.Rows.ToString("N0", CultureInfo.InvariantCulture);
        context.DisplayAs($"<p>Wrote {rows} rows{WebUtility.HtmlEncode(totals)} to <code>{WebUtility.HtmlEncode(summary.Path)}</code> "
            + $"(sha256 <code>{summary.Sha256}</code>); provenance in <code>{WebUtility.HtmlEncode(summary.ProvenancePath)}</code>.</p>", "text/html");
        if (!string.IsNullOrEmpty(command.Name)) await session.BindAsync(command.Name, summary, typeof(ExportSummary));
    }
}
