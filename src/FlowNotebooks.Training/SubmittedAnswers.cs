using System.Text.Json;
using System.Text.Json.Nodes;
using FlowNotebooks.Interactive;
using FlowNotebooks.Notebooks;

namespace FlowNotebooks.Training;

/// <summary>
/// The answers an executed notebook handed in: every output of <see cref="ExerciseAnswers.MimeType"/>, in cell order,
/// the last one per question winning (a student who answers again replaces the earlier answer).
/// </summary>
public static class SubmittedAnswers
{
    /// <summary>Question id → the answer's value (a JSON null when the cell handed in null: not answered).</summary>
    public static IReadOnlyDictionary<string, JsonNode?> From(Notebook executed)
    {
        var answers = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var cell in executed.Cells)
            foreach (var output in cell.Outputs)
            {
                var data = output switch { DisplayOutput d => d.Data, ResultOutput r => r.Data, _ => null };
                if (data is null || !data.TryGetValue(ExerciseAnswers.MimeType, out var json)) continue;
                if (Parse(json) is not JsonObject o || (string?)o["question"] is not { Length: > 0 } id) continue;
                answers[id] = o["value"]?.DeepClone();
            }
        return answers;
    }

    static JsonNode? Parse(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return null; }
    }
}
