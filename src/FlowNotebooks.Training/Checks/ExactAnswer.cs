using System.Text.Json.Nodes;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training.Checks;

/// <summary>One value (an address, an id, a word such as <c>undetermined</c>), compared as text without case.</summary>
public sealed class ExactAnswer(Func<AnswerKey, string> expected) : AnswerCheck
{
    public override string Expected(AnswerKey key) => expected(key);

    public override bool Accepts(JsonNode? answer, AnswerKey key) => Same(Text(answer), expected(key));
}
