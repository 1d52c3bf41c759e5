using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlowNotebooks.Notebooks;
using FlowNotebooks.Scenarios;
using Microsoft.CodeAnalysis.CSharp;

namespace FlowNotebooks.Training;

/// <summary>
/// The two editions of an exercise notebook, for one student. Both: question cells written from the definition, the
/// parameters cell's defaults pointing at that student's evidence and address space, no outputs. The student edition
/// drops <c>instructor</c> cells and empties every answer cell (a comment saying what shape the answer takes and
/// <c>Answer("ID", null)</c>). The instructor edition drops <c>student</c> cells, keeps the worked answers and adds
/// after each one a note: the answer in this student's key, the reasoning, and common wrong answers with why.
/// </summary>
public static class Editions
{
    public static Notebook Student(Exercise exercise, Notebook template, IReadOnlyDictionary<string, string> parameters) =>
        Edition(exercise, template, parameters, ExerciseCells.InstructorTag, (cell, question) =>
            [Copy(cell, EmptyAnswer(exercise, question))]);

    public static Notebook Instructor(Exercise exercise, Notebook template, IReadOnlyDictionary<string, string> parameters, AnswerKey key)
    {
        var notebook = Edition(exercise, template, parameters, ExerciseCells.StudentTag, (cell, question) =>
            [Copy(cell, cell.Source), Markdown($"instructor-{question.Id}", Note(exercise, question, key))]);
        if (exercise.TeachingNotes.Length > 0)
            notebook.Cells.Insert(Math.Min(1, notebook.Cells.Count), Markdown("instructor-notes",
                $"## Instructor edition: teaching notes\n{exercise.TeachingNotes}\n\nThis edition holds the worked answers and this student's "
                + $"expected values ({key.Scenario}, seed {key.Seed}). Do not hand it out."));
        return notebook;
    }

    /// <summary>The empty answer cell a student fills in.</summary>
    public static string EmptyAnswer(Exercise exercise, Question question) =>
        $"// Your answer to question {ExerciseNotebook.Number(exercise, question)}: {question.Shape}.\n"
        + $"// Replace null with it (work it out in cells above or here); keep the Answer call.\nAnswer(\"{question.Id}\", null);";

    static Notebook Edition(Exercise exercise, Notebook template, IReadOnlyDictionary<string, string> parameters, string dropTag,
        Func<NotebookCell, Question, IEnumerable<NotebookCell>> answerCell)
    {
        var cells = new List<NotebookCell>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in template.Cells)
        {
            if (cell.HasTag(dropTag)) continue;
            if (ExerciseCells.QuestionOf(cell) is { } asked) cells.Add(Copy(cell, ExerciseNotebook.QuestionText(exercise, exercise.Find(asked))));
            else if (ExerciseCells.AnswerOf(cell) is { } id && answered.Add(id)) cells.AddRange(answerCell(cell, exercise.Find(id)));
            else if (cell.Kind == CellKind.Code && cell.HasTag(NotebookParameters.ParametersTag)) cells.Add(Copy(cell, WithDefaults(cell.Source, parameters)));
            else cells.Add(Copy(cell, cell.Source));
        }
        var missing = exercise.Questions.Where(q => !answered.Contains(q.Id)).Select(q => q.Id).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"{exercise.Notebook} has no answer cell (tag '{ExerciseCells.AnswerPrefix}ID') for {string.Join(", ", missing)}.");
        return new Notebook { Cells = cells, Metadata = template.Metadata?.DeepClone() as JsonObject, FormatMinor = template.FormatMinor };
    }

    /// <summary>The instructor's note after a worked answer.</summary>
    static string Note(Exercise exercise, Question question, AnswerKey key)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"**Instructor · question {ExerciseNotebook.Number(exercise, question)}** ({question.Points} point{(question.Points == 1 ? "" : "s")})\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"This student's answer key: `{question.Check.Expected(key)}`\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"*Reasoning:* {question.Reasoning}\n");
        if (question.CommonMistakes.Count > 0)
        {
            sb.Append("\n*Common wrong answers:*\n");
            foreach (var m in question.CommonMistakes) sb.Append(CultureInfo.InvariantCulture, $"- {m.Answer}: {m.Why}\n");
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The parameters cell with the given defaults (<c>string name = "…";</c>) replaced, other lines kept.</summary>
    static string WithDefaults(string source, IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var replaced = StringDefault(name).Replace(source, m => m.Groups[1].Value + SymbolDisplay.FormatLiteral(value, quote: true), 1);
            if (replaced == source && !StringDefault(name).IsMatch(source))
                throw new InvalidOperationException($"The exercise notebook's parameters cell declares no 'string {name} = \"…\";'.");
            source = replaced;
        }
        return source;
    }

    static Regex StringDefault(string name) => new($"""^([ \t]*string[ \t]+{Regex.Escape(name)}[ \t]*=[ \t]*)"(?:[^"\\\n]|\\.)*" """.TrimEnd(), RegexOptions.Multiline);

    static NotebookCell Copy(NotebookCell cell, string source) => new()
    {
        Kind = cell.Kind, Source = source, KernelName = cell.KernelName, Tags = cell.Tags, Id = cell.Id,
        Metadata = cell.Metadata?.DeepClone() as JsonObject,
    };

    static NotebookCell Markdown(string id, string text) => new()
    {
        Kind = CellKind.Markdown, Source = text, Tags = [ExerciseCells.InstructorTag], Id = id,
        Metadata = new JsonObject { ["tags"] = new JsonArray(ExerciseCells.InstructorTag) },
    };
}
