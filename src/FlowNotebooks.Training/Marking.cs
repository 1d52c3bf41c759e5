using System.Text.Json.Nodes;
using FlowNotebooks.Interactive;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training;

/// <summary>One question marked: what was given (null: not answered), whether it is right, the points it earns.</summary>
public sealed record QuestionMark(Question Question, JsonNode? Given, bool Correct, int Points, string Expected)
{
    public bool Answered => Given is not null;

    /// <summary>The answer as the student handed it in (JSON), or "(not answered)".</summary>
    public string GivenText => Given?.ToJsonString(AnswerJson.Plain) ?? "(not answered)";
}

/// <summary>Compares handed-in answers with one student's key, question by question.</summary>
public static class Marking
{
    public static IReadOnlyList<QuestionMark> Mark(Exercise exercise, AnswerKey key, IReadOnlyDictionary<string, JsonNode?> answers) =>
        exercise.Questions.Select(q =>
        {
            var given = answers.GetValueOrDefault(q.Id);
            var correct = given is not null && q.Check.Accepts(given, key);
            return new QuestionMark(q, given, correct, correct ? q.Points : 0, q.Check.Expected(key));
        }).ToList();
}
