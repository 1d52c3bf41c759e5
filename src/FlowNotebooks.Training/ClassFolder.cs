using System.Text.Json;

namespace FlowNotebooks.Training;

/// <summary>
/// Where a class lives (the folder <c>flownb training new --out DIR</c> writes):
/// <code>
/// DIR/students/ID/        hand this folder to the student: the student edition and evidence/ (no answer key)
/// DIR/instructor/ID/      that student's answer-key.json and the instructor edition
/// DIR/instructor/class.json   the exercise and each student's seed (keep it: grading reads it)
/// DIR/grades/             written by grade: scores.csv, ID.html, ID.ipynb (the graded run)
/// </code>
/// </summary>
public sealed class ClassFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string Students => Path.Combine(Root, "students");
    public string Instructor => Path.Combine(Root, "instructor");
    public string Grades => Path.Combine(Root, "grades");
    public string ClassFile => Path.Combine(Instructor, "class.json");

    public string StudentFolder(string id) => Path.Combine(Students, id);
    public string Evidence(string id) => Path.Combine(StudentFolder(id), "evidence");
    public string StudentNotebook(ClassRecord c, string id) => Path.Combine(StudentFolder(id), c.Notebook);
    public string InstructorFolder(string id) => Path.Combine(Instructor, id);
    public string AnswerKey(string id) => Path.Combine(InstructorFolder(id), Scenarios.CaseGenerator.AnswerKeyFile);
    public string InstructorNotebook(ClassRecord c, string id) => Path.Combine(InstructorFolder(id), Path.GetFileNameWithoutExtension(c.Notebook) + ".instructor.ipynb");

    public ClassRecord Load()
    {
        if (!File.Exists(ClassFile))
            throw new FileNotFoundException($"'{Root}' is not a class folder: no instructor/class.json (write one with flownb training new).", ClassFile);
        return JsonSerializer.Deserialize<ClassRecord>(File.ReadAllBytes(ClassFile), Scenarios.AnswerKey.Json)
               ?? throw new InvalidDataException($"Empty {ClassFile}.");
    }

    public void Save(ClassRecord record) =>
        File.WriteAllBytes(ClassFile, [.. JsonSerializer.SerializeToUtf8Bytes(record, Scenarios.AnswerKey.Json), (byte)'\n']);
}

/// <summary>What <c>training new</c> set up: the exercise, its notebook's file name, the scale, and each student's seed.</summary>
public sealed record ClassRecord(string Exercise, string Notebook, string Scale, IReadOnlyList<ClassStudent> Students);

public sealed record ClassStudent(string Id, string Name, int Seed);
