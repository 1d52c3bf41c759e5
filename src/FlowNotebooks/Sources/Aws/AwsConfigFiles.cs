namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// The two shared AWS files (<c>config</c> and <c>credentials</c>) parsed the way the AWS CLI reads them: sections
/// <c>[profile NAME]</c> / <c>[default]</c> / <c>[sso-session NAME]</c> / <c>[services NAME]</c> in config, <c>[NAME]</c> in
/// credentials (which wins on conflicts), <c>key = value</c> pairs, indented lines as sub-properties of the key before
/// them (<c>s3 =</c> followed by <c>  endpoint_url = …</c>). We read them ourselves because AWSSDK.Core only looks for
/// the config file at its default place, while AWS_CONFIG_FILE must be honoured.
/// </summary>
internal sealed class AwsConfigFiles
{
    readonly Dictionary<string, Dictionary<string, string>> profiles = new(StringComparer.Ordinal);
    readonly Dictionary<string, Dictionary<string, string>> ssoSessions = new(StringComparer.Ordinal);
    readonly Dictionary<string, Dictionary<string, string>> services = new(StringComparer.Ordinal);

    public static AwsConfigFiles Load(AwsSettings settings)
    {
        var files = new AwsConfigFiles();
        files.Read(settings.EffectiveConfigFile, isConfig: true);
        files.Read(settings.EffectiveCredentialsFile, isConfig: false);
        return files;
    }

    public IEnumerable<string> ProfileNames => profiles.Keys;

    public IReadOnlyDictionary<string, string>? Profile(string name) => profiles.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string>? SsoSession(string name) => ssoSessions.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string>? Services(string name) => services.GetValueOrDefault(name);

    void Read(string path, bool isConfig)
    {
        if (!File.Exists(path)) return;
        Dictionary<string, string>? section = null;
        string? parentKey = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = StripComment(raw);
            if (line.Trim().Length == 0) continue;
            var trimmed = line.Trim();
            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                section = SectionFor(trimmed[1..^1].Trim(), isConfig);
                parentKey = null;
                continue;
            }
            if (section is null) continue;
            var eq = trimmed.IndexOf('=');
            if (eq < 0) continue;
            var key = trimmed[..eq].Trim().ToLowerInvariant();
            var value = trimmed[(eq + 1)..].Trim();
            var indented = char.IsWhiteSpace(line[0]);
            if (indented && parentKey is not null) section[$"{parentKey}.{key}"] = value;
            else
            {
                section[key] = value;
                parentKey = value.Length == 0 ? key : null;
            }
        }
    }

    Dictionary<string, string>? SectionFor(string header, bool isConfig)
    {
        static Dictionary<string, string> Get(Dictionary<string, Dictionary<string, string>> d, string name)
        {
            if (!d.TryGetValue(name, out var s)) d[name] = s = new Dictionary<string, string>(StringComparer.Ordinal);
            return s;
        }
        if (!isConfig) return Get(profiles, header);
        if (header == "default") return Get(profiles, "default");
        var space = header.IndexOf(' ');
        if (space < 0) return null; // config sections other than [default] need a kind prefix
        var kind = header[..space];
        var name = header[(space + 1)..].Trim();
        return kind switch
        {
            "profile" => Get(profiles, name),
            "sso-session" => Get(ssoSessions, name),
            "services" => Get(services, name),
            _ => null,
        };
    }

    /// <summary>'#' and ';' start comments at the beginning of a line or after whitespace (values may contain them otherwise).</summary>
    static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if ((line[i] == '#' || line[i] == ';') && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }
        return line;
    }
}
