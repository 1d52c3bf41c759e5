namespace FlowNotebooks.Ingest;

/// <summary>A load stopped: strict mode met a reject, or the case store refused the data.</summary>
public sealed class FlowLoadException(string message, Exception? inner = null) : Exception(message, inner);
