namespace FlowNotebooks.Sources;

/// <summary>
/// Finds evidence objects in files and directory trees (S3 layouts as <c>aws s3 cp --recursive</c> leaves them,
/// CloudWatch exports, Firehose objects). Names are relative to the root given, so no machine path leaks into a case.
/// </summary>
public static class LocalSource
{
    /// <summary>Files under the paths that may hold evidence, with those passed over and why.</summary>
    public static (IReadOnlyList<EvidenceObject> Objects, IReadOnlyList<string> Skipped) Discover(IEnumerable<string> paths)
    {
        var objects = new List<EvidenceObject>();
        var skipped = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                Add(objects, skipped, path, System.IO.Path.GetFileName(path), explicitFile: true);
            }
            else if (Directory.Exists(path))
            {
                var root = System.IO.Path.GetFullPath(path);
                var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden })
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                    Add(objects, skipped, file, System.IO.Path.GetRelativePath(root, file).Replace('\\', '/'), explicitFile: false);
            }
            else
            {
                throw new FileNotFoundException($"No file or directory '{path}'.", path);
            }
        }
        return (objects, skipped);
    }

    static void Add(List<EvidenceObject> objects, List<string> skipped, string file, string name, bool explicitFile)
    {
        var reason = SkipReason(name, explicitFile);
        if (reason is null) objects.Add(EvidenceObject.ForFile(file, name));
        else skipped.Add($"{name}: {reason}");
    }

    /// <summary>Why a file is not read as evidence, or null when it is.</summary>
    static string? SkipReason(string name, bool explicitFile)
    {
        var file = name[(name.LastIndexOf('/') + 1)..];
        if (file == "aws-logs-write-test") return "CloudWatch export-task marker";
        if (file == "answer-key.json") return "answer key of a generated scenario (ground truth, not evidence)";
        if (explicitFile) return null;
        var lower = file.ToLowerInvariant();
        string[] evidence = [".log", ".log.gz", ".gz", ".parquet", ".json", ".json.gz"];
        if (evidence.Any(lower.EndsWith)) return null;
        // Firehose objects have no extension (stream-name-1-2026-…-uuid).
        if (!lower.Contains('.')) return null;
        return "not a flow-log evidence file type";
    }
}
