namespace FlowNotebooks.Parsing;

/// <summary>A line (or object) that could not be loaded, with the reason and the raw text an analyst needs to judge it.</summary>
/// <param name="Object">The evidence object (relative path or S3 key).</param>
/// <param name="Line">1-based line number in the object (0 when the problem concerns the whole object; for JSON exports, the event number).</param>
/// <param name="Reason">What was wrong, in words.</param>
/// <param name="Raw">The raw text (bounded; invalid UTF-8 shown as \xNN).</param>
public sealed record Reject(string Object, long Line, string Reason, string Raw)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{Object}:{Line}: {Reason}" : $"{Object}: {Reason}";
}
