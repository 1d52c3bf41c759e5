using System.Text.Json.Nodes;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training.Checks;

/// <summary>Values in a given order (a lateral path; a pair such as (our host, attacker address)): right when the
/// answer lists exactly the expected values in that order.</summary>
public sealed class OrderedAnswer(Func<AnswerKey, IEnumerable<string>> expected, string separator = " then ") : AnswerCheck
{
    public override string Expected(AnswerKey key) => string.Join(separator, expected(key));

    public override bool Accepts(JsonNode? answer, AnswerKey key)
    {
        if (Items(answer) is not { } items) return false;
        var want = expected(key).ToList();
        return items.Count == want.Count && items.Zip(want).All(p => Same(Text(p.First), p.Second));
    }
}
