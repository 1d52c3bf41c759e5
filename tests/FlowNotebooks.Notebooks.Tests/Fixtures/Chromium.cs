namespace FlowNotebooks.Notebooks.Tests.Fixtures;

/// <summary>
/// Debian's Chromium, headless (installed by build/install-test-deps.sh), in a new network namespace with no
/// interfaces up (<c>unshare -n</c>, as root), so a page that needed the network would show it. Returns the DOM after
/// the scripts ran and the page's console messages (Chromium logs them to stderr with their source).
/// </summary>
public static class Chromium
{
    public const string Executable = "/usr/bin/chromium";

    public static async Task<(string Dom, IReadOnlyList<string> PageConsole)> DumpDomOffline(string htmlFile)
    {
        return await DumpDomOffline(htmlFile, []);
    }

    /// <summary>
    /// Lays a page out in a 1280-pixel window with no network and measures what a reader sees once its scripts ran:
    /// each chart (drawn or blank, its plot area's width, how far its title sits inside the chart), each finding (text
    /// cut at the right edge?), the content width, and where the summary, the first table and the manifest are.
    /// The measuring script is added to a copy of the page and writes its figures into the DOM as JSON.
    /// </summary>
    public static async Task<(System.Text.Json.JsonElement Layout, IReadOnlyList<string> PageConsole)> MeasureOffline(string htmlFile)
    {
        var copy = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(htmlFile))!, Path.GetFileNameWithoutExtension(htmlFile) + ".measured.html");
        File.WriteAllText(copy, File.ReadAllText(htmlFile).Replace("</body>", MeasureScript + "</body>", StringComparison.Ordinal));
        var (dom, console) = await DumpDomOffline(copy, ["--window-size=1280,1024"]);
        var m = System.Text.RegularExpressions.Regex.Match(dom, "<pre id=\"flownb-measure\">(?<json>.*?)</pre>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(m.Success, "the measuring script wrote nothing (did the page's scripts stop?)");
        return (System.Text.Json.JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(m.Groups["json"].Value)).RootElement.Clone(), console);
    }

    const string MeasureScript = """
        <script>setTimeout(function () {
          function box(e) { return e.getBoundingClientRect(); }
          var main = document.querySelector('main') || document.body, cs = getComputedStyle(main);
          var content = main.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
          var charts = [].map.call(document.querySelectorAll('div[id^="flownb-chart-"]'), function (d) {
            var svg = d.querySelector('svg.main-svg'), drag = d.querySelector('.nsewdrag'), sankey = d.querySelector('.sankey');
            var plot = drag ? box(drag).width : sankey ? box(sankey).width : 0;
            var t = d.querySelector('.gtitle'), s = svg ? box(svg) : null, tb = t ? box(t) : null;
            return { id: d.id, drawn: !!svg, width: s ? s.width : 0, plot: plot, title: t ? t.textContent : '',
                     titleInside: !t || (tb.left >= s.left - 1 && tb.right <= s.right + 1) };
          });
          var mr = box(main);
          var findings = [].map.call(document.querySelectorAll('ul.findings li, .flownb-findings li'), function (li) {
            var r = box(li);
            return { text: li.textContent.slice(0, 80), cut: li.scrollWidth > li.clientWidth + 1 || r.right > mr.right + 1 };
          });
          function top(sel) { var e = document.querySelector(sel); return e ? box(e).top + window.scrollY : -1; }
          var pre = document.createElement('pre'); pre.id = 'flownb-measure';
          pre.textContent = JSON.stringify({ content: content, charts: charts, findings: findings, summary: top('#summary'),
            firstTable: top('.flownb-frame table'), manifest: top('#evidence') });
          document.body.appendChild(pre);
        }, 8000);</script>
        """;

    static async Task<(string Dom, IReadOnlyList<string> PageConsole)> DumpDomOffline(string htmlFile, string[] extra)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run build/install-test-deps.sh");
        var profile = Directory.CreateTempSubdirectory("flownb-chromium-");
        try
        {
            var url = new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri;
            var (code, output) = await ProcessRunner.RunAsync(profile.FullName, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), "unshare",
                ["-n", "--", Executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000", .. extra, "--dump-dom", url]);
            Assert.True(code == 0, $"chromium exit {code}:\n{Tail(output)}");
            // Console lines of the page itself (not of Chromium's own chrome:// pages).
            var console = output.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal) && l.Contains("source: file://", StringComparison.Ordinal)).ToList();
            return (output, console);
        }
        finally
        {
            try { profile.Delete(recursive: true); }
            catch (IOException) { /* a crash dump still being written */ }
        }
    }

    static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}
