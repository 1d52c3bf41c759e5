using System.Globalization;
using System.Text.Json.Nodes;
using FlowNotebooks.Training;

namespace FlowNotebooks.Notebooks.Tests.Training;

/// <summary>What every exercise's class must show: own cases, editions without answers, worked answers right for their
/// own key and wrong for another student's.</summary>
public abstract class TrainingClassTests(TrainingClass c)
{
    [Fact]
    public void Two_students_of_one_roster_get_different_evidence_and_different_keys()
    {
        var alice = c.Record.Students.Single(s => s.Id == "alice");
        var bob = c.Record.Students.Single(s => s.Id == "bob");
        Assert.NotEqual(alice.Seed, bob.Seed);
        Assert.Equal(alice.Seed, c.AnswerKey("alice").Seed);
        Assert.Equal(bob.Seed, c.AnswerKey("bob").Seed);

        // Every expected answer differs between the two (else one could copy it).
        var a = KeyAnswers.For(c.Exercise.Name, c.Key("alice"));
        var b = KeyAnswers.For(c.Exercise.Name, c.Key("bob"));
        foreach (var q in a.Keys.Where(q => !c.SameForEveryone.Contains(q)))
            Assert.False(JsonNode.DeepEquals(a[q], b[q]), $"{q} is the same for alice and bob: {a[q]!.ToJsonString()}");

        // The evidence differs file by file: the same layout, other bytes.
        static Dictionary<string, string> Hashes(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
        var ea = Hashes(c.Layout.Evidence("alice"));
        var eb = Hashes(c.Layout.Evidence("bob"));
        Assert.NotEmpty(ea);
        Assert.Contains(ea, f => !eb.TryGetValue(f.Key, out var h) || h != f.Value);
        Assert.True(File.ReadAllText(Path.Combine(c.Layout.Evidence("alice"), "describe-network-interfaces.json"))
                    != File.ReadAllText(Path.Combine(c.Layout.Evidence("bob"), "describe-network-interfaces.json")));
    }

    [Fact]
    public void The_worked_answers_score_full_marks_against_their_own_key_and_nothing_against_another_students()
    {
        var bob = c.Grade("bob");
        Assert.True(bob.Status == SubmissionStatus.Graded, bob.Problem);
        Assert.Equal(c.Exercise.Questions.Sum(q => q.Points), bob.MaxScore);
        Assert.Equal(bob.MaxScore, bob.Score);

        // What bob's graded run handed in, read from the saved notebook, is the key's answer to each question.
        var handedIn = KeyAnswers.InNotebook(Path.Combine(c.Layout.Grades, "bob.ipynb"));
        var expected = KeyAnswers.For(c.Exercise.Name, c.Key("bob"));
        Assert.Equal(expected.Keys.Order(), handedIn.Keys.Order());
        foreach (var (q, value) in expected)
            Assert.True(SameAnswer(value, handedIn[q]), $"{q}: handed in {handedIn[q]?.ToJsonString()}, key says {value.ToJsonString()}");

        // The same answers against alice's key: every one wrong, but those the same for everyone by design.
        var againstAlice = Marking.Mark(c.Exercise, c.AnswerKey("alice"), handedIn);
        Assert.All(againstAlice, m => Assert.Equal(c.SameForEveryone.Contains(m.Question.Id), m.Correct));
        Assert.Equal(c.Exercise.Questions.Where(q => c.SameForEveryone.Contains(q.Id)).Sum(q => q.Points), againstAlice.Sum(m => m.Points));
    }

    [Fact]
    public void The_student_edition_and_its_folder_hold_no_answer_value()
    {
        foreach (var student in c.Record.Students)
        {
            var key = c.Key(student.Id);
            // A value every student's key shares (the name of a log group the briefing lists) is no one's answer to copy.
            var shared = c.Record.Students.Where(o => o.Id != student.Id).SelectMany(o => KeyAnswers.Revealing(c.Exercise.Name, c.Key(o.Id))).ToHashSet();
            var revealing = KeyAnswers.Revealing(c.Exercise.Name, key, c.SameForEveryone).Where(v => !shared.Contains(v)).ToList();
            Assert.NotEmpty(revealing);
            var folder = c.Layout.StudentFolder(student.Id);

            // No answer key anywhere under the student's folder, by name or by content.
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList();
            Assert.DoesNotContain(files, f => Path.GetFileName(f).Contains("answer-key", StringComparison.OrdinalIgnoreCase));
            foreach (var f in files.Where(f => !f.EndsWith(".gz", StringComparison.Ordinal) && !f.EndsWith(".parquet", StringComparison.Ordinal)))
            {
                var text = File.ReadAllText(f);
                Assert.DoesNotContain("\"lateral_path\"", text);
                Assert.DoesNotContain("\"initial_access\"", text);
                // The byte figures the questions ask for are sums: no file of the evidence states them (as a number of its own,
                // not digits inside a longer one such as a time in milliseconds).
                foreach (var figure in revealing.Where(r => r.All(char.IsAsciiDigit)))
                    Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, $"(?<![0-9]){figure}(?![0-9])"), $"{Path.GetRelativePath(folder, f)} states {figure}");
            }

            // The notebook handed out and the briefing: no answer value at all (addresses, ids, figures), no seed.
            var handedOut = c.HandedOut[student.Id];
            var briefing = File.ReadAllText(Path.Combine(c.Layout.Evidence(student.Id), "README.md"));
            foreach (var value in revealing.Append(student.Seed.ToString(CultureInfo.InvariantCulture)))
            {
                Assert.False(handedOut.Contains(value, StringComparison.Ordinal), $"the student edition of {student.Id} holds {value}");
                Assert.False(briefing.Contains(value, StringComparison.Ordinal), $"the briefing of {student.Id} holds {value}");
            }
            Assert.DoesNotContain("answer-key", briefing);
            // Its answer cells are empty: each hands in null.
            foreach (var q in c.Exercise.Questions) Assert.Contains($"Answer(\\\"{q.Id}\\\", null);", handedOut);
            Assert.DoesNotContain("Worked answer", handedOut);
            Assert.DoesNotContain("\"instructor\"", handedOut);

            // The search finds what is there: the instructor edition states this student's answers.
            var instructor = File.ReadAllText(c.Layout.InstructorNotebook(c.Record, student.Id));
            Assert.All(revealing.Where(r => !r.All(char.IsAsciiDigit)), v => Assert.Contains(v, instructor));
            Assert.Contains("Common wrong answers", instructor);
            Assert.Contains("Worked answer", instructor);
        }
    }

    [Fact]
    public void A_submission_that_cannot_run_or_is_missing_gets_its_line_and_the_class_is_graded()
    {
        var mallory = c.Grade("mallory");
        Assert.Equal(SubmissionStatus.DidNotRun, mallory.Status);
        Assert.Equal(0, mallory.Score);
        Assert.StartsWith("The notebook did not run: ", mallory.Problem);
        var dave = c.Grade("dave");
        Assert.Equal(SubmissionStatus.Missing, dave.Status);
        Assert.Contains("students/dave/", dave.Problem!.Replace('\\', '/'));

        var sheet = File.ReadAllLines(Path.Combine(c.Layout.Grades, "scores.csv"));
        Assert.Equal($"student,name,status,score,max,{string.Join(",", c.Exercise.Questions.Select(q => q.Id))},problem", sheet[0]);
        Assert.Equal(5, sheet.Length);
        Assert.StartsWith("mallory,<script>alert(1)</script>,did not run,0,", sheet[3]);
        Assert.StartsWith($"dave,Dave,missing,0,{c.Exercise.MaxScore},", sheet[4]);
        Assert.StartsWith($"bob,\"Bob, the second\",graded,{c.Exercise.MaxScore},{c.Exercise.MaxScore},", sheet[2]);

        var page = File.ReadAllText(Path.Combine(c.Layout.Grades, "mallory.html"));
        Assert.DoesNotContain("<script>", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("did not run", page);
    }

    /// <summary>The same answer: equal JSON, figures equal as numbers, times within the aggregation interval (60 s).</summary>
    static bool SameAnswer(JsonNode expected, JsonNode? given) => (expected, given) switch
    {
        // A bound: any figure in the range.
        (JsonObject e, JsonValue g) when e["between"] is JsonArray r => g.TryGetValue<double>(out var n) && n >= (long)r[0]! && n <= (long)r[1]!,
        (JsonValue e, JsonValue g) when Time(e) is { } te => Time(g) is { } tg && (te - tg).Duration() <= TimeSpan.FromSeconds(60),
        (JsonObject e, JsonObject g) => e.Count == g.Count && e.All(p => g[p.Key] is { } v && (long)v == (long)p.Value!),
        _ => JsonNode.DeepEquals(expected, given),
    };

    static DateTime? Time(JsonValue v) =>
        v.GetValueKind() == System.Text.Json.JsonValueKind.String && ((string)v!).Contains('T')
        && DateTime.TryParse((string)v!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}

public sealed class CryptominerTrainingTests(CryptominerClass c) : TrainingClassTests(c), IClassFixture<CryptominerClass>
{
    [Fact]
    public void A_submission_with_three_wrong_answers_scores_the_two_right_ones()
    {
        var alice = c.Grade("alice");
        Assert.True(alice.Status == SubmissionStatus.Graded, alice.Problem);
        var spoiled = CryptominerClass.Spoiled.Select(s => s.Question).ToHashSet();
        var expectedScore = c.Exercise.Questions.Count(q => !spoiled.Contains(q.Id));
        Assert.Equal(2, expectedScore);
        Assert.Equal(expectedScore, alice.Score);
        Assert.Equal(["q1", "q3"], alice.Marks.Where(m => m.Correct).Select(m => m.Question.Id));
        Assert.False(alice.Marks.Single(m => m.Question.Id == "q5").Answered);

        // What alice handed in for q2 is exactly twice the key's figures (the double count the question warns about).
        var pools = c.Key("alice")["extra"]!["mining_pools"]!.AsArray();
        var q2 = (JsonObject)alice.Marks.Single(m => m.Question.Id == "q2").Given!;
        Assert.All(pools, p => Assert.Equal(2 * (long)p!["bytes_out"]!, (long)q2[(string)p["ip"]!]!));

        var sheet = File.ReadAllLines(Path.Combine(c.Layout.Grades, "scores.csv"));
        Assert.Equal("alice,Alice Adams,graded,2,5,1,0,1,0,0,", sheet[1]);
        var page = File.ReadAllText(Path.Combine(c.Layout.Grades, "alice.html"));
        Assert.Contains("2 of 5", page);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(page, "class=\"wrong\">wrong"));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page, "class=\"wrong\">not answered"));
        // The review names the key's lateral path in order and the reasoning, encoded.
        var path = string.Join(" then ", c.Key("alice")["lateral_path"]!.AsArray().Select(h => (string)h!["destination_ip"]!));
        Assert.Contains(path, page);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(c.Exercise.Find("q2").Reasoning), page);
    }
}

public sealed class VpcCompromiseTrainingTests(VpcCompromiseClass c) : TrainingClassTests(c), IClassFixture<VpcCompromiseClass>;

public sealed class S3ExfiltrationTrainingTests(S3ExfiltrationClass c) : TrainingClassTests(c), IClassFixture<S3ExfiltrationClass>;

public sealed class BlindSpotTrainingTests(BlindSpotClass c) : TrainingClassTests(c), IClassFixture<BlindSpotClass>;
