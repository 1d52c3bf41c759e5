using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary>
/// <c>--option @csharp:variable</c> values read by the extension itself from the C# kernel, typed, for every magic.
/// The host's own binding cannot be relied on: dotnet-interactive (Jupyter, VS Code) answers a line with two or more
/// <c>@</c> values with an input form that nbconvert never submits and that then binds every <c>@csharp:</c> value
/// to null (see <see cref="SeveralValuesOnOneLine"/>), and where it does bind, it hands over the value's text in the
/// machine's culture. So whatever the host bound, the variable's own value wins.
/// </summary>
internal static class CSharpValues
{
    /// <summary>The C# values named on this magic's line, by option (<c>--from</c> → the DateTime in <c>from</c>).</summary>
    public static Dictionary<string, object?> For(FlowSession session, KernelCommand command, string magic)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (option, variable) in MagicLine.CSharpReferences(MagicLine.Of(command, magic)))
            values[option] = session.TryGetCSharpValue(variable, out var value) ? value
                : throw new ArgumentException($"{option} @csharp:{variable}: there is no C# variable '{variable}'. Run the cell that declares it first.");
        return values;
    }

    /// <summary>A C# value as the text an analyst would type, whatever the machine's culture: times in ISO 8601 (a
    /// DateTime of unspecified kind without a zone, which the engine reads as UTC and says so), durations in seconds,
    /// lists comma-separated, numbers invariant.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        TimeSpan d => d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(Text).Where(t => !string.IsNullOrWhiteSpace(t))),
        _ => value.ToString(),
    };

    /// <summary>Sets a bound command's properties (<c>--log-group</c> → <c>LogGroup</c>) from C# values.</summary>
    public static void ApplyTo(KernelDirectiveCommand command, IReadOnlyDictionary<string, object?> values)
    {
        foreach (var (option, value) in values)
        {
            var property = command.GetType().GetProperty(Pascal(option), BindingFlags.Public | BindingFlags.Instance);
            if (property is null || !property.CanWrite) continue;
            var text = Text(value);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            property.SetValue(command, text is null ? null
                : type == typeof(string) ? text
                : type == typeof(string[]) ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : type == typeof(bool) ? bool.TryParse(text, out var b) ? b : throw new ArgumentException($"{option}: '{text}' is not true or false.")
                : type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new ArgumentException($"{option}: '{text}' is not a whole number.")
                : throw new ArgumentException($"{option} cannot take a C# value."));
        }
    }

    /// <summary>--log-group → LogGroup.</summary>
    public static string Pascal(string option) =>
        string.Concat(option.TrimStart('-').Split('-').Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..]));
}
