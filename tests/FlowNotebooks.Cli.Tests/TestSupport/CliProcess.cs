using System.Diagnostics;
using System.Text;

namespace FlowNotebooks.Cli.Tests;

/// <summary>
/// Runs the built <c>flownb</c> (the CLI assembly beside the tests) in a process of its own, for what an in-process
/// run cannot show: a load killed hard part-way, measurements taken in fresh processes.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly StringBuilder error = new();

    CliProcess(Process process) => this.process = process;

    /// <summary>Starts <c>dotnet flownb.dll ARGS</c>; <paramref name="onError"/> hears each standard-error line as it comes.</summary>
    public static CliProcess Start(IReadOnlyDictionary<string, string> environment, Action<string>? onError, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "flownb.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var p = new CliProcess(Process.Start(info)!);
        p.process.OutputDataReceived += (_, e) => { if (e.Data is { } d) lock (p.output) p.output.AppendLine(d); };
        p.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } d) return;
            lock (p.error) p.error.AppendLine(d);
            // Progress lines are redrawn with carriage returns: hand on each state.
            foreach (var part in d.Split('\r', StringSplitOptions.RemoveEmptyEntries)) onError?.Invoke(part);
        };
        p.process.BeginOutputReadLine();
        p.process.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs to the end (or fails the test after <paramref name="timeout"/>) and returns exit code and output.</summary>
    public static (int Code, string Out, string Err) Run(TimeSpan timeout, params string[] args)
    {
        using var p = Start(new Dictionary<string, string>(), null, args);
        if (!p.process.WaitForExit(timeout))
        {
            p.Kill();
            throw new TimeoutException($"flownb {string.Join(' ', args)} did not finish in {timeout}:\n{p.Error}");
        }
        p.process.WaitForExit();
        return (p.process.ExitCode, p.Output, p.Error);
    }

    public string Output { get { lock (output) return output.ToString(); } }
    public string Error { get { lock (error) return error.ToString(); } }
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

    /// <summary>Kills the process and its children at once, as <c>kill -9</c> would: no cleanup runs.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
