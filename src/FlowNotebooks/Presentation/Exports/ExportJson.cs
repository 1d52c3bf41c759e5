using System.Text.Encodings.Web;

namespace FlowNotebooks.Presentation.Exports;

/// <summary>How export files write JSON text: characters as they are (<c>-&gt;</c>, <c>+</c>, <c>'</c>, non-ASCII),
/// escaping only what JSON requires. The default encoder escapes for embedding in HTML; these files are read by SIEMs,
/// Timesketch and people, never placed in a page (the notebook shows exports HTML-encoded).</summary>
internal static class ExportJson
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
}
