using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace FlowNotebooks.Interactive;

/// <summary>
/// How a training exercise's answer cell hands its value to the grader: <c>Answer("q1", value)</c> displays the value
/// with its own MIME type (<see cref="MimeType"/>: <c>{"question": "q1", "value": …}</c>) beside a plain-text form for
/// the student. The executed notebook keeps that output in every host (flownb run, Jupyter, dotnet-repl), and
/// <c>flownb training grade</c> reads it from there; the notebook itself never sees the answer key.
/// <code>using static FlowNotebooks.Interactive.ExerciseAnswers;  …  Answer("q2", pools);</code>
/// </summary>
public static class ExerciseAnswers
{
    /// <summary>The MIME type of an answer output.</summary>
    public const string MimeType = "application/vnd.flownotebooks.answer+json";

    /// <summary>Hands <paramref name="value"/> in as the answer to <paramref name="question"/> (null: not answered). A
    /// later answer to the same question replaces an earlier one.</summary>
    public static void Answer(string question, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var context = KernelInvocationContext.Current ?? throw new InvalidOperationException("Answer works in a notebook cell (no cell is running).");
        var json = AnswerJson.From(value);
        var document = new JsonObject { ["question"] = question, ["value"] = json };
        var text = value is null ? $"{question}: not answered yet" : $"{question}: {json?.ToJsonString(AnswerJson.Plain)}";
        context.Publish(new DisplayedValueProduced(value, context.Command,
            [new FormattedValue(MimeType, document.ToJsonString(AnswerJson.Plain)), new FormattedValue("text/plain", text)]));
    }
}
