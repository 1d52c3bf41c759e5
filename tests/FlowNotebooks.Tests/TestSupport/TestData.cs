namespace FlowNotebooks.Tests.TestSupport;

/// <summary>Files under tests/FlowNotebooks.Tests/Data, copied next to the test assembly.</summary>
public static class TestData
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);
}

/// <summary>
/// The AWS documentation example records (shared/samples): '#section:' and '#format:' lines set the context, trailing
/// '#…' annotations are documentation remarks and a literal '...' line is an elision (see the samples README).
/// </summary>
public sealed record DocSection(string Name, string Format, IReadOnlyList<string> Records)
{
    public static IReadOnlyList<DocSection> Read()
    {
        var sections = new List<DocSection>();
        string? name = null, format = null;
        var records = new List<string>();
        void Close()
        {
            if (name is not null) sections.Add(new DocSection(name, format!, records.ToList()));
            records.Clear();
        }
        foreach (var line in File.ReadAllLines(TestData.Path("aws", "awsdocs-amazon-vpc-user-guide__flow-log-record-examples.txt")))
        {
            if (line.StartsWith("#section: ", StringComparison.Ordinal)) { Close(); name = line[10..]; format = null; }
            else if (line.StartsWith("#format: ", StringComparison.Ordinal)) format = line[9..];
            else if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line) || line.Trim() == "...") continue;
            else
            {
                var hash = line.IndexOf(" #", StringComparison.Ordinal);
                records.Add(hash >= 0 ? line[..hash] : line);
            }
        }
        Close();
        return sections;
    }
}
