using FlowNotebooks.Notebooks.Tests.Fixtures;

namespace FlowNotebooks.Notebooks.Tests.Training;

/// <summary>What the trainer types is checked before anything is generated; mistakes are one line and exit 1.</summary>
public class TrainingCliTests
{
    [Fact]
    public void List_names_every_exercise_and_its_question_count()
    {
        var (exit, output, _) = CliTests.Cli("training", "list");
        Assert.Equal(0, exit);
        foreach (var e in FlowNotebooks.Training.ExerciseCatalog.All)
            Assert.Contains($"{e.Name} ", output);
        Assert.Contains($"({FlowNotebooks.Training.ExerciseCatalog.Find("cryptominer").Questions.Count} questions)", output);
    }

    [Fact]
    public void New_refuses_an_unknown_exercise_a_bad_roster_and_a_folder_in_use_before_writing_anything()
    {
        using var ws = new Workspace();
        var roster = ws.PathOf("roster.csv");
        File.WriteAllText(roster, "id,name\nann,Ann\nann,Ann again\n");
        var outDir = ws.PathOf("class");

        var unknown = CliTests.Cli("training", "new", "nope", "--students", roster, "--out", outDir);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("No exercise 'nope'. Exercises: vpc-compromise, cryptominer", unknown.Err);

        var repeated = CliTests.Cli("training", "new", "cryptominer", "--students", roster, "--out", outDir);
        Assert.Equal(1, repeated.Exit);
        Assert.Equal("flownb: roster.csv line 3: student id 'ann' is already on line 2 (ids must differ, case aside).", repeated.Err.Trim());
        Assert.False(Directory.Exists(outDir));

        File.WriteAllText(roster, "id\nann\n");
        var inUse = CliTests.Cli("training", "new", "cryptominer", "--students", roster, "--out", ws.Folder);
        Assert.Equal(1, inUse.Exit);
        Assert.Contains("is not empty", inUse.Err);
        Assert.False(Directory.Exists(Path.Combine(ws.Folder, "students")));

        var badScale = CliTests.Cli("training", "new", "cryptominer", "--students", roster, "--out", outDir, "--scale", "huge");
        Assert.Equal(1, badScale.Exit);
        Assert.Contains("Unknown scale 'huge'", badScale.Err);
        Assert.False(Directory.Exists(Path.Combine(outDir, "students")));
    }

    [Fact]
    public void Grade_on_a_folder_that_is_not_a_class_says_so()
    {
        using var ws = new Workspace();
        var (exit, _, err) = CliTests.Cli("training", "grade", ws.Folder);
        Assert.Equal(1, exit);
        Assert.Contains("is not a class folder: no instructor/class.json", err);
    }
}
