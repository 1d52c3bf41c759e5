using System.Text.RegularExpressions;

namespace FlowNotebooks.Training;

/// <summary>A student of the class: the id names their folder and derives their case; the name is for the trainer.</summary>
public sealed record Student(string Id, string Name);

/// <summary>
/// The class list (<c>roster.csv</c>): a header line naming an <c>id</c> column (and optionally <c>name</c>), then one
/// student per line. Ids become folder names, so they are letters, digits, '.', '_' and '-'; a bad or repeated id is an
/// error naming its line, before anything is written.
/// </summary>
public static partial class Roster
{
    public static IReadOnlyList<Student> Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static IReadOnlyList<Student> Parse(string text, string source = "roster")
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var header = Fields(lines[0]).Select(f => f.Trim().ToLowerInvariant()).ToList();
        var idColumn = header.IndexOf("id");
        if (idColumn < 0)
            throw new FormatException($"{source} line 1: the header must name an 'id' column (and optionally 'name'), e.g. 'id,name'.");
        var nameColumn = header.IndexOf("name");
        var students = new List<Student>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var fields = Fields(lines[i]);
            var id = idColumn < fields.Count ? fields[idColumn].Trim() : "";
            if (!SafeId().IsMatch(id))
                throw new FormatException($"{source} line {i + 1}: student id '{id}' must be 1 to 64 letters, digits, '.', '_' or '-' (it names the student's folder).");
            if (seen.TryGetValue(id, out var first))
                throw new FormatException($"{source} line {i + 1}: student id '{id}' is already on line {first} (ids must differ, case aside).");
            seen[id] = i + 1;
            students.Add(new Student(id, nameColumn >= 0 && nameColumn < fields.Count ? fields[nameColumn].Trim() : ""));
        }
        if (students.Count == 0) throw new FormatException($"{source}: no students (one line per student after the header).");
        return students;
    }

    /// <summary>One CSV line's fields (RFC 4180 quoting: "a, b" is one field, "" a quote).</summary>
    static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex SafeId();
}
