namespace FlowNotebooks.Presentation.DataFrames;

/// <summary>A query gave more rows than the DataFrame cap. Thrown rather than truncating: a silently cut frame would
/// give wrong sums and counts in the next cell.</summary>
public sealed class RowLimitExceededException(int maxRows)
    : InvalidOperationException($"The query returned more than {maxRows:N0} rows, the DataFrame cap. Aggregate or add LIMIT, " +
                                "or raise the cap explicitly (maxRows: / --max-rows N, 0 for no cap).")
{
    /// <summary>The cap that was exceeded.</summary>
    public int MaxRows { get; } = maxRows;
}
