using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-export</c>: parameters bind by name (<c>--out</c> → <see cref="Out"/>).</summary>
public sealed class ExportCase : KernelDirectiveCommand
{
    /// <summary>journeys, or a procedure's name.</summary>
    public string? Source { get; set; }

    /// <summary>The format's name (ocsf-jsonl, ocsf-parquet, timesketch-csv, timesketch-jsonl, csv, parquet).</summary>
    public string? Format { get; set; }

    /// <summary>The file to write.</summary>
    public string? Out { get; set; }

    /// <summary>The procedure's findings instead of its table.</summary>
    public bool Findings { get; set; }

    /// <summary>A side table of the procedure's result.</summary>
    public string? Table { get; set; }

    /// <summary>Start of the window.</summary>
    public string? From { get; set; }

    /// <summary>End of the window (exclusive).</summary>
    public string? To { get; set; }

    /// <summary>Journeys: only those from or to these addresses or CIDR blocks.</summary>
    public string? Addresses { get; set; }

    /// <summary>Journeys: only those from or to these ports.</summary>
    public string? Ports { get; set; }

    /// <summary>Journeys: ACCEPT or REJECT.</summary>
    public string? Action { get; set; }

    /// <summary>Other parameters as name=value pairs separated by ';'.</summary>
    public string? Param { get; set; }

    /// <summary>C# variable that receives the ExportSummary.</summary>
    public string? Name { get; set; }
}
