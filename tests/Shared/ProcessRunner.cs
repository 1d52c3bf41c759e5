using System.Diagnostics;
using System.Text;

namespace FlowNotebooks.TestShared;

/// <summary>Runs a command with a deadline and returns its exit code and combined output.</summary>
internal static class ProcessRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (k, v) in environment) info.Environment[k] = v;
        // No MSBuild nodes or compiler server left behind by a test.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var lines = new object();
        process.OutputDataReceived += (_, e) => { lock (lines) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (lines) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (lines) return (process.ExitCode, output.ToString());
    }
}
