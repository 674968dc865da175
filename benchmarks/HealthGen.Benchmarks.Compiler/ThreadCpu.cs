using System;
using System.Runtime.InteropServices;

namespace HealthGen.Benchmarks.Compiler;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>). The driver runs generators on
/// the calling thread, so this is the work the run did, without the time the thread waited for a core: on a
/// machine shared with other builds it varies far less than elapsed time. Zero where unavailable.
/// </summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Now() > TimeSpan.Zero;

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        try
        {
            return clock_gettime(ClockThreadCpuTimeId, out Timespec time) == 0
                ? TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100))
                : TimeSpan.Zero;
        }
        catch (DllNotFoundException)
        {
            return TimeSpan.Zero;
        }
        catch (EntryPointNotFoundException)
        {
            return TimeSpan.Zero;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for one call
    private static extern int clock_gettime(int clockId, out Timespec time);
#pragma warning restore SYSLIB1054
}
