namespace FlowNotebooks.Formats;

/// <summary>One field of a flow-log format, as AWS names it (<c>pkt-srcaddr</c>) and as the case store names it (<c>pkt_srcaddr</c>).</summary>
/// <param name="Name">The AWS field name used in LogFormat strings and S3 header lines.</param>
/// <param name="Column">The case-store column (Parquet-style underscore name; <c>start</c>/<c>end</c> become <c>start_time</c>/<c>end_time</c>).</param>
/// <param name="Kind">How values are typed.</param>
/// <param name="Version">The flow-log version that introduced the field (0 for a field we do not know).</param>
/// <param name="Meaning">What the field says, in the words of the AWS documentation.</param>
/// <param name="AllowedValues">Documented values for enumerations (empty when open-ended).</param>
/// <param name="TransitGatewayOnly">True for fields only transit gateway flow logs carry.</param>
public sealed record FlowField(
    string Name,
    string Column,
    FieldKind Kind,
    int Version,
    string Meaning,
    IReadOnlyList<string> AllowedValues,
    bool TransitGatewayOnly = false)
{
    /// <summary>True when the field came from a format but is not in the catalogue; it is kept as text under its own name.</summary>
    public bool IsUnknown => Version == 0;

    /// <summary>The case-store column name for a field name (hyphens become underscores).</summary>
    public static string ColumnFor(string name) => name switch
    {
        "start" => "start_time",
        "end" => "end_time",
        _ => name.Replace('-', '_'),
    };
}
