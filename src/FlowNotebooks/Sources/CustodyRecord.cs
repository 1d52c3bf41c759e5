using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowNotebooks.Sources;

/// <summary>One collection run into the folder: who, when, from where, with what command.</summary>
public sealed record CustodyRun
{
    [JsonPropertyName("collected_at")] public DateTime CollectedAt { get; init; }
    [JsonPropertyName("principals")] public IReadOnlyList<CallerIdentity> Principals { get; init; } = [];
    [JsonPropertyName("local_user")] public string LocalUser { get; init; } = "";
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    [JsonPropertyName("tool_version")] public string ToolVersion { get; init; } = "";
    [JsonPropertyName("command_line")] public string CommandLine { get; init; } = "";
    [JsonPropertyName("target")] public string Target { get; init; } = "";
    /// <summary>ARNs of what was read: buckets, log groups, EC2 regions.</summary>
    [JsonPropertyName("sources")] public IReadOnlyList<string> Sources { get; init; } = [];
    [JsonPropertyName("regions")] public IReadOnlyList<string> Regions { get; init; } = [];
    [JsonPropertyName("accounts")] public IReadOnlyList<string> Accounts { get; init; } = [];
    [JsonPropertyName("window_from")] public DateTime? From { get; init; }
    [JsonPropertyName("window_to")] public DateTime? To { get; init; }
}

/// <summary>One object of the manifest as custody names it: where it came from, which version, and its hashes.</summary>
public sealed record CustodyObject(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("version_id")] string? VersionId,
    [property: JsonPropertyName("etag")] string? ETag,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("suspect")] string? Suspect);

/// <summary>
/// The custody record of an evidence folder, <c>custody.json</c> beside <c>manifest.jsonl</c>: every collection run
/// (the AWS principal from STS GetCallerIdentity, the local user and host, the UTC time, the tool version, the command
/// line with secrets removed, the ARNs, regions and accounts read), every object with its version, ETag and SHA-256,
/// and the SHA-256 of the manifest as it stood when the record was written, so an examiner can check that the
/// manifest, and through it every file, is what was collected. It holds no credential: only names and hashes.
/// </summary>
public sealed record CustodyRecord
{
    public const string FileName = "custody.json";
    public const string Marker = "flownb-custody";

    [JsonPropertyName("kind")] public string Kind { get; init; } = Marker;
    [JsonPropertyName("runs")] public IReadOnlyList<CustodyRun> Runs { get; init; } = [];
    [JsonPropertyName("objects")] public IReadOnlyList<CustodyObject> Objects { get; init; } = [];
    [JsonPropertyName("manifest_file")] public string ManifestFile { get; init; } = "manifest.jsonl";
    [JsonPropertyName("manifest_sha256")] public string ManifestSha256 { get; init; } = "";
    [JsonPropertyName("manifest_lines")] public int ManifestLines { get; init; }

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string ToolVersion { get; } =
        typeof(CustodyRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CustodyRecord FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<CustodyRecord>(json, Json) ?? throw new JsonException("Not a custody record.");

    /// <summary>Reads the folder's record (null when there is none).</summary>
    public static CustodyRecord? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? FromJson(File.ReadAllBytes(path)) : null;
    }

    /// <summary>Null when the folder's manifest still hashes to the recorded SHA-256, else what differs.</summary>
    public string? VerifyManifest(string folder)
    {
        var path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) return $"{ManifestFile} is missing";
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        return sha == ManifestSha256 ? null : $"{ManifestFile} hashes to {sha}, the custody record says {ManifestSha256}";
    }

    /// <summary>A command line fit to keep: the value after an option that names a secret, key, token or password is replaced.</summary>
    public static string SafeCommandLine(IEnumerable<string> args)
    {
        var list = args.ToList();
        var output = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            var eq = a.IndexOf('=');
            var name = (eq > 0 ? a[..eq] : a).ToLowerInvariant();
            var secret = name.StartsWith('-') && (name.Contains("secret") || name.Contains("token") || name.Contains("password") || name.Contains("access-key") || name.Contains("external-id"));
            if (secret && eq > 0) output.Add(a[..eq] + "=***");
            else if (secret && i + 1 < list.Count)
            {
                output.Add(a);
                output.Add("***");
                i++;
            }
            else output.Add(a.Contains(' ') ? $"\"{a}\"" : a);
        }
        return string.Join(' ', output);
    }
}
