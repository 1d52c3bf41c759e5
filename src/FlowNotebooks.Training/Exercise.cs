using FlowNotebooks.Training.Checks;

namespace FlowNotebooks.Training;

/// <summary>
/// A training exercise: a scenario every student gets their own case of, a notebook (<see cref="Notebook"/>, under
/// notebooks/training/) and the questions asked about it. The notebook marks its cells (<see cref="ExerciseCells"/>);
/// the questions say how the expected answer is read from that student's answer key and how an answer is compared.
/// </summary>
/// <param name="Name">What the trainer types: <c>flownb training new NAME</c>.</param>
/// <param name="Scenario">The scenario generating each student's evidence (<c>ScenarioCatalog</c> name).</param>
/// <param name="Notebook">The exercise notebook's file name under notebooks/training/.</param>
/// <param name="Title">One line for the trainer's list and the score sheet.</param>
public sealed record Exercise(string Name, string Scenario, string Notebook, string Title, IReadOnlyList<Question> Questions)
{
    /// <summary>For the instructor edition's opening: what the exercise teaches and how to run the session (markdown).</summary>
    public string TeachingNotes { get; init; } = "";

    public int MaxScore => Questions.Sum(q => q.Points);

    public Question Find(string id) =>
        Questions.FirstOrDefault(q => q.Id == id) ?? throw new ArgumentException($"Exercise '{Name}' has no question '{id}' ({string.Join(", ", Questions.Select(q => q.Id))}).");
}

/// <summary>
/// One question: its id (the answer cell's <c>Answer("q1", …)</c> and its tags), the text and hint the student reads,
/// what shape the answer takes (the student edition's empty answer cell says it), and how it is checked.
/// </summary>
/// <param name="Shape">The C# value expected, in words, for the empty answer cell (e.g. <c>(our host, attacker address) as two texts</c>).
/// Never an example value: it is printed in the student edition.</param>
public sealed record Question(string Id, string Text, string Hint, string Shape, AnswerCheck Check)
{
    public int Points { get; init; } = 1;

    /// <summary>How the answer is found and why it is right (markdown): the instructor edition's note, and what a
    /// student with a wrong answer is pointed to review.</summary>
    public required string Reasoning { get; init; }

    /// <summary>Answers students commonly give that are wrong, with why (instructor edition).</summary>
    public IReadOnlyList<WrongAnswer> CommonMistakes { get; init; } = [];
}

/// <summary>A tempting wrong answer and why it is wrong.</summary>
public sealed record WrongAnswer(string Answer, string Why);
