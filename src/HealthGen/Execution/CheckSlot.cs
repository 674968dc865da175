using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>
/// The one place a probe gets a check's result from. It shares one execution among all concurrent
/// requests (single flight) and reuses the last result for the check's cache duration, so N concurrent
/// probes cost one execution per check per cache window: a probe storm never becomes a database storm.
/// </summary>
/// <remarks>
/// The shared execution belongs to no request: it is cancelled by its timeout or by shutdown, never
/// because one waiting request went away. A request that goes away only stops waiting. Failed results
/// are cached too, so a dependency that is down is not hammered by every probe while it recovers.
/// </remarks>
internal sealed class CheckSlot
{
    private readonly CheckExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ProbeClock _clock;
    private readonly long _cacheMs;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private readonly AbandonedExecutions _abandoned = new();
    private Task<CheckResult>? _inFlight;
    private bool _inlineRunning;
    private TaskCompletionSource<CheckResult>? _inlineWaiters;
    private CheckResult _last;
    private long _lastCompletedAt;
    private bool _hasResult;

    public CheckSlot(HealthCheckRegistration check, CheckExecutor executor, TimeProvider time, TimeSpan cacheDuration)
    {
        Check = check;
        Path = HealthCheckSet.PathOf(check);
        _executor = executor;
        _time = time;
        _clock = new ProbeClock(time);
        _cacheMs = (long)cacheDuration.TotalMilliseconds;
        _timeout = executor.TimeoutOf(check);
    }

    public HealthCheckRegistration Check { get; }

    /// <summary>The check's path (<c>readyz/database</c>), computed once for logs and metrics.</summary>
    public string Path { get; }

    /// <summary>Executions abandoned at their timeout that are still running (0 when nothing hangs).</summary>
    public int AbandonedRunning => _abandoned.Running;

    /// <summary>Raised once per finished execution (not per request), for transition logs and metrics.</summary>
    public event Action<CheckSlot, CheckResult, CheckResult?>? Completed;

    /// <summary>The latest result, cached or not; <see langword="null"/> before the first execution ends.</summary>
    public CheckResult? Latest
    {
        get
        {
            lock (_gate)
            {
                return _hasResult ? _last : null;
            }
        }
    }

    /// <summary>
    /// The check's result: from the cache, from the execution in flight, or from a new execution. Completes
    /// synchronously (allocating nothing) for a cache hit and for an inline check.
    /// </summary>
    public ValueTask<CheckResult> GetResultAsync(CancellationToken requestAborted)
    {
        long now = 0;
        return GetResultAsync(ref now, requestAborted);
    }

