using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Commands;

namespace FlowNotebooks.Interactive;

/// <summary>
/// The line of the cell a magic was typed on, and the <c>--option @csharp:variable</c> pairs on it. The host hands a
/// magic's command over without its line, so the line is found in the cell's code: the n-th line starting with the
/// magic's name for the n-th time that magic runs in the cell.
/// </summary>
internal static partial class MagicLine
{
    static readonly ConditionalWeakTable<KernelCommand, Dictionary<string, int>> Seen = [];

    /// <summary>The text of this magic's line in the cell that ran it, or null when the command came from no cell.</summary>
    public static string? Of(KernelCommand command, string magic)
    {
        if (Cell(command) is not { } cell) return null;
        var lines = Lines(cell.Code, magic).ToList();
        if (lines.Count == 0) return null;
        var seen = Seen.GetOrCreateValue(cell);
        int n;
        lock (seen) seen[magic] = n = seen.GetValueOrDefault(magic) + 1;
        return lines[Math.Min(n, lines.Count) - 1];
    }

    /// <summary>The cell that ran <paramref name="command"/>.</summary>
    public static SubmitCode? Cell(KernelCommand command)
    {
        for (var c = command.Parent; c is not null; c = c.Parent)
            if (c is SubmitCode submit) return submit;
        return null;
    }

    /// <summary>The lines of <paramref name="code"/> that invoke <paramref name="magic"/>.</summary>
    public static IEnumerable<string> Lines(string code, string magic) =>
        code.Split('\n').Select(l => l.Trim()).Where(l => l == magic || l.StartsWith(magic + " ", StringComparison.Ordinal) || l.StartsWith(magic + "\t", StringComparison.Ordinal));

    /// <summary>Options given as <c>--option @csharp:variable</c> on <paramref name="line"/>, by option.</summary>
    public static Dictionary<string, string> CSharpReferences(string? line)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (line is null) return found;
        foreach (Match m in CSharpReference().Matches(line)) found[m.Groups["option"].Value] = m.Groups["variable"].Value;
        return found;
    }

    /// <summary>How many <c>@kernel:value</c> or <c>@input:</c> expressions a line holds.</summary>
    public static int Expressions(string line) => Expression().Count(line);

    /// <summary>Whether a line asks the analyst for a value (<c>@input:</c>, <c>@password:</c>).</summary>
    public static bool AsksForInput(string line) => Input().IsMatch(line);

    [GeneratedRegex(@"(?<option>--[a-z][a-z0-9-]*)\s+@csharp:(?<variable>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex CSharpReference();

    [GeneratedRegex(@"(?<=\s)@[A-Za-z#][A-Za-z0-9#+-]*:")]
    private static partial Regex Expression();

    [GeneratedRegex(@"(?<=\s)@(input|password):")]
    private static partial Regex Input();
}
