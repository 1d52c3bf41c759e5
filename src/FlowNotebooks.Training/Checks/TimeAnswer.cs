using System.Globalization;
using System.Text.Json.Nodes;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training.Checks;

/// <summary>
/// A time (UTC): right when within <c>tolerance</c> of the key's. Flow records time traffic by their aggregation
/// interval, so a time read from them is the key's give or take that; an answer without a zone is taken as UTC.
/// </summary>
public sealed class TimeAnswer(Func<AnswerKey, DateTime> expected, TimeSpan tolerance) : AnswerCheck
{
    public override string Expected(AnswerKey key) =>
        expected(key).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        + string.Create(CultureInfo.InvariantCulture, $" (± {tolerance.TotalSeconds:0} s)");

    public override bool Accepts(JsonNode? answer, AnswerKey key) =>
        Text(answer) is { } text
        && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var given)
        && (given - expected(key).ToUniversalTime()).Duration() <= tolerance;
}
