using System.Text.Json.Nodes;

namespace FlowNotebooks.Notebooks.Tests.Training;

/// <summary>
/// The right answers to each exercise's questions, read by the test straight from answer-key.json (as the exercise's
/// text asks them), not through the exercise definitions the grader uses: a wrong definition fails these tests.
/// Values are JSON as <c>Answer</c> writes them (a pair or list as an array, a figure per name as an object).
/// </summary>
public static class KeyAnswers
{
    public static Dictionary<string, JsonNode> For(string exercise, JsonNode k) => exercise switch
    {
        "cryptominer" => new()
        {
            ["q1"] = Array(S(k["initial_access"]!["target_ip"]), S(k["initial_access"]!["attacker_ip"])),
            ["q2"] = Amounts(k["extra"]!["mining_pools"]!.AsArray().Select(p => (S(p!["ip"]), (long)p["bytes_out"]!))),
            ["q3"] = Array([.. k["extra"]!["mining_pools"]!.AsArray().SelectMany(p => p!["miners"]!.AsArray().Select(S)).Distinct().Order(StringComparer.Ordinal)]),
            ["q4"] = Array([.. k["lateral_path"]!.AsArray().Select(h => S(h!["destination_ip"]))]),
            ["q5"] = Array(S(k["coverage"]!["unlogged_subnets"]![0]!["subnet_id"]), S(k["coverage"]!["skipdata_windows"]![0]!["interface_id"])),
        },
        "vpc-compromise" => new()
        {
            ["q1"] = Array(S(k["initial_access"]!["target_ip"]), S(k["initial_access"]!["attacker_ip"])),
            ["q2"] = Array([.. k["lateral_path"]!.AsArray().Select(h => S(h!["destination_ip"]))]),
            ["q3"] = Amounts(k["exfiltration"]!["destinations"]!.AsArray().Select(d => (S(d!["ip"]), (long)d["bytes"]!))),
            ["q4"] = JsonValue.Create(S(k["exfiltration"]!["source_ip"])),
            ["q5"] = JsonValue.Create(S(k["beacon"]!["destination_ip"])),
            ["q6"] = JsonValue.Create(S(k["beacon"]!["window"]!["start"])),
            ["q7"] = JsonValue.Create(S(k["unmanaged_host"]!["ip"])),
        },
        _ => throw new ArgumentException($"No expected answers written for '{exercise}'."),
    };

    /// <summary>Texts that reveal an answer if they appear in a student's folder: every text and figure of the answers.</summary>
    public static IEnumerable<string> Revealing(string exercise, JsonNode key) =>
        For(exercise, key).Values.SelectMany(Leaves).Where(v => v.Length >= 6).Distinct();

    static IEnumerable<string> Leaves(JsonNode? n) => n switch
    {
        JsonArray a => a.SelectMany(Leaves),
        JsonObject o => o.SelectMany(p => Leaves(p.Value).Prepend(p.Key)),
        JsonValue v => [v.ToJsonString().Trim('"')],
        _ => [],
    };

    static string S(JsonNode? n) => (string)n!;

    static JsonArray Array(params string[] items) => new([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);

    static JsonObject Amounts(IEnumerable<(string Name, long Bytes)> amounts)
    {
        var o = new JsonObject();
        foreach (var (name, bytes) in amounts) o[name] = bytes;
        return o;
    }

    /// <summary>The answers a saved notebook handed in, read from its outputs as Jupyter stores them (the last per question).</summary>
    public static Dictionary<string, JsonNode?> InNotebook(string ipynb)
    {
        var answers = new Dictionary<string, JsonNode?>();
        foreach (var cell in JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray())
            foreach (var output in cell!["outputs"]?.AsArray() ?? [])
                if (output!["data"]?["application/vnd.flownotebooks.answer+json"] is { } stored)
                {
                    // JSON MIME types are stored as JSON; a host may store the text (one string or a list of lines).
                    var answer = stored switch
                    {
                        JsonObject o => o,
                        JsonArray lines => JsonNode.Parse(string.Concat(lines.Select(l => (string?)l)))!,
                        _ => JsonNode.Parse((string)stored!)!,
                    };
                    answers[(string)answer["question"]!] = answer["value"]?.DeepClone();
                }
        return answers;
    }
}
