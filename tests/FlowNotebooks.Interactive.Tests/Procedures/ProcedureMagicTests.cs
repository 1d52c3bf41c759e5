using System.Globalization;
using FlowNotebooks.Interactive.Tests.Fixtures;
using FlowNotebooks.Procedures;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Interactive.Tests.Procedures;

/// <summary>Each procedure magic on the default scenario: findings, chart and table shown, the DataFrame bound and
/// usable, the result kept for the findings JSON, and its figures equal to the answer key.</summary>
public sealed class ProcedureMagicTests(VpcCompromise s) : IClassFixture<VpcCompromise>
{
    Microsoft.DotNet.Interactive.CompositeKernel Kernel()
    {
        var kernel = NotebookKernel.Create();
        s.Attach(kernel);
        return kernel;
    }

    static ProcedureResult Last(Microsoft.DotNet.Interactive.Kernel kernel) => FlowSession.Of(kernel)!.Findings.Results[^1];

    [Fact]
    public async Task Every_procedure_has_a_magic_of_its_own_name_and_its_short_name_gives_the_same_table()
    {
        using var kernel = Kernel();
        Assert.All(ProcedureRegistry.All, p => Assert.Contains(ProcedureMagics.All, m => m.Magic == "#!flow-" + p.Name && m.Procedure == p.Name));
        var full = await kernel.RunAsync($"#!flow-exfil-ledger --internal-cidrs {s.Key.VpcCidr} --name full");
        Assert.Contains("T1048", full.Html());
        await kernel.RunAsync($"#!flow-exfil --internal-cidrs {s.Key.VpcCidr} --name shortName");
        Assert.Equal(await kernel.ValueAsync("full.Rows.Count"), await kernel.ValueAsync("shortName.Rows.Count"));
        Assert.Equal(await kernel.ValueAsync("(long)full.Rows[0][\"bytes_out\"]"), await kernel.ValueAsync("(long)shortName.Rows[0][\"bytes_out\"]"));
    }

    [Fact]
    public async Task Exfil_shows_findings_a_sankey_and_the_ledger_and_binds_it()
    {
        using var kernel = Kernel();
        var x = s.Key.Exfiltration!;
        var cell = await kernel.RunAsync($"#!flow-exfil --internal-cidrs {s.Key.VpcCidr} --name ledger --result exfil");
        var html = cell.Html();
        Assert.Contains("T1048", html);
        Assert.Contains("\"type\":\"sankey\"", html);
        Assert.Contains($"NAT gateway {x.NatPublicIp}", html);
        Assert.Contains("Exfil ledger", html);
        foreach (var d in x.Destinations)
            Assert.Equal(d.Bytes, await kernel.ValueAsync(
                $"(long)ledger.Rows.Single(r => (string)r[\"asset\"] == \"{x.SourceIp}\" && (string)r[\"destination\"] == \"{d.Ip}\")[\"bytes_out\"]"));
        Assert.Equal(x.TotalBytes, await kernel.ValueAsync(
            "exfil.Findings.Where(f => f.Technique == \"T1048\").Sum(f => long.Parse(f.Facts[\"bytes_out\"]))"));
        Assert.Equal("exfil-ledger", Last(kernel).Procedure);
    }

    [Fact]
    public async Task Coverage_names_the_unlogged_subnet_and_the_gaps_and_draws_the_interface_time_matrix()
    {
        using var kernel = Kernel();
        var cell = await kernel.RunAsync($"#!flow-coverage --from {Iso(s.Key.Window.Start)} --to {Iso(s.Key.Window.End)} --name interfaces");
        var html = cell.Html();
        Assert.Contains($"Subnet {s.Key.Coverage.UnloggedSubnets[0].SubnetId} has no flow log", html);
        Assert.Contains("\"type\":\"heatmap\"", html);
        var gaps = Last(kernel).Tables["gaps"];
        var skip = s.Key.Coverage.SkipdataWindows.Single();
        Assert.Contains(gaps.Rows, r => (string)r[0]! == "skipdata" && (string?)r[1] == skip.InterfaceId && (DateTime)r[3]! == skip.Window.Start && (DateTime)r[4]! == skip.Window.End);
        Assert.True((long)(await kernel.ValueAsync("interfaces.Rows.Count"))! > 0);
    }

