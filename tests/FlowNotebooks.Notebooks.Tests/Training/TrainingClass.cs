using System.Text.Json.Nodes;
using FlowNotebooks.Training;

namespace FlowNotebooks.Notebooks.Tests.Training;

/// <summary>
/// A class written by <c>training new</c> for one exercise (roster: alice, bob, mallory, dave), then submissions as a
/// trainer collects them: bob hands in the worked (instructor) edition, alice the worked edition or what
/// <see cref="AliceSubmits"/> makes of it, mallory a file that is not a notebook, dave nothing; graded once.
/// </summary>
public abstract class TrainingClass : IDisposable
{
    public const string Roster = "id,name\nalice,Alice Adams\nbob,\"Bob, the second\"\nmallory,<script>alert(1)</script>\ndave,Dave\n";

    protected TrainingClass(string exercise)
    {
        Exercise = ExerciseCatalog.Find(exercise);
        Folder = Directory.CreateTempSubdirectory($"flownb-class-{exercise}-").FullName;
        Layout = new ClassFolder(Folder);
        try
        {
            Record = ClassSetup.Create(Exercise, FlowNotebooks.Training.Roster.Parse(Roster), Folder, secret: "test class");
            // Kept before submissions replace them: what the students were handed.
            foreach (var s in Record.Students) HandedOut[s.Id] = File.ReadAllText(Layout.StudentNotebook(Record, s.Id));

            File.WriteAllText(Layout.StudentNotebook(Record, "bob"), File.ReadAllText(Layout.InstructorNotebook(Record, "bob")));
            File.WriteAllText(Layout.StudentNotebook(Record, "alice"), AliceSubmits(File.ReadAllText(Layout.InstructorNotebook(Record, "alice"))));
            File.WriteAllText(Layout.StudentNotebook(Record, "mallory"), "{ this is not a notebook");
            File.Delete(Layout.StudentNotebook(Record, "dave"));
            Grades = Grader.Grade(Folder);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Questions whose right answer is the same for every student by design (the AWS service, "cannot be
    /// determined from flow logs"): right against any key, and not a value the student edition must hide.</summary>
    public virtual IReadOnlySet<string> SameForEveryone { get; } = new HashSet<string>();

    /// <summary>Alice's submission from her worked edition (default: as is).</summary>
    protected virtual string AliceSubmits(string worked) => worked;

    public Exercise Exercise { get; }
    public string Folder { get; }
    public ClassFolder Layout { get; }
    public ClassRecord Record { get; }
    public Dictionary<string, string> HandedOut { get; } = [];
    public IReadOnlyList<StudentGrade> Grades { get; }

    public StudentGrade Grade(string id) => Grades.Single(g => g.Student.Id == id);

    /// <summary>A student's answer key as plain JSON (the tests read it without the grader's types).</summary>
    public JsonNode Key(string id) => JsonNode.Parse(File.ReadAllText(Layout.AnswerKey(id)))!;

    public Scenarios.AnswerKey AnswerKey(string id) => Scenarios.AnswerKey.Load(Layout.AnswerKey(id));

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { /* reclaimed with temp space */ }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The cryptominer class; alice's submission is her worked edition with three answers spoiled (see <see cref="Spoiled"/>).</summary>
public sealed class CryptominerClass() : TrainingClass("cryptominer")
{
    /// <summary>q2 double-counted (the common mistake), q4 in reverse order, q5 left unanswered; q1 and q3 stay worked.</summary>
    public static readonly (string Question, string Replace, string With)[] Spoiled =
    [
        ("q2", "Answer(\"q2\", answer2);", "Answer(\"q2\", answer2.ToDictionary(p => p.Key, p => p.Value * 2));"),
        ("q4", "Answer(\"q4\", answer4);", "Answer(\"q4\", Enumerable.Reverse(answer4).ToList());"),
        ("q5", "Answer(\"q5\", answer5);", "Answer(\"q5\", null);"),
    ];

    protected override string AliceSubmits(string worked)
    {
        var notebook = JsonNode.Parse(worked)!;
        static string Source(JsonNode cell) => cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
        foreach (var (_, replace, with) in Spoiled)
        {
            var cell = notebook["cells"]!.AsArray().Single(c => Source(c!).Contains(replace, StringComparison.Ordinal))!;
            cell["source"] = Source(cell).Replace(replace, with);
        }
        return notebook.ToJsonString();
    }
}

public sealed class VpcCompromiseClass() : TrainingClass("vpc-compromise");

public sealed class S3ExfiltrationClass() : TrainingClass("s3-exfiltration")
{
    /// <summary>The service (S3), the other region (a bucket there is why the copy crossed the NAT gateway) and the bucket (cannot be determined).</summary>
    public override IReadOnlySet<string> SameForEveryone { get; } = new HashSet<string> { "q4", "q7", "q8" };
}

public sealed class BlindSpotClass() : TrainingClass("blind-spot")
{
    /// <summary>The recovered deleted object (no, not lost) and the gateway-endpoint copy (cannot be determined).</summary>
    public override IReadOnlySet<string> SameForEveryone { get; } = new HashSet<string> { "q3", "q7" };
}
