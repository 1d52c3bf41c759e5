using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary>A procedure magic (<c>#!flow-exfil --min-bytes 1000000 --name ledger</c>). The host binds parameters by
/// name; the procedure's own parameters differ per magic, so they arrive in <see cref="Arguments"/> under the host's
/// camel-case names (<c>--min-bytes</c> → <c>minBytes</c>).</summary>
public sealed class RunProcedure : KernelDirectiveCommand
{
    /// <summary>C# variable that receives the main table as a DataFrame.</summary>
    public string? Name { get; set; }

    /// <summary>C# variable that receives the whole ProcedureResult (findings, side tables, SQL).</summary>
    public string? Result { get; set; }

    /// <summary>The procedure's parameters as the host bound them (text, or JSON true/false for flags).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Arguments { get; set; }
}
