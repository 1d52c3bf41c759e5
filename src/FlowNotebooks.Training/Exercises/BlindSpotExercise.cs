using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Training.Checks;

namespace FlowNotebooks.Training.Exercises;

/// <summary>The blind spot: a coverage statement (graded most), bounds where the evidence cannot be exact, and what
/// cannot be determined from flow logs.</summary>
public static class BlindSpotExercise
{
    /// <summary>A time as an answer gives it (a DateTime handed to <c>Answer</c> is written so).</summary>
    static string Iso(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    static JsonElement Bound(AnswerKey k, string name) => k.Extra["bounds"].GetProperty(name);

    static string CannotDetermine(AnswerKey k, string question) =>
        k.Extra["cannot_determine"].EnumerateArray().First(x => x.GetProperty("question").GetString()!.StartsWith(question, StringComparison.Ordinal)).GetProperty("answer").GetString()!;

    /// <summary>Every place the evidence of the window is blind: the unlogged subnet, the SKIPDATA interface, the flow log
    /// with an undelivered hour, the flow log created late, the log group whose events expired.</summary>
    static IEnumerable<string> BlindPlaces(AnswerKey k) =>
        [.. k.Coverage.UnloggedSubnets.Select(s => s.SubnetId), .. k.Coverage.SkipdataWindows.Select(g => g.InterfaceId!),
         .. k.Coverage.MissingDeliveryWindows.Select(g => g.FlowLogId!), .. k.Coverage.LoggingStartedLate.Select(g => g.FlowLogId!),
         .. k.EvidenceWindow?.LogGroup is { } group ? [group] : Array.Empty<string>()];

    public static Exercise Definition { get; } = new(
        "blind-spot", "blind-spot", "blind-spot-exercise.ipynb",
        "The blind spot: an unlogged CI runner, SKIPDATA, an undelivered hour, an expired log group, a deleted object — bounds and what cannot be determined",
        [
            new("q1", "State the coverage: name every place the evidence of the window is blind — the subnet with no flow log, the interface that logged SKIPDATA, "
                      + "the flow log with an undelivered hour, the flow log created during the window, and the log group whose events had expired.",
                "`coverage`: its `unlogged` and `gaps` tables and its `evidence_window` table (kind `retention_lost`).",
                "the ids and names, as a list of texts (subnet, interface and flow-log ids, the log group's name)",
                new SetAnswer(BlindPlaces))
            {
                Points = 5,
                Reasoning = "Every negative or bounded answer rests on this statement. The ops subnet has no flow log (its runner is seen only where "
                            + "its traffic crosses a logged interface); the NAT gateway's interface skipped records for 20 minutes; the data subnet's "
                            + "flow log delivered nothing for an hour; the public-b flow log only exists since the response began; and CloudWatch Logs "
                            + "had already deleted the interface-level events older than its 7-day retention when the evidence was collected.",
                CommonMistakes =
                [
                    new("Including the deleted object's flow log as blind", "The bucket is versioned: the deleted object's earlier version was collected and its records are in the case."),
                    new("Leaving out the log group", "Its retention is configuration, not a gap in a delivery series: it shows in the evidence window, not in the gaps table."),
                    new("Leaving out the late flow log", "A capture created during the window shows nothing before its creation, whatever happened."),
                ],
            },
            new("q2", "From when to when did the NAT gateway's interface skip its records?",
                "The `gaps` table, kind `skipdata`.",
                "(start, end) as two times (DateTime values)",
                new OrderedAnswer(k => [Iso(k.Coverage.SkipdataWindows[0].Window.Start), Iso(k.Coverage.SkipdataWindows[0].Window.End)], " to "))
            {
                Reasoning = "One SKIPDATA record per aggregation window stands for records the interface could not log; the union of those windows is the gap.",
                CommonMistakes = [new("The times of the upload", "The upload is longer than the gap; only the gap is blind.")],
            },
            new("q3", "An object of the data subnet's flow log was deleted after delivery. Are its records lost?",
                "The `evidence_window` table, kind `deleted_object`.",
                "yes or no, as text",
                new ExactAnswer(_ => "no"))
            {
                Reasoning = "The log bucket is versioned: the deletion left a delete marker and the earlier version, which the collection recovered "
                            + "and loaded. The deletion itself is a finding (someone with rights on the log bucket removed evidence).",
                CommonMistakes = [new("yes", "Deleting an object in a versioned bucket only hides it; the earlier version is still there (until the noncurrent-version rule expires it).")],
            },
            new("q4", "How many bytes did the CI runner upload to the drop host, at least?",
                "`exfil-ledger`: the runner's row, `lower_bound`.",
                "a number of bytes",
                NumberAnswer.Within(k => Bound(k, "upload_bytes").GetProperty("lower").GetInt64(), 0.001))
            {
                Reasoning = "Only the NAT gateway's interface saw the upload (the runner's subnet is unlogged). What it logged is certain: the lower bound.",
                CommonMistakes = [new("The figure with the SKIPDATA minutes ignored as if nothing was sent", "That is the lower bound, not the amount: the question asks 'at least' because more may have left.")],
            },
            new("q5", "Give an upper bound for those bytes: a figure the upload cannot have exceeded, as far as the evidence allows.",
                "`exfil-ledger`: `upper_bound` adds the peak logged rate over the blind seconds.",
                "a number of bytes",
                NumberAnswer.Between(k => (Bound(k, "upload_bytes").GetProperty("actual").GetInt64(), 3.0 * Bound(k, "upload_bytes").GetProperty("lower").GetInt64())))
            {
                Reasoning = "During the 20 blind minutes the runner can have sent at most about its peak logged rate: lower bound plus blind seconds times "
                            + "that rate. Any bound that contains what really left (the instructor's key holds it) and stays under three times the "
                            + "logged figure is accepted.",
                CommonMistakes = [new("The lower bound again", "It ignores the blind minutes: the true figure is above it.")],
            },
            new("q6", "When did the runner start reading the database? Give the earliest and the latest time it can have started.",
                "The data subnet's missing delivery (`gaps`, kind `missing_delivery`), db-1's expired CloudWatch events (`retention_lost`), and "
                + "the first record of the runner's PostgreSQL session (`conversations` for the runner's address).",
                "(earliest, latest) as two times (DateTime values)",
                new OrderedAnswer(k => [Iso(Bound(k, "database_read_start").GetProperty("not_before").GetDateTime()),
                    Iso(Bound(k, "database_read_start").GetProperty("not_after").GetDateTime())], " to "))
            {
                Points = 2,
                Reasoning = "The first record of the session is in the hour after an hour the data subnet's flow log never delivered, and db-1's "
                            + "interface-level copy of that hour had expired in CloudWatch by collection. The hour before the gap was delivered and "
                            + "shows no such session. So it started between the gap's start and the first surviving record.",
                CommonMistakes =
                [
                    new("The first record's time alone", "The session may have started in the undelivered hour: the first record is only the latest possible start."),
                    new("db-1's interface-level flow log shows it", "Its CloudWatch events before the retention cut-off were deleted before collection."),
                ],
            },
            new("q7", "Did the runner also copy data through the S3 gateway endpoint?",
                "Which logged interface would such traffic cross?",
                "a text",
                new ExactAnswer(k => CannotDetermine(k, "whether the runner sent data through the S3 gateway endpoint")))
            {
                Points = 2,
                Reasoning = "Traffic to S3 in the region goes from the runner's interface through the gateway endpoint, not the NAT gateway. The "
                            + "runner's interface has no flow log, so no logged interface is on that path: absence of records proves nothing.",
                CommonMistakes = [new("no", "No record is not no traffic: nothing that could have recorded it was logging.")],
            },
        ])
    {
        TeachingNotes = "Teaches that coverage comes first and that bounds and \"cannot be determined\" are answers: every figure here is either "
                        + "certain, bounded, or unknowable, and the coverage statement says which. Allow 60–90 minutes; have students read their "
                        + "coverage statement aloud before the figures. Discuss: enable flow logs on every subnet, keep log-group retention longer "
                        + "than the time to detect, version the log bucket.",
    };
}
