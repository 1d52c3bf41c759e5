namespace FlowNotebooks.Enrichment;

/// <summary>
/// Indicator addresses from the formats threat feeds and incident notes come in: one address or CIDR per line, or CSV
/// where some field of each line is one. Comments (#) and lines without an address (headers, domains) are passed over.
/// </summary>
public static class IocList
{
    /// <summary>The addresses and blocks found in the text.</summary>
    public static CidrList Parse(string text)
    {
        var ranges = new List<CidrRange>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            foreach (var field in line.Split([',', ';', '\t', ' ', '|'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (CidrRange.TryParse(field.Trim('"', '\''), out var r))
                {
                    ranges.Add(r);
                    break;
                }
            }
        }
        return new CidrList(ranges);
    }

    /// <summary>Reads an IOC file (text or CSV).</summary>
    public static CidrList Load(string path) => Parse(File.ReadAllText(path));
}
