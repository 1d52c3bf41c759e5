using System.Xml.Linq;

namespace FlowNotebooks.TestShared;

/// <summary>Files the real-host tests of both test projects read: the clone's root, the NuGet cache, dotnet-repl's trx.</summary>
internal static class RealHostFiles
{
    /// <summary>The clone holding the test binaries (where the local tool manifest is).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) return dir.FullName;
        throw new InvalidOperationException("No .config/dotnet-tools.json above the test binaries: run from a clone of the repository.");
    }

    /// <summary>The user's NuGet packages folder (a read-only fallback for the tests' private one).</summary>
    public static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Each cell of a dotnet-repl trx: name, outcome and output.</summary>
    public static List<(string Name, string Outcome, string Output)> ReadTrx(string path)
    {
        // dotnet-repl declares utf-16 but writes UTF-8 (so parse the text, not the bytes), and keeps terminal colour
        // escapes in outputs (so accept characters XML 1.0 forbids).
        using var reader = System.Xml.XmlReader.Create(new StringReader(File.ReadAllText(path)), new System.Xml.XmlReaderSettings { CheckCharacters = false });
        var doc = XDocument.Load(reader);
        XNamespace t = doc.Root!.Name.Namespace;
        return doc.Descendants(t + "UnitTestResult")
            .Select(r => ((string?)r.Attribute("testName") ?? "", (string?)r.Attribute("outcome") ?? "", string.Concat(r.Descendants(t + "Output").Select(o => o.Value))))
            .ToList();
    }
}
