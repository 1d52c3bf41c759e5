using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;

namespace FlowNotebooks.Sources;

/// <summary>
/// Where a reader hands what it finds in one evidence object: record lines with the layout in force, and rejects. The
/// reading side owns this contract so readers know nothing of the case store (they are tested with a plain collector);
/// the loader's implementation parses the lines into column batches for the store.
/// </summary>
internal interface IRecordSink
{
    /// <summary>The flow log the next records belong to (from the key; a CloudWatch log group may name it per stream).</summary>
    string? FlowLogId { get; set; }

    /// <summary>Manifest status of the object: complete, truncated, empty, malformed, unreadable.</summary>
    string Status { get; set; }

    long HeaderLines { get; set; }
    long BlankLines { get; set; }

    /// <summary>Records accepted so far.</summary>
    long Records { get; }

    /// <summary>Lines (or the object) rejected so far.</summary>
    long RejectCount { get; }

    /// <summary>The CloudWatch log group the records came from (the capture as far as the delivery names it).</summary>
    string? LogGroup { get; set; }

    /// <summary>The account a CloudWatch subscription payload names as its owner.</summary>
    string? Owner { get; set; }

    /// <summary>One record line (UTF-8) at a 1-based line number, in a layout, with what its delivery tells (stream, owner, time bound).</summary>
    void Record(ReadOnlySpan<byte> line, long lineNumber, FlowLogFormat format, RecordContext? context = null);

    /// <summary>A line (or, at line 0, the whole object) that cannot be loaded, with its raw bytes.</summary>
    void Reject(long lineNumber, string reason, ReadOnlySpan<byte> raw);

    /// <summary>A remark for the manifest (layout changes, format overrides).</summary>
    void Note(string note);
}
