namespace FlowNotebooks.Procedures;

/// <summary>The kinds of chart a procedure's result is drawn as.</summary>
public enum ChartKind
{
    /// <summary>Rows × columns of the busiest pairs, summing <see cref="ProcedureChart.Value"/> (e.g. client × server).</summary>
    Matrix,
    /// <summary>Bars of the first rows: <see cref="ProcedureChart.Label"/> per row, <see cref="ProcedureChart.Value"/> as length.</summary>
    Bars,
    /// <summary>Records per interface and time bucket (table <c>buckets</c>): an empty cell is a time nothing was logged.</summary>
    CoverageMatrix,
    /// <summary>Bytes per time bucket and traffic direction (table <c>timeline</c>).</summary>
    Timeline,
    /// <summary>Bytes out as asset → egress → destination (the exfil ledger's rows).</summary>
    EgressSankey,
    /// <summary>The lateral path's hops in time order (table <c>path</c>), else a client × server matrix of connections.</summary>
    HopGraph,
}

/// <summary>
/// A chart of a procedure's result, as data: which table, which columns, what title. Presentation draws it; the
/// procedure's definition says which picture fits, so notebooks, magics and reports show the same one.
/// </summary>
/// <param name="Table">The side table drawn (null: the main table).</param>
/// <param name="X">Column of a matrix's columns.</param>
/// <param name="Y">Column of a matrix's rows.</param>
/// <param name="Value">The measure.</param>
/// <param name="Label">A bar's label: text with <c>{column}</c> placeholders.</param>
public sealed record ProcedureChart(ChartKind Kind, string Title, string? Table = null, string? X = null, string? Y = null, string? Value = null, string? Label = null);
