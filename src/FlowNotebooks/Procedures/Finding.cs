using System.Text.Json;

namespace FlowNotebooks.Procedures;

/// <summary>How much a finding matters to the investigation.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>Where a finding's records are: the evidence object (name and SHA-256 as loaded) and sample line numbers in it.</summary>
public sealed record EvidenceRef(int EvidenceId, string Object, string Sha256, IReadOnlyList<long> Lines);

/// <summary>
/// One thing a procedure established (or established the absence of). A negative finding ("no traffic to the IOCs")
/// carries the coverage statement of its window, since absence in flow logs only means something where logging was on.
/// </summary>
public sealed record Finding
{
    /// <summary>One line, in the analyst's words.</summary>
    public required string Title { get; init; }
    public required Severity Severity { get; init; }
    /// <summary>MITRE ATT&amp;CK technique id (T1046, T1021.004, …) the finding evidences, or null.</summary>
    public string? Technique { get; init; }
    /// <summary>What the records show, with figures; and what they cannot show.</summary>
    public required string Statement { get; init; }
    /// <summary>True when the finding is an absence.</summary>
    public bool Negative { get; init; }
    /// <summary>The coverage of the window (always set for negative findings).</summary>
    public string? Coverage { get; init; }
    /// <summary>Key facts by name (addresses, bytes, times) as text, for tests, reports and charts.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Evidence objects and sample lines.</summary>
    public IReadOnlyList<EvidenceRef> Evidence { get; init; } = [];

    /// <summary>Facts from pairs (null values left out), sorted by name.</summary>
    public static IReadOnlyDictionary<string, string> FactsOf(params (string Key, string? Value)[] facts)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in facts)
            if (v is not null) d[k] = v;
        return d;
    }

    /// <summary>
    /// The finding's span as machine-readable facts <c>from</c> and <c>to</c> (ISO 8601 UTC): the records it cites lie in it
    /// (a record's [start, end] overlaps it), so anyone can check the citations against the facts.
    /// </summary>
    public static (string, string?)[] Span(DateTime from, DateTime to) => [("from", Iso(from)), ("to", Iso(to))];

    /// <summary>Time as the <c>from</c>/<c>to</c> facts give it: ISO 8601 UTC, fractions of a second only when there are any.</summary>
    public static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Stable order: most severe first, then technique, title, statement.</summary>
    public static int Compare(Finding a, Finding b)
    {
        var c = b.Severity.CompareTo(a.Severity);
        if (c == 0) c = string.CompareOrdinal(a.Technique ?? "", b.Technique ?? "");
        if (c == 0) c = string.CompareOrdinal(a.Title, b.Title);
        if (c == 0) c = string.CompareOrdinal(a.Statement, b.Statement);
        return c;
    }

    /// <summary>Writes the finding as a JSON object in a fixed key order (findings JSON of procedures and case reports).</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("title", Title);
        w.WriteString("severity", Severity.ToString().ToLowerInvariant());
        if (Technique is null) w.WriteNull("technique"); else w.WriteString("technique", Technique);
        w.WriteBoolean("negative", Negative);
        w.WriteString("statement", Statement);
        if (Coverage is not null) w.WriteString("coverage", Coverage);
        w.WriteStartObject("facts");
        foreach (var (k, v) in Facts.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteStartArray("evidence");
        foreach (var e in Evidence.OrderBy(e => e.EvidenceId))
        {
            w.WriteStartObject();
            w.WriteNumber("evidence_id", e.EvidenceId);
            w.WriteString("object", e.Object);
            w.WriteString("sha256", e.Sha256);
            w.WriteStartArray("lines");
            foreach (var l in e.Lines.Order()) w.WriteNumberValue(l);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
