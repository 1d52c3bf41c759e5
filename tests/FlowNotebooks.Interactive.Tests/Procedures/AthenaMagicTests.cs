using FlowNotebooks.Interactive.Tests.Fixtures;
using FlowNotebooks.Procedures;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Interactive.Tests.Procedures;

/// <summary>
/// <c>#!flow-athena</c> in a real CompositeKernel: the procedure magics and <c>FlowProcedures.RunAsync</c> then run on the
/// Athena stand-in (statements run on DuckDB over the scenario's objects, uploaded to s3rver) and show the findings, chart
/// and table they show locally; <c>--local</c> goes back to the open case.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class AthenaMagicTests : IClassFixture<VpcCompromiseAsText>, IDisposable
{
    readonly VpcCompromiseAsText s;
    readonly AthenaLoopback loopback;

    public AthenaMagicTests(S3rverFixture s3rver, VpcCompromiseAsText s)
    {
        this.s = s;
        var bucket = Directory.GetDirectories(Path.Combine(s.Folder, "s3")).Single();
        s.Prefix ??= AthenaLoopback.Upload(s3rver, bucket);
        var account = Path.GetFileName(Directory.GetDirectories(Path.Combine(bucket, "AWSLogs")).Single());
        loopback = new AthenaLoopback(s3rver, bucket, s.Prefix, Config, account, "eu-west-1");
        loopback.AddWorkGroup(cutoff: null);
    }

    string Config => Path.Combine(s.Folder, "describe-flow-logs.json");

    string Connect => $"#!flow-athena --workgroup {AthenaLoopback.WorkGroup} --config \"{Config}\" --account {loopback.TableOptions.Accounts[0]} --region eu-west-1 "
        + $"--bucket {loopback.BucketUri} --database {AthenaLoopback.Database} --profile {AthenaLoopback.Profile} --inventory "
        + string.Join(",", Directory.GetFiles(s.Folder, "describe-*.json").Concat(Directory.GetFiles(Path.Combine(s.Folder, "s3-buckets"), "*.json")).Order(StringComparer.Ordinal));

    /// <summary>The window of the scenario's records (as the local case holds them), as a magic takes it.</summary>
    (string From, string To, DateTime FromUtc, DateTime ToUtc) Window()
    {
        var span = s.Case.Query("SELECT min(first_start), max(last_end) FROM interface_hours").Rows[0];
        var (from, to) = ((DateTime)span[0]!, ((DateTime)span[1]!).AddSeconds(1));
        return (from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            to.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), from, to);
    }

    static string AllText(KernelCommandResult r) => string.Join("\n", r.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Select(v => v.Value)
        .Concat(r.Events.OfType<CommandFailed>().Select(f => f.Message)));

    static string Shown(Finding f) => string.Join("\n", [f.Severity.ToString(), f.Technique ?? "", f.Title, f.Statement,
        .. f.Facts.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}")]);

    [Fact]
    public async Task A_notebook_connected_to_athena_runs_the_procedure_magics_and_csharp_calls_there_and_goes_back_to_its_case()
    {
        using var kernel = NotebookKernel.Create();
        s.Attach(kernel);
        var (from, to, fromUtc, toUtc) = Window();
        var values = new Dictionary<string, object?> { ["from"] = fromUtc, ["to"] = toUtc, ["internal_cidrs"] = s.Key.VpcCidr };
        var local = ProcedureRegistry.Get("exfil-ledger").Run(s.Case.Store, values);

        var help = AllText(await kernel.RunAsync("#!flow-athena --help"));
        Assert.Contains("--workgroup", help);
        Assert.Contains("--local", help);
        Assert.Contains("Example:\n  #!flow-athena --workgroup", help);

        var connected = AllText(await kernel.RunAsync(Connect + " --name athena"));
        Assert.Contains("Procedures now run on Athena engine version 3 (Trino) in workgroup forensics", connected);
        Assert.Equal("forensics", await kernel.ValueAsync("athena.WorkGroup"));

        // A procedure magic: its findings, chart and table as locally, the table bound as a DataFrame, the run's report shown.
        var cell = await kernel.RunAsync($"#!flow-exfil-ledger --from {from} --to {to} --internal-cidrs {s.Key.VpcCidr} --name ledger --result exfil");
        var html = cell.Html();
        Assert.Contains("T1048", html);
        Assert.Contains("\"type\":\"sankey\"", html);
        Assert.Contains("Computed on Athena engine version 3 (Trino), workgroup forensics", html);
        var report = AllText(cell);
        Assert.Contains("Athena run: 5 queries", report);
        Assert.Contains("Athena scan estimate: about", report);
        Assert.Equal(5, loopback.Athena.CallsOf("StartQueryExecution").Count);
        var onAthena = FlowSession.Of(kernel)!.Findings.Results[^1];
        Assert.Equal(local.Findings.Select(Shown), onAthena.Findings.Select(Shown));
        Assert.Equal(local.Table.Rows.Count, (long)(await kernel.ValueAsync("ledger.Rows.Count"))!);
        Assert.IsType<DataFrame>(await kernel.ValueAsync("ledger"));
        var x = s.Key.Exfiltration!;
        Assert.Equal(x.TotalBytes, await kernel.ValueAsync("exfil.Findings.Where(f => f.Technique == \"T1048\").Sum(f => long.Parse(f.Facts[\"bytes_out\"]))"));
        // The cited objects were fetched and hashed: the same SHA-256 as the loaded copies of the same objects.
        var localSha = local.Findings.SelectMany(f => f.Evidence).DistinctBy(e => e.Object).ToDictionary(e => KeyOf(e.Object), e => e.Sha256);
        var cited = onAthena.Findings.SelectMany(f => f.Evidence).ToList();
        Assert.NotEmpty(cited);
        Assert.All(cited, e => Assert.Equal(localSha[KeyOf(e.Object)], e.Sha256));

        // The C# call runs there too (the compilation references the extension, as the templates do).
        await kernel.RunAsync($"#r \"{typeof(FlowProcedures).Assembly.Location}\"");
        await kernel.RunAsync($$"""
            var viaCSharp = await FlowNotebooks.Interactive.FlowProcedures.RunAsync("exfil-ledger", new() { ["from"] = "{{from}}", ["to"] = "{{to}}", ["internal_cidrs"] = "{{s.Key.VpcCidr}}" });
            """);
        Assert.Equal(10, loopback.Athena.CallsOf("StartQueryExecution").Count);
        Assert.Equal(true, await kernel.ValueAsync("viaCSharp.Notes.Any(n => n.StartsWith(\"Computed on Athena engine version 3\"))"));

        // Back to the open case: nothing more is sent to Athena, and the result says nothing of it.
        Assert.Contains("Procedures run on the open case again", AllText(await kernel.RunAsync("#!flow-athena --local")));
        await kernel.RunAsync($"#!flow-exfil-ledger --from {from} --to {to} --internal-cidrs {s.Key.VpcCidr} --result again");
        Assert.Equal(10, loopback.Athena.CallsOf("StartQueryExecution").Count);
        Assert.Equal(false, await kernel.ValueAsync("again.Notes.Any(n => n.Contains(\"Athena\"))"));
        AthenaLoopback.AssertNoSecrets(connected + AllText(cell) + report);
    }

    [Fact]
    public async Task On_athena_a_procedure_without_a_window_is_refused_and_a_run_over_the_limit_says_how_to_raise_it()
    {
        using var kernel = NotebookKernel.Create();
        await kernel.RunAsync(Connect + " --max-scan 1MB");
        Assert.Contains("needs a window", await kernel.FailAsync($"#!flow-exfil-ledger --internal-cidrs {s.Key.VpcCidr}"));
        var (from, to, _, _) = Window();
        var refused = await kernel.FailAsync($"#!flow-exfil-ledger --from {from} --to {to}");
        Assert.Contains("Refused before sending anything to Athena", refused);
        Assert.Contains("raise the limit with --max-scan", refused);
        Assert.Empty(loopback.Athena.CallsOf("StartQueryExecution"));
        Assert.Contains("--engine 'v2': use v3 or duckdb", await kernel.FailAsync(Connect + " --engine v2"));
        AthenaLoopback.AssertNoSecrets(refused);
    }

    static string KeyOf(string o) => o.Replace('\\', '/')[o.Replace('\\', '/').IndexOf("AWSLogs/", StringComparison.Ordinal)..];

    public void Dispose() => loopback.Dispose();
}
