using System.Diagnostics;

namespace FlowNotebooks.Store;

/// <summary>
/// With <c>FLOWNB_TRACE_SQL=1</c> (or <c>plans</c>), each statement's wall and process CPU time and its first lines go to standard error:
/// how to see which query of a procedure costs what on a large case. SQL text only, never parameter values.
/// </summary>
static class SqlTrace
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("FLOWNB_TRACE_SQL") is "1" or "plans";
    /// <summary>With <c>FLOWNB_TRACE_SQL=plans</c>, each query also runs once under EXPLAIN ANALYZE and its profile is printed.</summary>
    public static readonly bool Plans = Environment.GetEnvironmentVariable("FLOWNB_TRACE_SQL") == "plans";

    public static IDisposable? Time(string sql) => Enabled ? new Timing(sql) : null;

    sealed class Timing(string sql) : IDisposable
    {
        readonly Stopwatch clock = Stopwatch.StartNew();
        readonly TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;

        public void Dispose()
        {
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var head = string.Join(" ", sql.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Take(3));
            Console.Error.WriteLine(FormattableString.Invariant($"[sql] {clock.Elapsed.TotalSeconds,7:F2} s wall {used.TotalSeconds,7:F2} s cpu  {(head.Length > 110 ? head[..110] : head)}"));
        }
    }
}
