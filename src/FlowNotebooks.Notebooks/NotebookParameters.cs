using System.Globalization;
using FlowNotebooks.Input;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FlowNotebooks.Notebooks;

/// <summary>A parameter the notebook declares in its parameters cell: name, C# type and default as written.</summary>
public sealed record NotebookParameter(string Name, string Type, string Default);

/// <summary>
/// Papermill's convention for C#: the cell tagged <c>parameters</c> (or starting with <c>// parameters</c>) declares
/// the defaults (<c>var topN = 10;</c>, <c>string evidence = "../evidence";</c>); values given for a run go into a new
/// cell tagged <c>injected-parameters</c> right after it, as assignments typed like the defaults.
/// </summary>
public static class NotebookParameters
{
    /// <summary>Tag of the cell that declares the defaults.</summary>
    public const string ParametersTag = "parameters";
    /// <summary>Tag of the cell the runner adds with the values given.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The parameters cell's index, or -1.</summary>
    public static int FindCell(Notebook notebook) =>
        notebook.Cells.FindIndex(c => c.Kind == CellKind.Code && (c.HasTag(ParametersTag) || Dib.IsParametersComment(c.Source)));

    /// <summary>The variables a parameters cell declares, with their types (from the declaration or the default's literal).</summary>
    public static IReadOnlyList<NotebookParameter> Declared(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var found = new List<NotebookParameter>();
        foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            // Only top-level declarations are notebook variables (not locals inside a lambda or method).
            if (declaration.Parent is not (FieldDeclarationSyntax or LocalDeclarationStatementSyntax)) continue;
            if (declaration.Ancestors().Any(a => a is BaseMethodDeclarationSyntax or LambdaExpressionSyntax or LocalFunctionStatementSyntax or TypeDeclarationSyntax)) continue;
            foreach (var v in declaration.Variables)
            {
                var init = v.Initializer?.Value;
                var type = declaration.Type.IsVar ? LiteralType(init) : declaration.Type.ToString();
                found.Add(new NotebookParameter(v.Identifier.Text, type ?? "", init?.ToString() ?? ""));
            }
        }
        return found;
    }

    /// <summary>C# that assigns the given values, typed like the declarations.</summary>
    /// <exception cref="NotebookParameterException">An unknown name, or a value that does not fit its type.</exception>
    public static string Injection(IReadOnlyList<NotebookParameter> declared, IReadOnlyDictionary<string, string> values)
    {
        var unknown = values.Keys.Where(k => declared.All(d => d.Name != k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new NotebookParameterException(
                $"Unknown parameter{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}: the notebook's parameters cell declares " +
                (declared.Count == 0 ? "none." : string.Join(", ", declared.Select(d => $"{d.Name} ({d.Type})")) + "."));
        var lines = new List<string> { "// Parameters given for this run (flownb run -p)." };
        foreach (var (name, value) in values.OrderBy(v => declared.ToList().FindIndex(d => d.Name == v.Key)))
        {
            var p = declared.First(d => d.Name == name);
            lines.Add($"{name} = {Literal(p, value)};");
        }
        return string.Join("\n", lines);
    }

    /// <summary>The C# literal (or parse call) for a value of the parameter's type.</summary>
    static string Literal(NotebookParameter p, string value)
    {
        var type = p.Type.TrimEnd('?');
        var nullable = p.Type.EndsWith('?') || type is "string" or "String" or "System.String";
        if (nullable && value == "null") return "null";
        var c = CultureInfo.InvariantCulture;
        string Fail(string what) => throw new NotebookParameterException($"Parameter '{p.Name}' is {what} (its default is {p.Default}): '{value}' is not one.");
        return type switch
        {
            "string" or "String" or "System.String" => SymbolDisplay.FormatLiteral(value, quote: true),
            "bool" or "Boolean" => bool.TryParse(value, out var b) ? (b ? "true" : "false") : Fail("true or false"),
            "int" or "Int32" => int.TryParse(value, NumberStyles.Integer, c, out var i) ? i.ToString(c) : Fail("a whole number (int)"),
            "long" or "Int64" => long.TryParse(value, NumberStyles.Integer, c, out var l) ? l.ToString(c) + "L" : Fail("a whole number (long)"),
            "double" or "Double" => double.TryParse(value, NumberStyles.Float, c, out var d) && double.IsFinite(d) ? d.ToString("R", c) + "d" : Fail("a number (double)"),
            "float" or "Single" => float.TryParse(value, NumberStyles.Float, c, out var f) && float.IsFinite(f) ? f.ToString("R", c) + "f" : Fail("a number (float)"),
            "decimal" or "Decimal" => decimal.TryParse(value, NumberStyles.Float, c, out var m) ? m.ToString(c) + "m" : Fail("a number (decimal)"),
            "DateTime" or "System.DateTime" => Time(p, value),
            "TimeSpan" or "System.TimeSpan" => Span(p, value),
            "" => throw new NotebookParameterException($"Parameter '{p.Name}' has no type the runner can tell (default {p.Default}): declare it with a type, e.g. 'string {p.Name} = ...;'."),
            _ => throw new NotebookParameterException($"Parameter '{p.Name}' is a {p.Type}: the runner sets strings, numbers, bools, DateTime and TimeSpan."),
        };
    }

    /// <summary>A DateTime parameter, read by the engine's rules; a time without a zone is read as UTC and the injected
    /// cell says so beside the value.</summary>
    static string Time(NotebookParameter p, string value)
    {
        var t = Engine(() => AnalystInput.Time(value, p.Name));
        var shown = AnalystTime.Show(t.Utc) + (t.Note(p.Name) is { } note ? "; " + note.Replace("*/", "* /", StringComparison.Ordinal) : "");
        return $"new System.DateTime({t.Utc.Ticks}L, System.DateTimeKind.Utc) /* {shown} */";
    }

    /// <summary>A TimeSpan parameter, read by the engine's rules (90s, 10m, 2h, 01:30:00).</summary>
    static string Span(NotebookParameter p, string value)
    {
        var s = Engine(() => AnalystInput.Duration(value, p.Name));
        return $"System.TimeSpan.FromTicks({s.Ticks}L) /* {s.ToString("c", CultureInfo.InvariantCulture)} */";
    }

    // The engine's refusal (naming the parameter and the accepted forms) as the runner's parameter error.
    static T Engine<T>(Func<T> read)
    {
        try { return read(); }
        catch (FormatException e) { throw new NotebookParameterException(e.Message); }
    }

    /// <summary>The type of a literal default (<c>10</c> → int, <c>10L</c> → long, <c>"x"</c> → string), or null.</summary>
    static string? LiteralType(ExpressionSyntax? e)
    {
        if (e is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } neg) e = neg.Operand;
        if (e is not LiteralExpressionSyntax literal) return null;
        return literal.Kind() switch
        {
            SyntaxKind.StringLiteralExpression => "string",
            SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression => "bool",
            SyntaxKind.NumericLiteralExpression => literal.Token.Value switch
            {
                int => "int",
                long => "long",
                double => "double",
                float => "float",
                decimal => "decimal",
                _ => null,
            },
            _ => null,
        };
    }
}

/// <summary>A parameter problem, stated for the analyst (unknown name, value of the wrong type).</summary>
public sealed class NotebookParameterException(string message) : Exception(message);
