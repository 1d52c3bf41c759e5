using System.Globalization;
using FlowNotebooks.Interactive.Tests.Fixtures;

namespace FlowNotebooks.Interactive.Tests;

/// <summary><c>#!flow-export</c> in a real kernel: it writes what <c>flownb export</c> writes, with its sidecar, binds the
/// summary, and passes procedure parameters through.</summary>
public sealed class FlowExportDirectiveTests
{
    [Fact]
    public async Task It_exports_the_counted_journeys_as_a_timesketch_timeline_with_the_records_bytes()
    {
        using var evidence = new Evidence();
        var file = Path.Combine(evidence.Folder, "out", "timeline.csv");
        using var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"#!flow-load --path \"{evidence.Folder}\"");
        var result = await kernel.RunAsync($"#!flow-export journeys --format timesketch-csv --out \"{file}\" --name exported");
        Assert.Contains("Wrote 5 rows", result.Html());
        Assert.Equal(5L, await kernel.ValueAsync("exported.Rows"));
        Assert.True(File.Exists(file + ".provenance.json"));
        var lines = File.ReadAllLines(file);
        Assert.StartsWith("message,datetime,timestamp,timestamp_desc,", lines[0]);
        var bytesAt = lines[0].Split(',').ToList().IndexOf("bytes");
        // Plain fields in this evidence (no quoting needed after the message's commas are quoted): sum the bytes column.
        var total = lines.Skip(1).Sum(l => long.Parse(SplitCsv(l)[bytesAt], CultureInfo.InvariantCulture));
        Assert.Equal(Evidence.TotalBytes, total);
    }

    [Fact]
    public async Task It_exports_a_procedures_findings_with_its_parameters_and_refuses_a_format_that_does_not_fit()
    {
        using var evidence = new Evidence();
        var file = Path.Combine(evidence.Folder, "findings.csv");
        using var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"#!flow-load --path \"{evidence.Folder}\"");
        await kernel.RunAsync($"#!flow-export exfil-ledger --findings --format csv --param \"internal_cidrs=10.0.0.0/8\" --from 2024-06-01T03:30:00Z --out \"{file}\"");
        var text = File.ReadAllText(file);
        Assert.Contains("T1048", text);
        Assert.Contains("203.0.113.5", text);
        var error = await kernel.FailAsync($"#!flow-export exfil-ledger --format ocsf-jsonl --out \"{file}.x\"");
        Assert.Contains("OCSF Network Activity events are counted journeys", error);
    }

    // RFC 4180 fields of one line (the message field is quoted: it holds commas).
    static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
