using FlowNotebooks.Notebooks;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training;

/// <summary>
/// <c>flownb training new</c>: per student of the roster, the scenario's evidence from the student's seed, the student
/// edition beside it, and in the instructor folder the answer key and the instructor edition (<see cref="ClassFolder"/>).
/// </summary>
public static class ClassSetup
{
    public static ClassRecord Create(Exercise exercise, IReadOnlyList<Student> roster, string folder, string? secret = null,
        string scale = "small", IProgress<string>? progress = null)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new IOException($"'{folder}' is not empty: write a class into a new or empty folder.");
        var scenario = ScenarioCatalog.Find(exercise.Scenario);
        scenario.RateFor(scale);   // an unknown scale fails here, before any student's folder exists
        var template = ExerciseNotebook.Load(exercise);
        var layout = new ClassFolder(folder);
        Directory.CreateDirectory(layout.Instructor);
        var record = new ClassRecord(exercise.Name, exercise.Notebook, scale,
            roster.Select(s => new ClassStudent(s.Id, s.Name, StudentSeed.For(exercise.Name, s.Id, secret))).ToList());
        layout.Save(record);
        foreach (var student in record.Students)
        {
            progress?.Report($"{student.Id}: generating {scenario.Name} (seed {student.Seed})");
            var evidence = layout.Evidence(student.Id);
            CaseGenerator.Generate(scenario, new ScenarioOptions(student.Seed, scale), evidence);
            // The key leaves the student's folder: it goes to the instructor's, and the briefing stops pointing at it.
            Directory.CreateDirectory(layout.InstructorFolder(student.Id));
            File.Move(Path.Combine(evidence, CaseGenerator.AnswerKeyFile), layout.AnswerKey(student.Id));
            DropKeyLine(Path.Combine(evidence, "README.md"));
            var key = AnswerKey.Load(layout.AnswerKey(student.Id));

            var forStudent = new Dictionary<string, string> { ["evidencePath"] = "evidence", ["internalCidrs"] = key.VpcCidr };
            File.WriteAllText(layout.StudentNotebook(record, student.Id), Ipynb.Write(Editions.Student(exercise, template, forStudent)));
            var forInstructor = new Dictionary<string, string>
            {
                ["evidencePath"] = Path.GetRelativePath(layout.InstructorFolder(student.Id), evidence).Replace('\\', '/'),
                ["internalCidrs"] = key.VpcCidr,
            };
            File.WriteAllText(layout.InstructorNotebook(record, student.Id), Ipynb.Write(Editions.Instructor(exercise, template, forInstructor, key)));
        }
        return record;
    }

    static void DropKeyLine(string readme)
    {
        if (!File.Exists(readme)) return;
        var lines = File.ReadAllLines(readme).Where(l => !l.Contains($"`{CaseGenerator.AnswerKeyFile}`", StringComparison.Ordinal));
        File.WriteAllText(readme, string.Join("\n", lines) + "\n");
    }
}
