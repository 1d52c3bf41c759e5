using System.Text.Json.Nodes;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training.Checks;

/// <summary>Several values in any order (the miners, the IOC addresses contacted): right when the answer names each
/// expected value and nothing else (repeats do not matter).</summary>
public sealed class SetAnswer(Func<AnswerKey, IEnumerable<string>> expected) : AnswerCheck
{
    public override string Expected(AnswerKey key) => string.Join(", ", expected(key).Order(StringComparer.Ordinal));

    public override bool Accepts(JsonNode? answer, AnswerKey key)
    {
        if (Items(answer) is not { } items) return false;
        var given = items.Select(Text).ToList();
        if (given.Any(g => g is null)) return false;
        var want = expected(key).Select(e => e.Trim().ToLowerInvariant()).ToHashSet();
        return given.Select(g => g!.ToLowerInvariant()).ToHashSet().SetEquals(want);
    }
}
