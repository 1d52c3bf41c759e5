using FlowNotebooks.Notebooks.Tests.Fixtures;
using FlowNotebooks.Training;

namespace FlowNotebooks.Notebooks.Tests.Training;

/// <summary>
/// Every exercise's notebook as <c>training new</c> writes it, both editions, in the real hosts (dotnet-repl, Jupyter
/// nbconvert) with the packed extension: no failed cell, and the worked edition's answers, read from the notebook
/// Jupyter saved, are right for that student's key (a class can also be graded from notebooks run elsewhere).
/// </summary>
public class TrainingInRealHostTests(RealHosts hosts) : IClassFixture<RealHosts>
{
    public static TheoryData<string> Exercises() => [.. ExerciseCatalog.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Exercises))]
    public async Task Both_editions_run_in_dotnet_repl_and_in_jupyter_with_no_failed_cell(string name)
    {
        var exercise = ExerciseCatalog.Find(name);
        var folder = Path.Combine(hosts.Work, "class-" + name);
        var record = ClassSetup.Create(exercise, Roster.Parse("id\nrh\n"), folder);
        var layout = new ClassFolder(folder);
        var problems = new List<string>();
        foreach (var notebook in new[] { layout.StudentNotebook(record, "rh"), layout.InstructorNotebook(record, "rh") })
        {
            File.WriteAllText(notebook, hosts.ForRealHost(File.ReadAllText(notebook)));
            var edition = Path.GetFileName(notebook);
            var repl = await hosts.DotnetRepl(notebook);
            if (repl.Exit != 0 || repl.Failed.Count > 0)
                problems.Add($"{edition} in dotnet-repl (exit {repl.Exit}):\n{string.Join("\n---\n", repl.Failed)}\n{Tail(repl.Log)}");
            var jupyter = await hosts.Nbconvert(notebook);
            if (jupyter.Exit != 0 || jupyter.Errors.Count > 0)
                problems.Add($"{edition} in Jupyter nbconvert (exit {jupyter.Exit}):\n{string.Join("\n", jupyter.Errors)}\n{Tail(jupyter.Log)}");
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));

        // The answers Jupyter saved: the student edition hands in nothing, the worked edition the key's answers.
        var saved = (string path) => KeyAnswers.InNotebook(Path.ChangeExtension(path, null) + ".nbconvert.ipynb");
        var student = saved(layout.StudentNotebook(record, "rh"));
        Assert.Equal(exercise.Questions.Select(q => q.Id).Order(), student.Keys.Order());
        Assert.All(student.Values, Assert.Null);
        var worked = saved(layout.InstructorNotebook(record, "rh"));
        var key = Scenarios.AnswerKey.Load(layout.AnswerKey("rh"));
        var marks = Marking.Mark(exercise, key, worked);
        Assert.All(marks, m => Assert.True(m.Correct, $"{m.Question.Id}: {m.GivenText}, key {m.Expected}"));
    }

    static string Tail(string s) => s.Length > 3000 ? s[^3000..] : s;
}
