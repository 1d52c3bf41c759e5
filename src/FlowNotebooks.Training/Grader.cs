using FlowNotebooks.Notebooks;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Training;

/// <summary>How a submission went: graded (every cell ran), graded with failed cells, not run, or not handed in.</summary>
public enum SubmissionStatus
{
    Graded,
    GradedWithFailedCells,
    DidNotRun,
    Missing,
}

/// <summary>One student's grade: the marks (empty when the notebook did not run) and what went wrong, in one line.</summary>
public sealed record StudentGrade(ClassStudent Student, SubmissionStatus Status, IReadOnlyList<QuestionMark> Marks, int MaxScore, string? Problem)
{
    public int Score => Marks.Sum(m => m.Points);
}

/// <summary>
/// <c>flownb training grade</c>: runs each student's notebook headless (the runner of <c>flownb run</c>, every cell
/// even after a failure, on that student's evidence), reads its <c>Answer</c> outputs, marks them against that
/// student's key, and writes grades/: scores.csv, one HTML summary and the graded run (.ipynb) per student.
/// A submission that is missing, not a notebook, or cannot run gets its line with the reason; the class goes on.
/// </summary>
public static class Grader
{
    public static IReadOnlyList<StudentGrade> Grade(string folder, TimeSpan? cellTimeout = null, IProgress<string>? progress = null)
    {
        var layout = new ClassFolder(folder);
        var record = layout.Load();
        var exercise = ExerciseCatalog.Find(record.Exercise);
        Directory.CreateDirectory(layout.Grades);
        var grades = new List<StudentGrade>();
        foreach (var student in record.Students)
        {
            progress?.Report($"{student.Id}: grading");
            var key = AnswerKey.Load(layout.AnswerKey(student.Id));
            var grade = GradeOne(layout, record, exercise, student, key, cellTimeout ?? TimeSpan.FromMinutes(5));
            grades.Add(grade);
            File.WriteAllText(Path.Combine(layout.Grades, student.Id + ".html"), GradeReport.Html(exercise, grade));
            progress?.Report($"{student.Id}: {grade.Score} of {grade.MaxScore}{(grade.Problem is null ? "" : " — " + grade.Problem)}");
        }
        using (var csv = new StreamWriter(Path.Combine(layout.Grades, "scores.csv")))
            ScoreSheet.Write(csv, exercise, grades);
        return grades;
    }

    static StudentGrade GradeOne(ClassFolder layout, ClassRecord record, Exercise exercise, ClassStudent student, AnswerKey key, TimeSpan cellTimeout)
    {
        var submission = layout.StudentNotebook(record, student.Id);
        if (!File.Exists(submission))
            return new(student, SubmissionStatus.Missing, [], exercise.MaxScore, $"No submission: {Path.GetRelativePath(layout.Root, submission)} is missing.");
        NotebookRunResult run;
        try
        {
            // The student's own evidence and address space, whatever the submission's parameters cell says now.
            var parameters = new Dictionary<string, string> { ["evidencePath"] = layout.Evidence(student.Id), ["internalCidrs"] = key.VpcCidr };
            run = NotebookRunner.RunAsync(submission, parameters,
                new NotebookRunOptions { StopOnError = false, CellTimeout = cellTimeout, CallerDirectory = layout.Root }).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is FormatException or NotebookParameterException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return new(student, SubmissionStatus.DidNotRun, [], exercise.MaxScore, $"The notebook did not run: {OneLine(e.Message)}");
        }
        File.WriteAllText(Path.Combine(layout.Grades, student.Id + ".ipynb"), run.NotebookJson());
        var marks = Marking.Mark(exercise, key, SubmittedAnswers.From(run.Document));
        var failed = run.Cells.Where(c => c.Status is CellStatus.Failed or CellStatus.TimedOut).ToList();
        if (failed.Count == 0) return new(student, SubmissionStatus.Graded, marks, exercise.MaxScore, null);
        return new(student, SubmissionStatus.GradedWithFailedCells, marks, exercise.MaxScore,
            $"{failed.Count} cell{(failed.Count == 1 ? "" : "s")} failed; first: {OneLine(run.FirstFailure!.ToString())}");
    }

    static string OneLine(string s)
    {
        var line = s.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..297] + "..." : line;
    }
}
