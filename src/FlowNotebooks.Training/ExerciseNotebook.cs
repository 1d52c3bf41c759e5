using FlowNotebooks.Notebooks;

namespace FlowNotebooks.Training;

/// <summary>An exercise's notebook as it ships (notebooks/training/, embedded in this assembly): the worked edition.</summary>
public static class ExerciseNotebook
{
    public static Notebook Load(Exercise exercise)
    {
        var name = "notebooks/training/" + exercise.Notebook;
        using var stream = typeof(ExerciseNotebook).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Exercise '{exercise.Name}' names {exercise.Notebook}, which is not under notebooks/training/.");
        using var reader = new StreamReader(stream);
        return Ipynb.Parse(reader.ReadToEnd());
    }

    /// <summary>A question cell's markdown, from the exercise's definition (both editions write it so).</summary>
    public static string QuestionText(Exercise exercise, Question question) =>
        $"## Question {Number(exercise, question)}\n{question.Text}\n\n*Hint:* {question.Hint}";

    public static int Number(Exercise exercise, Question question) => exercise.Questions.ToList().IndexOf(question) + 1;
}
