using System.Globalization;
using System.Text.Json.Nodes;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training.Checks;

/// <summary>
/// A figure per name (bytes per destination, per pool): right when the answer names exactly the expected names (a
/// dictionary, as <c>Answer</c> writes one) and each figure is within <c>relative</c> of the key's (0 = exact).
/// </summary>
public sealed class AmountsAnswer(Func<AnswerKey, IReadOnlyDictionary<string, long>> expected, double relative = 0) : AnswerCheck
{
    public override string Expected(AnswerKey key) =>
        string.Join(", ", expected(key).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value.ToString("N0", CultureInfo.InvariantCulture)}"));

    public override bool Accepts(JsonNode? answer, AnswerKey key)
    {
        if (answer is not JsonObject given) return false;
        var want = expected(key);
        if (given.Count != want.Count) return false;
        foreach (var (name, node) in given)
        {
            var match = want.Where(w => Same(w.Key, name)).Select(w => (long?)w.Value).FirstOrDefault();
            if (match is not { } figure || Number(node) is not { } n) return false;
            if (Math.Abs(n - figure) > Math.Abs(figure) * relative) return false;
        }
        return true;
    }
}