    [Fact]
    public async Task Lateral_draws_the_hop_graph_in_order()
    {
        using var kernel = Kernel();
        var cell = await kernel.RunAsync($"#!flow-lateral --internal-cidrs {s.Key.VpcCidr} --name pairs");
        Assert.Contains("Lateral path from patient zero", cell.Html());
        var path = Last(kernel).Tables["path"].Rows.Select(r => ((string)r[1]!, (string)r[2]!, Convert.ToInt32(r[3], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(s.Key.LateralPath.Select(h => (h.SourceIp, h.DestinationIp, h.Port)), path);
        Assert.Contains("T1021.004", cell.Html());
        Assert.IsType<DataFrame>(await kernel.ValueAsync("pairs"));
    }

    [Fact]
    public async Task Attacker_infra_takes_the_ioc_file_from_a_csharp_variable_and_flags_the_unmanaged_host()
    {
        using var kernel = Kernel();
        await kernel.RunAsync($"var iocFile = @\"{s.IocFile}\"; var cidrs = \"{s.Key.VpcCidr}\";");
        var cell = await kernel.RunAsync("#!flow-attacker-infra --ioc-file @csharp:iocFile --internal-cidrs @csharp:cidrs --name contacts");
        Assert.Contains($"Unmanaged {s.Key.UnmanagedHost!.Ip}", cell.Html());
        Assert.Contains("\"type\":\"heatmap\"", cell.Html());
        Assert.Equal(false, await kernel.ValueAsync($"(bool)contacts.Rows.First(r => (string)r[\"asset\"] == \"{s.Key.UnmanagedHost.Ip}\")[\"managed\"]"));
    }

    [Fact]
    public async Task Beacons_find_the_period_with_typed_csharp_times_and_durations()
    {
        using var kernel = Kernel();
        var b = s.Key.Beacon!;
        await kernel.RunAsync($"DateTime from = new DateTime({b.Window.Start.Ticks}L, DateTimeKind.Utc); DateTime? to = null; TimeSpan jitter = TimeSpan.FromSeconds(60);");
        var cell = await kernel.RunAsync("#!flow-beacons --from @csharp:from --to @csharp:to --capture-jitter @csharp:jitter --name beacons");
        Assert.Contains("T1071.001", cell.Html());
        Assert.Contains("\"type\":\"bar\"", cell.Html());
        var period = (long)(await kernel.ValueAsync($"(long)beacons.Rows.Single(r => (string)r[\"destination\"] == \"{b.DestinationIp}\")[\"period_seconds\"]"))!;
        Assert.InRange(period, b.PeriodSeconds - 5, b.PeriodSeconds + 5);
        Assert.Equal("2025-11-18T02:23:30Z", Last(kernel).Parameters["from"]);
    }

    [Fact]
    public async Task Recon_and_conversations_show_their_charts()
    {
        using var kernel = Kernel();
        var recon = await kernel.RunAsync("#!flow-recon --name probes");
        Assert.Contains("T1595", recon.Html());
        Assert.Contains(s.Key.InitialAccess!.AttackerIp, recon.Html());
        var talk = await kernel.RunAsync($"#!flow-conversations --internal-cidrs {s.Key.VpcCidr} --bucket 1h --limit 50 --name talk");
        Assert.Contains("\"type\":\"scatter\"", talk.Html());
        Assert.Contains("\"type\":\"heatmap\"", talk.Html());
        Assert.Equal(50L, await kernel.ValueAsync("talk.Rows.Count"));
        Assert.Equal(["rejected-recon", "conversations"], FlowSession.Of(kernel)!.Findings.Results.Select(r => r.Procedure));
    }

    [Fact]
    public async Task A_negative_finding_carries_its_coverage_statement_said_once()
    {
        using var kernel = Kernel();
        var cell = await kernel.RunAsync("#!flow-attacker-infra --iocs 192.0.2.250");
        var f = Assert.Single(Last(kernel).Findings);
        Assert.True(f.Negative);
        Assert.Contains(s.Key.Coverage.UnloggedSubnets[0].SubnetId, f.Coverage);
        var html = cell.Html();
        Assert.Contains(System.Net.WebUtility.HtmlEncode(f.Title), html);
        // Said once: beside the finding when it differs from the result's coverage, else in the header above it.
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(html, System.Text.RegularExpressions.Regex.Escape(System.Net.WebUtility.HtmlEncode(f.Coverage!))));
        Assert.Equal(f.Coverage == Last(kernel).Coverage, html.IndexOf(System.Net.WebUtility.HtmlEncode(f.Coverage!), StringComparison.Ordinal) < html.IndexOf(System.Net.WebUtility.HtmlEncode(f.Title), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("#!flow-exfil --min-bytes lots", "min_bytes")]
    [InlineData("#!flow-lateral --admin-ports 22,99999", "admin_ports")]
    [InlineData("#!flow-beacons --from yesterday", "Parameter from: 'yesterday' is not a time")]
    [InlineData("#!flow-coverage --bucket often", "bucket")]
    [InlineData("#!flow-attacker-infra --ioc-file /nonexistent/iocs.txt", "/nonexistent/iocs.txt")]
    [InlineData("#!flow-exfil --bogus 1", "--bogus")]
    [InlineData("#!flow-exfil --name 2ledger", "2ledger")]
    public async Task A_bad_parameter_fails_once_naming_it_and_the_kernel_stays_usable(string cell, string named)
    {
        using var kernel = Kernel();
        var message = await kernel.FailAsync(cell);
        Assert.Contains(named, message);
        await kernel.RunAsync("#!flow-recon");
    }

    [Fact]
    public async Task A_csharp_array_is_read_as_the_comma_separated_list_it_holds()
    {
        using var kernel = Kernel();
        await kernel.RunAsync("var blocks = new[] { \"10.20.0.0/16\", \"192.168.0.0/16\" };");
        await kernel.RunAsync("#!flow-exfil --internal-cidrs @csharp:blocks");
        Assert.Equal("10.20.0.0/16,192.168.0.0/16", Last(kernel).Parameters["internal_cidrs"].Replace(" ", ""));
    }

    [Fact]
    public async Task Without_a_case_the_magic_says_what_to_run_first()
    {
        using var kernel = NotebookKernel.Create();
        Assert.Contains("No case is open", await kernel.FailAsync("#!flow-exfil"));
        Assert.Empty(FlowSession.Of(kernel)!.Findings.Results);
    }

    [Fact]
    public async Task Every_procedure_has_a_magic_whose_options_are_its_parameters()
    {
        using var kernel = NotebookKernel.Create();
        var directives = kernel.ChildKernels.OfType<Microsoft.DotNet.Interactive.CSharp.CSharpKernel>().Single().KernelInfo.SupportedDirectives;
        foreach (var p in ProcedureRegistry.All)
        {
            // Its own name and each short name: the same options.
            var magics = ProcedureMagics.All.Where(m => m.Procedure == p.Name).Select(m => m.Magic).ToList();
            Assert.Equal(p.ShortNames.Prepend(p.Name).Select(n => "#!flow-" + n), magics);
            foreach (var magic in magics)
            {
                var directive = Assert.IsType<Microsoft.DotNet.Interactive.Directives.KernelActionDirective>(Assert.Single(directives, d => d.Name == magic));
                Assert.Equal(p.Parameters.Select(x => "--" + x.Name.Replace('_', '-')).Concat(["--name", "--result"]).Order(), directive.Parameters.Select(x => x.Name).Order());
            }
        }
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Evidence_text_in_findings_is_html_encoded()
    {
        using var kernel = Kernel();
        var cell = await kernel.RunAsync("#!flow-conversations --address 10.20.10.11");
        Assert.DoesNotContain("<script>alert", cell.Html());
        var html = FlowNotebooks.Presentation.Html.FindingsView.ToHtml(Last(kernel) is var r ? new ProcedureResult
        {
            Procedure = r.Procedure, Parameters = r.Parameters, Table = r.Table, Coverage = "<script>alert(1)</script>",
            Findings = [new Finding { Title = "<img src=x>", Severity = Severity.High, Statement = "a & b" }],
        } : null!, "<b>t</b>");
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;img src=x&gt;", html);
    }

    static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
