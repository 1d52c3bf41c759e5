using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training.Checks;

/// <summary>
/// How a question is marked: the expected value read from that student's answer key, and the comparison of a given
/// answer (JSON, as <c>Answer</c> displayed it) with it. One subclass per kind of comparison.
/// </summary>
public abstract class AnswerCheck
{
    /// <summary>The expected answer as the instructor and a student's review read it.</summary>
    public abstract string Expected(AnswerKey key);

    /// <summary>True when <paramref name="answer"/> is right for this key (null = not answered: never right).</summary>
    public abstract bool Accepts(JsonNode? answer, AnswerKey key);

    /// <summary>An answer's single value as text: a string trimmed, a number in invariant form; null for none or a list.</summary>
    protected static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Trim(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => null,
    };

    /// <summary>An answer's number (a JSON number, or text that reads as one with optional thousands separators).</summary>
    protected static double? Number(JsonNode? node) => node switch
    {
        // As written (a value built in memory holds a long or a double, one read from a file an element: the text serves both).
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.String
                         && double.TryParse(v.GetValue<string>().Trim().Replace(",", "").Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>An answer's items: an array's elements; a single value is a list of one.</summary>
    protected static IReadOnlyList<JsonNode?>? Items(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => a.ToList(),
        JsonValue => [node],
        _ => null,
    };

    /// <summary>Two texts name the same thing: addresses, ids and words compare without case.</summary>
    protected static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
