using System.Globalization;
using System.Text.Json.Nodes;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training.Checks;

/// <summary>
/// A figure (bytes, seconds, a count): right when it lies within the range the key allows. <see cref="Within"/> takes
/// the key's figure with a relative tolerance; <see cref="Between"/> takes bounds, for figures the evidence only
/// bounds (a gap in coverage means the true value lies between what was seen and what could have been).
/// </summary>
public sealed class NumberAnswer : AnswerCheck
{
    readonly Func<AnswerKey, (double Low, double High)> range;

    NumberAnswer(Func<AnswerKey, (double Low, double High)> range) => this.range = range;

    /// <summary>The key's figure, give or take <paramref name="relative"/> of it (0.01 = 1 %).</summary>
    public static NumberAnswer Within(Func<AnswerKey, double> value, double relative) =>
        new(k => { var v = value(k); var d = Math.Abs(v) * relative; return (v - d, v + d); });

    /// <summary>Any figure from <c>Low</c> to <c>High</c>, both included.</summary>
    public static NumberAnswer Between(Func<AnswerKey, (double Low, double High)> bounds) => new(bounds);

    public override string Expected(AnswerKey key)
    {
        var (low, high) = range(key);
        var c = CultureInfo.InvariantCulture;
        return low == high ? low.ToString("N0", c) : $"{low.ToString("N0", c)} to {high.ToString("N0", c)}";
    }

    public override bool Accepts(JsonNode? answer, AnswerKey key)
    {
        var (low, high) = range(key);
        return Number(answer) is { } n && n >= Math.Floor(low) && n <= Math.Ceiling(high);
    }
}
