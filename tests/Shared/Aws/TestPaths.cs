namespace FlowNotebooks.TestShared.Aws;

/// <summary>Locations the acquisition tests need, found relative to the build output (no machine paths).</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding FlowNotebooks.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string SigV4Vectors => Path.Combine(RepoRoot, "tests", "FlowNotebooks.Tests", "Acquisition", "Data", "sigv4");

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FlowNotebooks.sln"))) return d.FullName;
        throw new InvalidOperationException("FlowNotebooks.sln not found above the test output folder.");
    }
}

/// <summary>A temp folder deleted at dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("flownb-acq-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
