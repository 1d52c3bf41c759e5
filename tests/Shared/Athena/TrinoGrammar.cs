using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlowNotebooks.TestShared.Aws;

namespace FlowNotebooks.TestShared.Athena;

/// <summary>
/// Checks statements meant for Athena with real grammars: npm dt-sql-parser's TrinoSQL (engine 3 queries) and HiveSQL
/// (Athena DDL), run by node (build/node/sql-grammar.mjs, installed by build/install-test-deps.sh), plus a deny-list of
/// DuckDB-only syntax the grammar misses or that would run on the local engine but not on Athena
/// (<c>a SEMI JOIN b</c> parses in Trino as table alias "semi" + join). Every method returns the problems found; an
/// empty list means the statement passes.
/// </summary>
public static partial class TrinoGrammar
{
    /// <summary>An Athena engine 3 (Trino) statement: the Trino grammar and the deny-list.</summary>
    public static IReadOnlyList<string> Validate(string sql) => ValidateAll([sql])[0];

    /// <summary>Several Trino statements with one node start.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ValidateAll(IReadOnlyList<string> statements) => Check("trino", statements);

    /// <summary>An Athena DDL statement (CREATE EXTERNAL TABLE …): the Hive grammar and the deny-list.</summary>
    public static IReadOnlyList<string> ValidateDdl(string ddl) => ValidateDdlAll([ddl])[0];

    public static IReadOnlyList<IReadOnlyList<string>> ValidateDdlAll(IReadOnlyList<string> statements) => Check("hive", statements);

    /// <summary>DuckDB-only constructs in a statement (outside string literals, quoted identifiers and comments).</summary>
    public static IReadOnlyList<string> DuckDbOnly(string sql)
    {
        var code = Code(sql);
        return DenyList.Where(d => d.Pattern.IsMatch(code)).Select(d => $"DuckDB-only syntax: {d.Name}").ToList();
    }

    static readonly (string Name, Regex Pattern)[] DenyList =
    [
        ("SEMI JOIN", Word(@"SEMI\s+JOIN")),
        ("ANTI JOIN", Word(@"ANTI\s+JOIN")),
        ("QUALIFY", Word("QUALIFY")),
        ("DISTINCT ON", Word(@"DISTINCT\s+ON")),
        ("EXCLUDE", Word("EXCLUDE")),
        ("GROUP BY ALL", Word(@"GROUP\s+BY\s+ALL")),
        (":: cast", new Regex("::", RegexOptions.Compiled)),
        ("TEMP table", Word(@"(TEMP|TEMPORARY)\s+TABLE")),
        ("unsigned or 128-bit integer type", Word("(HUGEINT|UHUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)")),
        ("UNION BY NAME", Word(@"BY\s+NAME")),
        ("$n parameter", new Regex(@"\$\d+|\$[a-z_]+\b", RegexOptions.Compiled | RegexOptions.IgnoreCase)),
        ("MATERIALIZED CTE hint", Word(@"AS\s+(NOT\s+)?MATERIALIZED")),
    ];

    static Regex Word(string pattern) => new($@"\b{pattern}\b", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    /// <summary>The statement with literals, quoted identifiers and comments blanked, so a value such as 's3://…' or
    /// "$path" is not taken for syntax.</summary>
    static string Code(string sql) => Quoted().Replace(sql, m => new string(' ', m.Length));

    [GeneratedRegex(@"'(?:[^']|'')*'|""(?:[^""]|"""")*""|`[^`]*`|--[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Quoted();

    static IReadOnlyList<IReadOnlyList<string>> Check(string dialect, IReadOnlyList<string> statements)
    {
        var grammar = RunGrammar(dialect, statements);
        return statements.Select((s, i) => (IReadOnlyList<string>)[.. grammar[i], .. DuckDbOnly(s)]).ToList();
    }

    static List<List<string>> RunGrammar(string dialect, IReadOnlyList<string> statements)
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "build", "node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "dt-sql-parser")))
            throw new InvalidOperationException("dt-sql-parser is not installed (build/node/node_modules/dt-sql-parser missing): run build/install-test-deps.sh.");
        var input = new JsonArray(statements.Select(s => (JsonNode)new JsonObject { ["dialect"] = dialect, ["sql"] = s }).ToArray()).ToJsonString();
        var psi = new ProcessStartInfo("node", ["--import", "./sql-grammar-register.mjs", "sql-grammar.mjs"])
        {
            WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false), StandardOutputEncoding = Encoding.UTF8,
        };
        using var node = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var stderr = node.StandardError.ReadToEndAsync();
        node.StandardInput.Write(input);
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEnd();
        if (!node.WaitForExit(120_000))
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException("the SQL grammar check did not finish in 2 minutes");
        }
        if (node.ExitCode != 0) throw new InvalidOperationException($"the SQL grammar check failed ({node.ExitCode}): {stderr.Result}");
        var results = JsonNode.Parse(output)!.AsArray();
        return results.Select(r => r!.AsArray().Select(e => $"{dialect} grammar, line {e!["startLine"]}:{e["startColumn"]}: {e["message"]}").ToList()).ToList();
    }
}
