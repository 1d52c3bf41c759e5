using System.Globalization;
using FlowNotebooks.Procedures;

namespace FlowNotebooks.Cli;

/// <summary>
/// Progress on stderr: one line rewritten in place on a terminal, a line every few seconds otherwise (and the last
/// state always). One class for ingest and acquisition progress; <paramref name="finished"/> says which report is the last.
/// </summary>
internal sealed class ConsoleProgress<T>(TextWriter error, Func<T, bool> finished) : IProgress<T> where T : notnull
{
    DateTime lastLine = DateTime.MinValue;
    bool lineOpen;
    readonly bool terminal = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);

    public void Report(T value)
    {
        lock (this)
        {
            if (terminal)
            {
                error.Write("\r" + value + "   ");
                lineOpen = true;
                if (finished(value)) Done();
            }
            else if (DateTime.UtcNow - lastLine > TimeSpan.FromSeconds(5) || finished(value))
            {
                error.WriteLine(value);
                lastLine = DateTime.UtcNow;
            }
        }
    }

    /// <summary>Ends the line being rewritten on a terminal, if one is open.</summary>
    public void Done()
    {
        lock (this)
        {
            if (!lineOpen) return;
            error.WriteLine();
            lineOpen = false;
        }
    }
}

/// <summary>Counting progress on stderr, a line per part counted (reported on the counting thread, so in order).</summary>
internal sealed class CountingConsoleProgress(TextWriter error) : IProgress<CountingProgress>
{
    public void Report(CountingProgress p) =>
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Counting journeys: {p.From:yyyy-MM-dd HH:mm} ({p.Done + 1} of {p.Parts} parts, {p.Elapsed.TotalSeconds:N0} s)"));
}
