using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace HealthGen.Testing;

/// <summary>
/// <see cref="FakeTimeProvider"/> (time moves only when a test advances it) that also counts its armed timers, so a
/// test can wait until something is waiting on the clock before it advances it.
/// </summary>
public sealed class TimerCountingTimeProvider : FakeTimeProvider
{
    private int _armed;

    /// <summary>Timers that were set to fire and have been neither unset nor disposed (a fired one counts until disposed).</summary>
    public int ArmedTimers => Volatile.Read(ref _armed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new CountedTimer(this, base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class CountedTimer(TimerCountingTimeProvider clock, ITimer inner) : ITimer
    {
        private readonly Lock _lock = new();
        private bool _armed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                SetArmed(dueTime != Timeout.InfiniteTimeSpan);
                return inner.Change(dueTime, period);
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                SetArmed(false);
                inner.Dispose();
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        private void SetArmed(bool armed)
        {
            if (armed != _armed)
            {
                _armed = armed;
                Interlocked.Add(ref clock._armed, armed ? 1 : -1);
            }
        }
    }
}
