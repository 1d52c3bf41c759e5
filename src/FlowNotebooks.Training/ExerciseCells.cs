using FlowNotebooks.Notebooks;

namespace FlowNotebooks.Training;

/// <summary>
/// How an exercise notebook marks its cells, by cell tag (Jupyter's and Polyglot Notebooks' cell metadata
/// <c>tags</c>, which every host keeps):
/// <list type="bullet">
/// <item><c>question:ID</c> — a markdown cell asking question ID; its text and hint come from the exercise's definition
/// when the editions are written, so the notebook and the grader cannot disagree.</item>
/// <item><c>answer:ID</c> — the code cell that answers question ID by calling <c>Answer("ID", value)</c>
/// (<c>FlowNotebooks.Interactive.ExerciseAnswers</c>). In the notebook under notebooks/training/ it holds the worked
/// answer; the instructor edition keeps it, the student edition replaces it by an empty answer.</item>
/// <item><c>instructor</c> — only in the instructor edition (teaching notes, worked reasoning).</item>
/// <item><c>student</c> — only in the student edition (how to hand in).</item>
/// </list>
/// Cells without these tags (setup, parameters, procedures) are the same in both editions.
/// </summary>
public static class ExerciseCells
{
    public const string QuestionPrefix = "question:";
    public const string AnswerPrefix = "answer:";
    public const string InstructorTag = "instructor";
    public const string StudentTag = "student";

    /// <summary>The question a cell asks (<c>question:ID</c>), or null.</summary>
    public static string? QuestionOf(NotebookCell cell) => Suffix(cell, QuestionPrefix);

    /// <summary>The question a cell answers (<c>answer:ID</c>), or null.</summary>
    public static string? AnswerOf(NotebookCell cell) => Suffix(cell, AnswerPrefix);

    static string? Suffix(NotebookCell cell, string prefix) =>
        cell.Tags.FirstOrDefault(t => t.StartsWith(prefix, StringComparison.Ordinal) && t.Length > prefix.Length)?[prefix.Length..];
}
