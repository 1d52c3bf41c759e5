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
        "s3-exfiltration" => new()
        {
            ["q1"] = Array(S(k["initial_access"]!["target_ip"]), S(k["initial_access"]!["attacker_ip"])),
            ["q2"] = JsonValue.Create(S(k["lateral_path"]![0]!["destination_ip"])),
            // The dump within 1 %: the app's own queries share the pair and the intruder's login window.
            ["q3"] = new JsonObject { ["between"] = new JsonArray((long)Math.Floor(0.99 * (long)k["extra"]!["collection"]!["bytes_in"]!), (long)Math.Ceiling(1.01 * (long)k["extra"]!["collection"]!["bytes_in"]!)) },
            ["q4"] = JsonValue.Create(S(k["extra"]!["s3_transfers"]![0]!["aws_service"])),
            ["q5"] = Amounts(k["extra"]!["s3_transfers"]!.AsArray().Select(t => (S(t!["destination"]), (long)t["bytes"]!))),
            ["q6"] = JsonValue.Create(S(k["extra"]!["s3_transfers"]!.AsArray().Single(t => S(t!["via"]) == "nat_gateway")!["destination"])),
            ["q7"] = JsonValue.Create(S(k["extra"]!["s3_transfers"]!.AsArray().Single(t => S(t!["via"]) == "nat_gateway")!["region"])),
            ["q8"] = JsonValue.Create(S(k["extra"]!["flow_logs_cannot_tell"]!.AsArray().Single(x => S(x!["question"]) == "which bucket")!["answer"])),
        },
        "blind-spot" => new()
        {
            // Every blind place, in text order (the worked answer sorts its list too).
            ["q1"] = Array([.. new[] { k["coverage"]!["unlogged_subnets"]!.AsArray().Select(x => S(x!["subnet_id"])),
                    k["coverage"]!["skipdata_windows"]!.AsArray().Select(x => S(x!["interface_id"])),
                    k["coverage"]!["missing_delivery_windows"]!.AsArray().Select(x => S(x!["flow_log_id"])),
                    k["coverage"]!["logging_started_late"]!.AsArray().Select(x => S(x!["flow_log_id"])),
                    [S(k["evidence_window"]!["log_group"])] }.SelectMany(x => x).Order(StringComparer.Ordinal)]),
            ["q2"] = Array(S(k["coverage"]!["skipdata_windows"]![0]!["window"]!["start"]), S(k["coverage"]!["skipdata_windows"]![0]!["window"]!["end"])),
            // The deleted object's earlier version is in a versioned bucket: its records are not lost.
            ["q3"] = JsonValue.Create(S(k["evidence_window"]!["versioning"]) == "Enabled" && k["evidence_window"]!["deleted_object"] is not null ? "no" : "yes"),
            ["q4"] = JsonValue.Create((long)k["extra"]!["bounds"]!["upload_bytes"]!["lower"]!),
            // Any upper bound that holds what left: from the actual figure up to three times what was logged.
            ["q5"] = new JsonObject { ["between"] = new JsonArray((long)k["extra"]!["bounds"]!["upload_bytes"]!["actual"]!, 3 * (long)k["extra"]!["bounds"]!["upload_bytes"]!["lower"]!) },
            ["q6"] = Array(S(k["extra"]!["bounds"]!["database_read_start"]!["not_before"]), S(k["extra"]!["bounds"]!["database_read_start"]!["not_after"])),
            ["q7"] = JsonValue.Create(S(k["extra"]!["cannot_determine"]!.AsArray().Single(x => S(x!["question"]).Contains("S3 gateway endpoint", StringComparison.Ordinal))!["answer"])),
        },
        _ => throw new ArgumentException($"No expected answers written for '{exercise}'."),
    };

    /// <summary>Texts that reveal an answer if they appear in a student's folder: every text and figure of the answers.
    /// <paramref name="sameForEveryone"/>: questions whose answer is the same in every case by design (a service name, "cannot
    /// be determined from flow logs"), which the exercise may state as a form of answer.</summary>
    public static IEnumerable<string> Revealing(string exercise, JsonNode key, IReadOnlySet<string>? sameForEveryone = null) =>
        For(exercise, key).Where(a => sameForEveryone?.Contains(a.Key) != true).SelectMany(a => Leaves(a.Value))
            .Where(v => v.Length >= 6 && v != "between").Distinct();

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
