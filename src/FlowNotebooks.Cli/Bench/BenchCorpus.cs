using System.Globalization;
using System.Security.Cryptography;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Store;

namespace FlowNotebooks.Cli.Bench;

/// <summary>
/// The benches' evidence: the scenario generator's default scenario at a record count (the same generator that writes
/// the templates' cases), generated once into a folder and kept, a marker file saying it is complete.
/// </summary>
internal static class BenchCorpus
{
    const string Marker = ".flownb-bench-complete";

    /// <summary>The default scenario of about <paramref name="records"/> records in <paramref name="formats"/>, in
    /// <paramref name="dir"/> (generated unless a complete one of that size, seed and shape is there already).</summary>
    public static string Ensure(string dir, long records, CaseFormats formats, int seed = ScenarioOptions.DefaultSeed)
    {
        var marker = Path.Combine(dir, Marker);
        var shape = string.Create(CultureInfo.InvariantCulture, $"{ScenarioCatalog.Default.Name} {records} {seed} {CaseFormatNames.Format(formats)}");
        if (File.Exists(marker) && File.ReadAllText(marker) == shape) return dir;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        CaseGenerator.Generate(ScenarioCatalog.Default, new ScenarioOptions(seed, records.ToString(CultureInfo.InvariantCulture), formats), dir);
        File.WriteAllText(marker, shape);
        return dir;
    }

    /// <summary>
    /// The S3 gzip text objects of a corpus (each begins with its header line), in key order, one copy of each content:
    /// the scenario delivers some objects twice, and the ingest loads a SHA-256 once, so the floor and the peer read what
    /// the ingest reads.
    /// </summary>
    public static IReadOnlyList<string> TextObjects(string dir)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Directory.EnumerateFiles(dir, "*.log.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Where(f =>
            {
                using var s = File.OpenRead(f);
                return seen.Add(Convert.ToHexStringLower(SHA256.HashData(s)));
            }).ToList();
    }

    /// <summary>Every evidence file of a corpus (not the marker, not the answer key), in key order.</summary>
    public static IReadOnlyList<string> Evidence(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not (Marker or CaseGenerator.AnswerKeyFile))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The peer: DuckDB's own read_csv of the gz text objects into a table, each object's header line naming its columns
    /// (the scenario's flow logs have different formats), '-' read as NULL. Returns the rows it loaded.
    /// </summary>
    public static long DuckDbCtas(CaseStore peer, IReadOnlyList<string> textObjects)
    {
        peer.Execute($"CREATE TABLE peer AS SELECT * FROM read_csv([{string.Join(", ", textObjects.Select(SqlText.Literal))}], delim = ' ', header = true, union_by_name = true, nullstr = '-')");
        return peer.Scalar<long>("SELECT count(*) FROM peer");
    }
}
