using System.IO.Compression;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>An S3 object a finding cites, fetched after an Athena run: where it was saved, its SHA-256 and size.</summary>
public sealed record FetchedObject(string Uri, string Path, string Sha256, long Size);

/// <summary>
/// The provenance of findings made on Athena: the records a finding cites came back from Athena as rows naming their
/// object (<c>"$path"</c>), so the case held only those rows, under a placeholder hash. Here each cited object is fetched
/// from S3 whole and hashed like any evidence; the evidence table takes its SHA-256, and each cited line, numbered in
/// the rows Athena returned, is numbered again in the object itself (the same record text, its k-th occurrence), so a
/// citation opens in the object as AWS delivered it.
/// </summary>
public static class AthenaCitedObjects
{
    /// <summary>Fetches every object the findings cite into <paramref name="folder"/> (as bucket/key) and returns the
    /// findings citing them by SHA-256 and line in the object, with what was fetched and what could not be matched.</summary>
    public static async Task<(IReadOnlyList<Finding> Findings, IReadOnlyList<FetchedObject> Fetched, IReadOnlyList<string> Notes)> FetchAsync(
        IReadOnlyList<Finding> findings, CaseStore store, IS3ObjectFetch fetch, string workFolder, string folder, CancellationToken cancel)
    {
        var fetched = new Dictionary<string, (FetchedObject Object, long?[] LineOfRow)>(StringComparer.Ordinal);
        var notes = new List<string>();
        var cited = findings.SelectMany(f => f.Evidence).Where(e => e.Sha256 == AthenaCase.NotFetched).Select(e => e.Object).Distinct(StringComparer.Ordinal);
        foreach (var uri in cited.Order(StringComparer.Ordinal))
        {
            var key = AthenaCase.LocalKey(uri);
            var path = Path.Combine(folder, key);
            var got = await fetch.FetchAsync(uri, path, cancel).ConfigureAwait(false);
            store.Execute("UPDATE evidence SET sha256 = $1, size = $2 WHERE object = $3", got.Sha256, got.Size, uri);
            fetched[uri] = (new FetchedObject(uri, path, got.Sha256, got.Size), LinesInObject(ReadLines(Path.Combine(workFolder, key)), ReadLines(path)));
        }
        var renumbered = findings.Select(f => f with
        {
            Evidence = f.Evidence.Select(e =>
            {
                if (!fetched.TryGetValue(e.Object, out var o)) return e;
                var lines = new List<long>();
                foreach (var line in e.Lines)
                {
                    if (line >= 1 && line <= o.LineOfRow.Length && o.LineOfRow[line - 1] is { } found) lines.Add(found);
                    else
                    {
                        lines.Add(line);
                        notes.Add($"{e.Object}: the record Athena returned as row {line} is not a line of the object as fetched (SHA-256 {o.Object.Sha256}); its line number is the row's.");
                    }
                }
                return e with { Sha256 = o.Object.Sha256, Lines = lines };
            }).ToList(),
        }).ToList();
        return (renumbered, fetched.Values.Select(v => v.Object).ToList(), notes);
    }

    // For each returned row (1-based lines, the header being line 1 in both), the line of the object holding the same
    // text: its k-th occurrence for the k-th time the text occurs among the rows; null when the object has no such line.
    // One pass over each side, however many lines the findings cite.
    static long?[] LinesInObject(string[] rows, string[] objectLines)
    {
        var at = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        for (var i = 0; i < objectLines.Length; i++)
        {
            if (!at.TryGetValue(objectLines[i], out var list)) at[objectLines[i]] = list = [];
            list.Add(i + 1);
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineOfRow = new long?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var occurrence = seen.TryGetValue(rows[i], out var n) ? n : 0;
            seen[rows[i]] = occurrence + 1;
            lineOfRow[i] = at.TryGetValue(rows[i], out var lines) && occurrence < lines.Count ? lines[occurrence] : null;
        }
        return lineOfRow;
    }

    // Text objects as delivered (gzip) or plain; anything else has no lines to match (Parquet rows keep their numbers).
    static string[] ReadLines(string path)
    {
        using var file = File.OpenRead(path);
        var gz = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        if (!gz && path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return [];
        using var reader = new StreamReader(gz ? new GZipStream(file, CompressionMode.Decompress) : file);
        var lines = new List<string>();
        while (reader.ReadLine() is { } l) lines.Add(l);
        return [.. lines];
    }
}
