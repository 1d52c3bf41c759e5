using System.Text.Json.Nodes;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>What GetWorkGroup says that a run must respect: the per-query scan cutoff, the results location, the engine.</summary>
/// <param name="BytesScannedCutoffPerQuery">Athena cancels any query of the workgroup that scans more (null: no cutoff).</param>
public sealed record AthenaWorkGroup(string Name, string? State, long? BytesScannedCutoffPerQuery, string? OutputLocation,
    bool EnforceWorkGroupConfiguration, string? SelectedEngineVersion, string? EffectiveEngineVersion)
{
    /// <summary>The engine the workgroup runs: DuckDB only when chosen explicitly (automatic selection never picks it).</summary>
    public AthenaEngine Engine =>
        string.Equals(EffectiveEngineVersion ?? SelectedEngineVersion, "DuckDB", StringComparison.OrdinalIgnoreCase) ? AthenaEngine.DuckDb : AthenaEngine.Trino;

    /// <summary>Reads <c>{"WorkGroup":{…}}</c>.</summary>
    public static AthenaWorkGroup Parse(JsonObject answer)
    {
        var w = answer["WorkGroup"] as JsonObject ?? throw new AwsCallException(System.Net.HttpStatusCode.OK, "MalformedResponse", "GetWorkGroup gave no WorkGroup");
        var c = w["Configuration"] as JsonObject;
        var engine = c?["EngineVersion"] as JsonObject;
        return new AthenaWorkGroup(
            w["Name"]?.GetValue<string>() ?? "",
            w["State"]?.GetValue<string>(),
            c?["BytesScannedCutoffPerQuery"]?.GetValue<long>(),
            (c?["ResultConfiguration"] as JsonObject)?["OutputLocation"]?.GetValue<string>(),
            c?["EnforceWorkGroupConfiguration"]?.GetValue<bool>() ?? false,
            engine?["SelectedEngineVersion"]?.GetValue<string>(),
            engine?["EffectiveEngineVersion"]?.GetValue<string>());
    }
}
