using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowNotebooks.Notebooks;

/// <summary>
/// The run's findings JSON: tool, notebook, parameters, outcome, the evidence manifest (SHA-256 per object) and every
/// procedure result and finding the notebook recorded, each finding with its evidence references. No time or machine
/// path in it: the same evidence and parameters give the same bytes.
/// </summary>
public static class FindingsDocument
{
    public static string Write(NotebookRunResult run)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("tool", "flownb " + run.ToolVersion);
            w.WriteString("notebook", run.NotebookName);
            w.WriteStartObject("parameters");
            foreach (var (k, v) in run.Parameters) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteString("status", run.Succeeded ? "succeeded" : "failed");
            if (run.FirstFailure is { } f)
            {
                w.WriteStartObject("failure");
                w.WriteNumber("cell", f.Index + 1);
                w.WriteString("source", f.SourceHead);
                w.WriteString("error", f.Error);
                w.WriteBoolean("timed_out", f.TimedOut);
                w.WriteEndObject();
            }
            w.WriteStartArray("evidence");
            foreach (var e in run.Evidence)
            {
                w.WriteStartObject();
                w.WriteNumber("evidence_id", e.EvidenceId);
                w.WriteString("object", e.Object);
                w.WriteString("kind", e.Kind);
                w.WriteNumber("size", e.Size);
                w.WriteString("sha256", e.Sha256);
                w.WriteNumber("records", e.Records);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("procedures");
            // Each result's own JSON (parameters, window, coverage, findings), re-indented into this document.
            foreach (var result in run.Findings.Results) JsonNode.Parse(result.FindingsJson())!.WriteTo(w);
            w.WriteEndArray();
            w.WriteStartArray("findings");
            foreach (var finding in run.Findings.Notes) finding.WriteJson(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
