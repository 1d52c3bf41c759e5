using System.Globalization;
using System.Text.RegularExpressions;

namespace FlowNotebooks.Sources.Aws.Athena;

/// <summary>Byte sizes as an analyst types and reads them: decimal units (1 GB = 10^9 bytes, as AWS bills data scanned).</summary>
public static partial class AthenaSizes
{
    static readonly (string Unit, long Bytes)[] Units = [("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)];

    /// <summary>Reads "50GB", "500 MB", "1.5TB", "2000000" (bytes).</summary>
    /// <exception cref="FormatException">Not a size, or not above zero; the message says which forms are read.</exception>
    public static long Parse(string text, string what = "--max-scan")
    {
        var m = SizePattern().Match(text ?? "");
        if (!m.Success)
            throw new FormatException($"{what}: '{text}' is not a size. Give a number with a unit, e.g. 50GB, 500MB, 1.5TB (decimal units: 1 GB = 10^9 bytes).");
        var number = decimal.Parse(m.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var unit = m.Groups["u"].Success ? m.Groups["u"].Value.ToUpperInvariant() : "B";
        if (unit.Length == 1 && unit != "B") unit += "B";
        var bytes = number * Units.First(u => u.Unit == unit).Bytes;
        if (bytes < 1) throw new FormatException($"{what}: '{text}' must be above zero.");
        return (long)Math.Ceiling(bytes);
    }

    /// <summary>"12.3 GB", "512 B".</summary>
    public static string Format(long bytes)
    {
        foreach (var (unit, size) in Units)
            if (Math.Abs(bytes) >= size && size > 1) return ((double)bytes / size).ToString("0.##", CultureInfo.InvariantCulture) + " " + unit;
        return bytes.ToString(CultureInfo.InvariantCulture) + " B";
    }

    [GeneratedRegex(@"^\s*(?<n>\d+(\.\d+)?)\s*(?<u>[KMGT]B?|B)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();
}
