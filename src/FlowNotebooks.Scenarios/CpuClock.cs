using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FlowNotebooks.Scenarios;

/// <summary>
/// CPU time of this process (user + sys, all threads). On Linux it reads clock_gettime(CLOCK_PROCESS_CPUTIME_ID), which
/// has nanosecond resolution; elsewhere <see cref="Process.TotalProcessorTime"/>. Speed is measured against it, not the
/// wall clock, so other load on the machine does not change the figure.
/// </summary>
public static partial class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    const int ProcessCpuTime = 2;

    /// <summary>CPU seconds used by the process so far.</summary>
    public static double Seconds
    {
        get
        {
            if (OperatingSystem.IsLinux() && ClockGetTime(ProcessCpuTime, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime.TotalSeconds;
        }
    }
}
