using System.Text;
using FlowNotebooks.Procedures;
using Microsoft.DotNet.Interactive.Directives;

namespace FlowNotebooks.Interactive;

/// <summary>
/// Help where the analyst types: <c>#!flow-exfil --help</c> (or <c>-h</c>) lists the magic's options with their
/// meaning and default and one example; an option the magic does not have is named with the nearest one it does. The
/// host would answer both with its own parse error (DNI103, after the text of a .NET array type), so
/// <see cref="Check"/> runs before that error is shown.
/// </summary>
internal static class MagicHelp
{
    /// <summary>What to say about one magic line, or null when the line is fine: (help or error text, is it an error).</summary>
    public static (string Text, bool Error)? Check(string line, KernelDirective directive, string example)
    {
        var options = Tokens(line).Skip(1).Where(t => t.StartsWith('-') && t.Length > 1 && char.IsLetter(t.TrimStart('-')[0])).ToList();
        if (options.Any(o => o is "--help" or "-h" or "-?")) return (Text(directive, example), false);
        var known = directive.Parameters.Select(p => p.Name).ToList();
        foreach (var option in options.Where(o => !known.Contains(o, StringComparer.Ordinal)))
        {
            var nearest = Nearest(option, known);
            return ($"{directive.Name} has no option {option}." + (nearest is null ? "" : $" Did you mean {nearest}?")
                    + $" ({directive.Name} --help lists its options.)", true);
        }
        return null;
    }

    /// <summary>The help text: what the magic does, each option with its meaning (and default), one example.</summary>
    public static string Text(KernelDirective directive, string example)
    {
        var sb = new StringBuilder();
        sb.Append(directive.Name).Append(": ").Append(directive.Description).Append("\n\nOptions:\n");
        var width = directive.Parameters.Select(p => p.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var p in directive.Parameters)
            sb.Append("  ").Append(p.Name.PadRight(width)).Append("  ").Append(p.Flag ? "(switch) " : "").Append(p.Required ? "(required) " : "")
              .Append(p.Description).Append('\n');
        sb.Append("\nValues can come from C#: --option @csharp:variable (several on one line work).\n\nExample:\n  ").Append(example).Append('\n');
        return sb.ToString();
    }

    /// <summary>An example line for a procedure magic: its parameters without a default (else its first two), with
    /// typical values, and --name.</summary>
    public static string Example(string magic, Procedure procedure)
    {
        var chosen = procedure.Parameters.Where(p => string.IsNullOrEmpty(p.Default) && p.Kind != ParameterKind.Flag).Take(2).ToList();
        if (chosen.Count == 0) chosen = procedure.Parameters.Where(p => p.Kind != ParameterKind.Flag).Take(2).ToList();
        return string.Join(' ', chosen.Select(p => $"{ProcedureDirective.Option(p.Name)} {Sample(p)}").Prepend(magic).Append("--name table"));
    }

    static string Sample(ProcedureParameter p) => p.Kind switch
    {
        ParameterKind.Time => "2025-11-18T03:00Z",
        ParameterKind.Duration => "10m",
        ParameterKind.Cidrs => "10.20.0.0/16",
        ParameterKind.Ports => "22,3389",
        ParameterKind.Bytes => "500MB",
        ParameterKind.Integer => p.Default is { Length: > 0 } d ? d : "10",
        ParameterKind.File => "iocs.txt",
        _ => p.Default is { Length: > 0 } d ? d : "value",
    };

    /// <summary>The known option nearest to a misspelled one (at most a third of its letters off), or null.</summary>
    public static string? Nearest(string option, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(option, k))).OrderBy(x => x.d).ThenBy(x => x.k, StringComparer.Ordinal).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, option.Length / 3) ? best.k : null;
    }

    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }

    /// <summary>The line's words, a quoted value kept whole.</summary>
    static IEnumerable<string> Tokens(string line)
    {
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (word.Length > 0) yield return word.ToString();
                word.Clear();
            }
            else word.Append(c);
        }
        if (word.Length > 0) yield return word.ToString();
    }
}
