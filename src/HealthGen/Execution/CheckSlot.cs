using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Probes;

namespace HealthGen.Execution;

/// <summary>
/// The one place a probe gets a check's result from. Concurrent requests share one execution (single flight), and
/// the latest result is reused for the check's cache duration, so N concurrent probes cost one execution per check
/// per cache window: a probe storm never becomes a database storm.
/// </summary>
/// <remarks>
/// <para>
/// Everything the slot knows is guarded by one lock: the latest result (<see cref="CheckState"/>), the isolated
/// execution in flight (a shared <see cref="Task{TResult}"/>), whether an inline execution is running and who joined it,
/// and how many abandoned executions still hold a thread. Nothing slow ever runs under the lock.
/// </para>
/// <para>
/// A shared execution belongs to no request: it is cancelled by its timeout or by the host's stop, never because one
/// waiting request went away (a request that goes away only stops waiting, see <see cref="ProbeRunner"/>). Failed
/// results are cached too, so a dependency that is down is not hammered by every probe while it recovers.
/// docs/architecture.md traces the paths through this class.
/// </para>
/// </remarks>
internal sealed class CheckSlot
{
    private static readonly CheckResult StillHung = new(
        HealthResult.Unhealthy("still hung: an earlier execution passed its timeout and has not ended"), CheckFailure.TimedOut, TimeSpan.Zero);

    private readonly CheckExecutor _executor;
    private readonly ProbeClock _clock;
    private readonly long _cacheMs;
    private readonly TimeSpan _timeout;
    private readonly Lock _lock = new();

    private CheckState _state;
    private Task<CheckResult>? _running; // the isolated execution in flight; a completed one means none
    private int _stillRunning;
    private bool _inlineRunning;
    private TaskCompletionSource<CheckResult>? _inlineJoiners;

    public CheckSlot(HealthCheckRegistration check, CheckExecutor executor, TimeSpan cacheDuration)
    {
        Check = check;
        Path = HealthCheckSet.PathOf(check);
        _executor = executor;
        _clock = new ProbeClock(executor.Time);
        _cacheMs = (long)cacheDuration.TotalMilliseconds;
        _timeout = executor.TimeoutOf(check);
    }

    public HealthCheckRegistration Check { get; }

    /// <summary>The check's path (<c>readyz/database</c>), computed once for logs and metrics.</summary>
    public string Path { get; }

    /// <summary>Raised once per finished execution (not per request), outside the lock, for transition logs and metrics.</summary>
    public event CheckCompleted? Completed;

    /// <summary>The latest result, fresh or not; <see langword="null"/> before the first execution ends.</summary>
    public CheckResult? Latest
    {
        get
        {
            lock (_lock)
            {
                return _state.HasResult ? _state.Result : null;
            }
        }
    }

    /// <summary>Executions abandoned at their timeout that have not returned yet (0 when nothing hangs).</summary>
    public int StillRunning
    {
        get
        {
            lock (_lock)
            {
                return _stillRunning;
            }
        }
    }

    /// <summary>
    /// The check's result: from the cache, from the execution in flight, or from a new one. Completes synchronously,
    /// allocating nothing, for a cache hit and for an inline check this request runs itself.
    /// </summary>
    public ValueTask<CheckResult> GetResultAsync()
    {
        long now = _clock.NowMs;
        lock (_lock)
        {
            if (_state.IsFresh(now, _cacheMs))
            {
                return new ValueTask<CheckResult>(_state.Result with { Cached = true });
            }

            if (Check.Invocation != CheckInvocation.Inline)
            {
                return JoinOrStartIsolatedLocked();
            }

            if (_inlineRunning)
            {
                // Another request is running it on its thread right now: share its result, but answer at the timeout.
                _inlineJoiners ??= new TaskCompletionSource<CheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                return new ValueTask<CheckResult>(JoinInlineAsync(_inlineJoiners.Task));
            }

            _inlineRunning = true;
        }

        return new ValueTask<CheckResult>(RunInline(now));
    }

    /// <summary>The isolated execution in flight, or a new one; never a second thread into a check that still hangs.</summary>
    private ValueTask<CheckResult> JoinOrStartIsolatedLocked()
    {
        if (_running is { IsCompleted: false } running)
        {
            return new ValueTask<CheckResult>(running);
        }

        if (_stillRunning > 0)
        {
            return new ValueTask<CheckResult>(StillHung); // the last execution hung past its timeout and still holds a thread
        }

        // The execution belongs to no request: it must not run in the execution context (Activity, async-locals) of
        // whichever request happens to start it.
        if (ExecutionContext.IsFlowSuppressed())
        {
            _running = RunIsolatedAsync();
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
            {
                _running = RunIsolatedAsync();
            }
        }

        return new ValueTask<CheckResult>(_running);
    }

    /// <summary>One isolated execution, shared by every request that asks while it runs. It never completes inside the lock (see <see cref="CheckExecutor.ExecuteAsync"/>).</summary>
    private async Task<CheckResult> RunIsolatedAsync()
    {
        ExecutionOutcome outcome = await _executor.ExecuteAsync(Check, CancellationToken.None).ConfigureAwait(false);
        if (outcome.StillRunning is { } abandoned)
        {
            lock (_lock)
            {
                _stillRunning++;
            }

            _ = abandoned.ContinueWith(static (_, slot) => ((CheckSlot)slot!).AbandonedExecutionEnded(), this, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        CheckResult result = outcome.Result;
        long now = _clock.NowMs;
        HealthStatus? previous;
        lock (_lock)
        {
            previous = Store(result, now);
        }

        Completed?.Invoke(this, in result, previous);
        return result;
    }

    private void AbandonedExecutionEnded()
    {
        lock (_lock)
        {
            _stillRunning--;
        }
    }

    /// <summary>
    /// Runs an inline check on this thread (the caller set <see cref="_inlineRunning"/>) and hands its result to the
    /// requests that joined meanwhile. It is timed on the <see cref="ProbeClock"/>; a result that arrives after the
    /// timeout counts as timed out, as it would for an isolated check.
    /// </summary>
    private CheckResult RunInline(long started)
    {
        HealthResult outcome = _executor.InvokeInline(Check); // turns every failure into a result: the flag is always reset
        long now = _clock.NowMs;
        var duration = TimeSpan.FromMilliseconds(now - started);
        CheckResult result = duration > _timeout ? CheckResult.TimedOut(_timeout, duration) : CheckResult.Of(outcome, duration);
        HealthStatus? previous;
        TaskCompletionSource<CheckResult>? joiners;
        lock (_lock)
        {
            previous = Store(result, now);
            _inlineRunning = false;
            joiners = _inlineJoiners;
            _inlineJoiners = null;
        }

        Completed?.Invoke(this, in result, previous);
        joiners?.SetResult(result);
        return result;
    }

    private async Task<CheckResult> JoinInlineAsync(Task<CheckResult> execution)
    {
        long started = _executor.Time.GetTimestamp();
        try
        {
            // ForceYielding: a timer callback never goes on to run the joining request's code (the same rule as for
            // isolated executions in CheckExecutor.ExecuteAsync).
            return await execution.WaitAsync(_timeout, _executor.Time).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (TimeoutException)
        {
            return CheckResult.TimedOut(_timeout, _executor.Time.GetElapsedTime(started));
        }
    }

    /// <summary>Replaces the latest result and returns the status before it. Caller holds the lock.</summary>
    private HealthStatus? Store(CheckResult result, long completedAtMs)
    {
        HealthStatus? previous = _state.Status;
        _state = new CheckState(result, completedAtMs);
        return previous;
    }
}
