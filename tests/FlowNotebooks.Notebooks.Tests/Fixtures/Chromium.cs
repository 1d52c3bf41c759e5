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
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run build/install-test-deps.sh");
        var profile = Directory.CreateTempSubdirectory("flownb-chromium-");
        try
        {
            var url = new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri;
            var (code, output) = await ProcessRunner.RunAsync(profile.FullName, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), "unshare",
                "-n", "--", Executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000", "--dump-dom", url);
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