    /// <param name="now">
    /// The <see cref="ProbeClock"/> time in ms read during this request, or 0 if none was yet: the clock is read only
    /// when needed, and the time is shared by the checks of one probe (one read per request for cache hits; an inline
    /// execution starts at it and leaves its end in it). Reading the clock is a good part of what a cached or inline
    /// answer costs.
    /// </param>
    /// <param name="requestAborted">Stops the wait (a shared execution goes on for the others).</param>
    public ValueTask<CheckResult> GetResultAsync(ref long now, CancellationToken requestAborted)
    {
        Task<CheckResult>? execution;
        Task<CheckResult>? inlineInFlight = null;
        CheckResult? previous = null;
        bool finishedAtOnce = false;
        lock (_gate)
        {
            if (_hasResult && _cacheMs > 0 && (now = now != 0 ? now : _clock.NowMs) - _lastCompletedAt < _cacheMs)
            {
                return new ValueTask<CheckResult>(_last with { Cached = true });
            }

            execution = _inFlight;
            if (execution is null && _inlineRunning)
            {
                // Another request is running this inline check right now: share its result, but answer at the timeout.
                inlineInFlight = (_inlineWaiters ??= new TaskCompletionSource<CheckResult>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            else if (execution is null && _abandoned.Running > 0)
            {
                // The last execution hung past its timeout and still holds a thread: do not start another.
                return new ValueTask<CheckResult>(new CheckResult(
                    HealthResult.Unhealthy("still hung: an earlier execution passed its timeout and has not ended"), CheckFailure.TimedOut, TimeSpan.Zero));
            }
            else if (execution is null && Check.Invocation == CheckInvocation.Inline)
            {
                _inlineRunning = true;
            }
            else if (execution is null)
            {
                execution = _executor.ExecuteAsync(Check, CancellationToken.None, _abandoned);
                if (execution.IsCompletedSuccessfully)
                {
                    previous = Remember(execution.Result, _clock.NowMs);
                    finishedAtOnce = true;
                }
                else
                {
                    _inFlight = execution;
                    execution.ContinueWith(static (finished, state) => ((CheckSlot)state!).OnFinished(finished), this,
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }

        if (inlineInFlight is not null)
        {
            return WaitForInlineAsync(inlineInFlight, requestAborted);
        }

        if (execution is null)
        {
            return new ValueTask<CheckResult>(RunInline(ref now)); // outside the lock: the check runs on this thread
        }

        if (finishedAtOnce)
        {
            Completed?.Invoke(this, execution.Result, previous); // outside the lock: observers log and record metrics
            return new ValueTask<CheckResult>(execution);
        }

        // A request that goes away stops waiting; the shared execution goes on for the others.
        return new ValueTask<CheckResult>(requestAborted.CanBeCanceled ? execution.WaitAsync(requestAborted) : execution);
    }

    /// <summary>
    /// Runs an inline check on this thread and hands its result to any request that arrived meanwhile. It is timed
    /// with the <see cref="ProbeClock"/>; a result that arrives after the timeout counts as timed out, as it would
    /// for an isolated check.
    /// </summary>
    private CheckResult RunInline(ref long now)
    {
        long started = now != 0 ? now : _clock.NowMs;
        HealthResult outcome = _executor.InvokeInline(Check);
        now = _clock.NowMs;
        TimeSpan duration = TimeSpan.FromMilliseconds(now - started);
        CheckResult result = duration > _timeout ? CheckExecutor.TimedOut(_timeout, duration) : new CheckResult(outcome, CheckExecutor.FailureOf(outcome), duration);
        CheckResult? previous;
        TaskCompletionSource<CheckResult>? waiters;
        lock (_gate)
        {
            _inlineRunning = false;
            previous = Remember(result, now);
            waiters = _inlineWaiters;
            _inlineWaiters = null;
        }

        waiters?.TrySetResult(result);
        Completed?.Invoke(this, result, previous);
        return result;
    }

    /// <summary>Waits for another request's inline execution, at most the check's timeout.</summary>
    private async ValueTask<CheckResult> WaitForInlineAsync(Task<CheckResult> execution, CancellationToken requestAborted)
    {
        long started = _time.GetTimestamp();
        try
        {
            return await execution.WaitAsync(_timeout, _time, requestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return CheckExecutor.TimedOut(_timeout, _time.GetElapsedTime(started));
        }
    }

    private void OnFinished(Task<CheckResult> finished)
    {
        if (!finished.IsCompletedSuccessfully)
        {
            return; // ExecuteAsync turns every failure into a result; nothing else to remember
        }

        CheckResult? previous;
        lock (_gate)
        {
            if (ReferenceEquals(_inFlight, finished))
            {
                _inFlight = null;
            }

            previous = Remember(finished.Result, _clock.NowMs);
        }

        Completed?.Invoke(this, finished.Result, previous);
    }

    /// <summary>Stores the newest result and returns the one before it. Caller holds the lock.</summary>
    private CheckResult? Remember(CheckResult result, long completedAt)
    {
        CheckResult? previous = _hasResult ? _last : null;
        _last = result;
        _lastCompletedAt = completedAt;
        _hasResult = true;
        return previous;
    }
}
