using FlowNotebooks.Training;

namespace FlowNotebooks.Notebooks.Tests.Training;

/// <summary>Each exercise's notebook and its definition agree, and the notebook leaves the answer key to the trainer.</summary>
public class ExerciseNotebookTests
{
    public static TheoryData<string> Exercises() => [.. ExerciseCatalog.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Exercises))]
    public void Every_question_has_its_question_cell_as_defined_and_one_answer_cell_that_hands_it_in(string name)
    {
        var exercise = ExerciseCatalog.Find(name);
        var notebook = ExerciseNotebook.Load(exercise);
        foreach (var q in exercise.Questions)
        {
            var asked = Assert.Single(notebook.Cells, c => ExerciseCells.QuestionOf(c) == q.Id);
            Assert.Equal(ExerciseNotebook.QuestionText(exercise, q), asked.Source);
            var answer = Assert.Single(notebook.Cells, c => ExerciseCells.AnswerOf(c) == q.Id);
            Assert.Contains($"Answer(\"{q.Id}\", ", answer.Source);
        }
        Assert.Equal(exercise.Questions.Select(q => q.Id).Order(), notebook.Cells.Select(ExerciseCells.AnswerOf).OfType<string>().Order());
        Assert.Equal(exercise.Questions.Count, exercise.Questions.Select(q => q.Id).Distinct().Count());
        // The generator and the key belong to training new and grade: no cell generates evidence or reads a key.
        Assert.DoesNotContain(notebook.Cells, c => c.Source.Contains("FlowNotebooks.Scenarios", StringComparison.Ordinal) || c.Source.Contains("answer-key", StringComparison.Ordinal));
    }
}
