using System.Text.Json.Serialization;
using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary><c>#!flow-athena</c>: parameters bind by name (<c>--max-scan</c> → <see cref="MaxScan"/>).</summary>
public sealed class ConnectAthena : KernelDirectiveCommand
{
    public string? Workgroup { get; set; }
    /// <summary>describe-flow-logs JSON the tables were made from.</summary>
    public string? Config { get; set; }
    [JsonConverter(typeof(AwsDirectiveCommand.OneOrMany))]
    public string[]? Account { get; set; }
    [JsonConverter(typeof(AwsDirectiveCommand.OneOrMany))]
    public string[]? Region { get; set; }
    public string? Bucket { get; set; }
    public string? Database { get; set; }
    public string? Table { get; set; }
    public string? Engine { get; set; }
    public string? MaxScan { get; set; }
    public string? OutputLocation { get; set; }
    [JsonConverter(typeof(AwsDirectiveCommand.OneOrMany))]
    public string[]? Inventory { get; set; }
    public string? FetchCited { get; set; }
    public string? Profile { get; set; }
    /// <summary>C# variable that receives the AthenaConnection.</summary>
    public string? Name { get; set; }
    /// <summary>Back to the open case: procedure magics run locally again.</summary>
    public bool Local { get; set; }
}
