using System.Globalization;
using FlowNotebooks.Presentation.Exports;

namespace FlowNotebooks.Training;

/// <summary>
/// The class score sheet (grades/scores.csv): one line per student with status, score, the points per question and
/// the problem if any. Text a spreadsheet would run as a formula (a name starting with = + - @) is quoted with a
/// leading apostrophe.
/// </summary>
public static class ScoreSheet
{
    public static void Write(TextWriter o, Exercise exercise, IReadOnlyList<StudentGrade> grades)
    {
        CsvText.Line(o, ["student", "name", "status", "score", "max", .. exercise.Questions.Select(q => q.Id), "problem"]);
        var c = CultureInfo.InvariantCulture;
        foreach (var g in grades)
            CsvText.Line(o,
            [
                Safe(g.Student.Id), Safe(g.Student.Name), Status(g.Status), g.Score.ToString(c), g.MaxScore.ToString(c),
                .. exercise.Questions.Select(q => g.Marks.FirstOrDefault(m => m.Question.Id == q.Id)?.Points.ToString(c) ?? ""),
                Safe(g.Problem ?? ""),
            ]);
    }

    public static string Status(SubmissionStatus s) => s switch
    {
        SubmissionStatus.Graded => "graded",
        SubmissionStatus.GradedWithFailedCells => "graded, cells failed",
        SubmissionStatus.DidNotRun => "did not run",
        _ => "missing",
    };

    static string Safe(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' ? "'" + s : s;
}
