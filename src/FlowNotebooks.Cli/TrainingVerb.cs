using System.CommandLine;
using FlowNotebooks.Training;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb training</c>: a class's cases and editions (<c>new</c>), and its grading (<c>grade</c>).</summary>
internal static class TrainingVerb
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("training", "Training exercises: one case per student, student and instructor editions, graded runs.");
        command.Subcommands.Add(New(output, error));
        command.Subcommands.Add(Grade(output, error));
        command.Subcommands.Add(List(output));
        return command;
    }

    static Command New(TextWriter output, TextWriter error)
    {
        var exercise = new Argument<string>("EXERCISE") { Description = "The exercise (flownb training list)." };
        var students = new Option<string?>("--students") { Description = "The roster: a CSV with a header naming 'id' (and optionally 'name'), one student per line." };
        var outDir = new Option<string?>("--out") { Description = "The class folder to write (new or empty)." };
        var secret = new Option<string?>("--secret") { Description = "A class secret mixed into every student's seed, so no one can derive their case from their id." };
        var scale = new Option<string>("--scale") { Description = "Background traffic: small, medium, large or a record count.", DefaultValueFactory = _ => "small" };
        var command = new Command("new", "Write a class: per student, their evidence and the student edition; per student in instructor/, the answer key and the instructor edition.")
            { exercise, students, outDir, secret, scale };
        command.SetAction(parse =>
        {
            var roster = parse.GetValue(students) ?? throw new CliException("--students ROSTER.csv is required.");
            var folder = parse.GetValue(outDir) ?? throw new CliException("--out FOLDER is required.");
            var chosen = Translate(() => ExerciseCatalog.Find(parse.GetValue(exercise)!));
            var list = Roster.Load(roster);
            var record = Translate(() => ClassSetup.Create(chosen, list, folder, parse.GetValue(secret), parse.GetValue(scale)!, new Progress<string>(error.WriteLine)));
            var layout = new ClassFolder(folder);
            output.WriteLine($"Wrote {chosen.Name} for {record.Students.Count} student{(record.Students.Count == 1 ? "" : "s")} to {folder}.");
            output.WriteLine($"Hand out: {layout.Students}{Path.DirectorySeparatorChar}ID (evidence and {record.Notebook}, no answer key).");
            output.WriteLine($"Keep: {layout.Instructor} (answer keys, instructor editions, class.json for grading).");
            return 0;
        });
        return command;
    }

    static Command Grade(TextWriter output, TextWriter error)
    {
        var folder = new Argument<string>("DIR") { Description = "The class folder (flownb training new --out), with the submitted notebooks in students/ID/." };
        var timeout = new Option<int>("--cell-timeout") { Description = "Seconds a cell of a submission may run.", DefaultValueFactory = _ => 300 };
        var command = new Command("grade", "Run each student's notebook headless on their evidence, mark the answers against their key, write grades/ (scores.csv, ID.html).")
            { folder, timeout };
        command.SetAction(parse =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds <= 0) throw new CliException("--cell-timeout must be a positive number of seconds.");
            var dir = parse.GetValue(folder)!;
            var grades = Grader.Grade(dir, TimeSpan.FromSeconds(seconds), new Progress<string>(error.WriteLine));
            foreach (var g in grades)
                output.WriteLine($"{g.Student.Id,-20} {g.Score,3} of {g.MaxScore,-3} {ScoreSheet.Status(g.Status)}{(g.Problem is null ? "" : ": " + g.Problem)}");
            output.WriteLine($"Score sheet: {Path.Combine(new ClassFolder(dir).Grades, "scores.csv")}");
            return 0;
        });
        return command;
    }

    static Command List(TextWriter output)
    {
        var command = new Command("list", "List the exercises.");
        command.SetAction(_ =>
        {
            foreach (var e in ExerciseCatalog.All)
                output.WriteLine($"{e.Name,-16} {(e == ExerciseCatalog.Default ? "(default) " : "")}{e.Title} ({e.Questions.Count} questions)");
            return 0;
        });
        return command;
    }

    static T Translate<T>(Func<T> action)
    {
        try { return action(); }
        catch (Exception ex) when (ex is ArgumentException or IOException) { throw new CliException(ex.Message); }
    }
}
