using System;

namespace HealthGen.Execution;

/// <summary>
/// The millisecond clock of caches and inline checks. With the system <see cref="TimeProvider"/> it is the coarse
/// monotonic tick count: a cache of hundreds of milliseconds and a timeout of whole milliseconds need no finer
/// clock, and the precise one is read on every probe. Any other provider (a test's manual clock) is read as is.
/// </summary>
/// <remarks>
/// <see cref="Environment.TickCount64"/> reads the kernel's last tick (resolution 1–16 ms, by OS); a precise
/// timestamp asks the hardware. Measured on the benchmark machine: 15 ns against 55 ns, and a liveness request reads
/// the clock twice (an inline check's start and end), a cached readiness request once. Isolated executions, which
/// cost microseconds anyway, are still timed with the precise clock.
/// </remarks>
internal readonly struct ProbeClock(TimeProvider time)
{
    private readonly bool _isSystem = ReferenceEquals(time, TimeProvider.System);

    /// <summary>Milliseconds on a monotonic clock; only differences mean anything.</summary>
    public long NowMs => _isSystem ? Environment.TickCount64 : (long)(time.GetTimestamp() * (1000.0 / time.TimestampFrequency));
}
