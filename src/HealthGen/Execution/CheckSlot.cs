using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Probes;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Execution;

/// <summary>
/// The one place a probe gets a check's result from. Concurrent requests share one execution (single flight), and
/// the latest result is reused for the check's cache duration, so N concurrent probes cost one execution per check
/// per cache window: a probe storm never becomes a database storm.
/// </summary>
/// <remarks>
/// <para>
/// Everything the slot knows is guarded by one lock: the latest result (<see cref="CheckState"/>), the execution in
/// flight (its answer is a <see cref="TaskCompletionSource{TResult}"/> every request of that execution awaits), the
/// execution's token source, and how many abandoned executions still hold a thread. Nothing slow runs under the lock.
/// </para>
/// <para>
/// An isolated execution ends for its requests when the check returns or when the slot's timer fires at the check's
/// timeout, whichever is first: a check that ignores its token still gets an answer on time, is abandoned (its token
/// cancelled), and disposes its scope whenever it does return. One timer and one token source per slot serve
/// execution after execution (the source is reset while it was never cancelled), so an execution costs its answer and
/// its own state machine — what keeps a cache miss within half of MapHealthChecks' bytes (docs/performance.md).
/// </para>
/// <para>
/// A shared execution belongs to no request: it is cancelled by its timeout or by the host's stop, never because one
/// waiting request went away (a request that goes away only stops waiting, see <see cref="ProbeRunner"/>). Failed
/// results are cached too, so a dependency that is down is not hammered by every probe while it recovers.
/// docs/architecture.md traces the paths through this class.
/// </para>
/// </remarks>
internal sealed class CheckSlot : IDisposable
{
    private readonly CheckExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ProbeClock _clock;
    private readonly long _cacheMs;
    private readonly TimeSpan _timeout;
    private readonly CheckResult _stillHung;
    private readonly long _periodMs; // > 0: a background check, run by the CheckScheduler; probes read its last result
    private readonly long _staleAfterMs;
    private readonly CheckResult _notRunYet;
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _onStopped;
    private readonly Lock _lock = new();

    private CheckState _state;
    private Running _running;
    private TaskCompletionSource<CheckResult>? _answer; // the running execution's answer; an inline one's only once somebody joins
    private long _execution; // numbers the executions, so one that was abandoned knows it when it ends
    private long _startedAt;
    private CancellationTokenSource _cancellation = new();
    private int _stillRunning;

    private enum Running
    {
        None,
        Inline,
        Isolated,
    }

    /// <param name="check">The check.</param>
    /// <param name="executor">What running it needs.</param>
    /// <param name="cacheDuration">How long a result is reused (on-demand checks).</param>
    /// <param name="runOnDemand">Run a background check (<c>PeriodMs</c> &gt; 0) on demand anyway: for callers without a scheduler (the <c>IHealthCheck</c> interop).</param>
    public CheckSlot(HealthCheckRegistration check, CheckExecutor executor, TimeSpan cacheDuration, bool runOnDemand = false)
    {
        Check = check;
        Path = HealthCheckSet.PathOf(check);
        _executor = executor;
        _time = executor.Time;
        _clock = new ProbeClock(_time);
        _cacheMs = (long)cacheDuration.TotalMilliseconds;
        _timeout = executor.TimeoutOf(check);
        _stillHung = CheckResult.Failed(check, "still hung: an earlier execution passed its timeout and has not ended", CheckFailure.TimedOut, TimeSpan.Zero);
        _periodMs = runOnDemand ? 0 : check.PeriodMs;
        _staleAfterMs = 3 * _periodMs + (long)_timeout.TotalMilliseconds;
        _notRunYet = CheckResult.NotRun($"no result yet: a background check, run every {check.PeriodMs} ms from start-up");
        using (WithoutFlow()) // the timer and the stop callback belong to no request
        {
            _timer = _time.CreateTimer(static slot => ((CheckSlot)slot!).TimeoutPassed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            // ApplicationStopped, not ApplicationStopping: while the application drains, checks keep working.
            _onStopped = executor.Stopped.UnsafeRegister(static slot => ((CheckSlot)slot!).CancelRunning(), this);
        }
    }

    public HealthCheckRegistration Check { get; }

    /// <summary>The check's path (<c>readyz/database</c>), computed once for logs and metrics.</summary>
    public string Path { get; }

    /// <summary>Whether this is a background check: the <see cref="CheckScheduler"/> runs it, probes read its last result.</summary>
    public bool IsBackground => _periodMs > 0;

    /// <summary>The period of a background check.</summary>
    public TimeSpan Period => TimeSpan.FromMilliseconds(_periodMs);

    /// <summary>
    /// The slots of the checks this one depends on (same probe; resolvers: same kind), set once when the probe is built.
    /// A probe does not run it while one of them is not passing (<see cref="ProbeRunner"/>), nor does the scheduler.
    /// </summary>
    public CheckSlot[] Dependencies { get; set; } = [];

    /// <summary>The latest transitions of the check's raw status, oldest first (for the details endpoint).</summary>
    public CheckTransition[] History
    {
        get
        {
            lock (_lock)
            {
                return _state.History ?? [];
            }
        }
    }

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
            if (_periodMs > 0)
            {
                return new ValueTask<CheckResult>(LastBackgroundResultLocked(now)); // never run here, never waited for
            }

            if (_state.IsFresh(now, _cacheMs))
            {
                return new ValueTask<CheckResult>(_state.Result with { Cached = true });
            }

            if (_running == Running.Inline)
            {
                // Another request is running it on its thread right now: share its result, but answer at the timeout.
                _answer ??= new TaskCompletionSource<CheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                return new ValueTask<CheckResult>(JoinInlineAsync(_answer.Task));
            }

            if (_running == Running.Isolated)
            {
                return new ValueTask<CheckResult>(_answer!.Task);
            }

            if (_stillRunning > 0)
            {
                return new ValueTask<CheckResult>(_stillHung); // the last execution hung past its timeout and still holds a thread
            }

            if (Check.Invocation != CheckInvocation.Inline)
            {
                return new ValueTask<CheckResult>(StartIsolatedLocked());
            }

            _running = Running.Inline;
        }

        return new ValueTask<CheckResult>(RunInline(now));
    }

    /// <summary>
    /// A scheduled run of a background check: one execution now, whatever the cache, unless one is running or an
    /// abandoned one still hangs (then that one's answer, or "still hung", and nothing is started).
    /// </summary>
    public Task<CheckResult> RunScheduledAsync()
    {
        long now = _clock.NowMs;
        lock (_lock)
        {
            if (_running != Running.None)
            {
                return _running == Running.Isolated ? _answer!.Task : Task.FromResult(_stillHung); // scheduled runs never overlap
            }

            if (_stillRunning > 0)
            {
                return Task.FromResult(_stillHung);
            }

            if (Check.Invocation != CheckInvocation.Inline)
            {
                return StartIsolatedLocked();
            }

            _running = Running.Inline;
        }

        return Task.FromResult(RunInline(now));
    }

    /// <summary>A background check's last result for a probe: none yet is "unchecked"; one older than the schedule allows, failed.</summary>
    private CheckResult LastBackgroundResultLocked(long now)
    {
        if (!_state.HasResult)
        {
            return _notRunYet;
        }

        long age = now - _state.CompletedAtMs;
        return age > _staleAfterMs
            ? CheckResult.Failed(Check, $"stale: the last result is {age} ms old, the schedule runs every {_periodMs} ms", CheckFailure.Stale, _state.Result.Duration)
            : _state.Result with { Cached = true };
    }

    /// <summary>Releases the slot's timer and its registration on the host's stop.</summary>
    public void Dispose()
    {
        _onStopped.Dispose();
        _timer.Dispose();
    }

    /// <summary>Starts an isolated execution and its timeout; every request until it ends gets its answer. Caller holds the lock.</summary>
    private Task<CheckResult> StartIsolatedLocked()
    {
        _running = Running.Isolated;
        // Continuations run where the answer is set — at the end of the execution or in the timer callback, outside the
        // lock — rather than one thread-pool hop later.
        _answer = new TaskCompletionSource<CheckResult>();
        _startedAt = _time.GetTimestamp();
        _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
        if (_executor.Stopped.IsCancellationRequested)
        {
            _cancellation.Cancel(); // started after the host stopped: nothing registered on the token yet, nothing runs here
        }

        // The execution belongs to no request: it must not run in the execution context (Activity, async-locals) of
        // whichever request happens to start it. It leaves this thread before it does anything (see RunIsolatedAsync).
        using (WithoutFlow())
        {
            _ = RunIsolatedAsync(++_execution, _cancellation.Token);
        }

        return _answer.Task;
    }

    /// <summary>
    /// One isolated execution, on the thread pool. Every failure of the check, of resolving its services or of disposing
    /// them becomes its result.
    /// </summary>
    private async Task RunIsolatedAsync(long execution, CancellationToken cancellationToken)
    {
        // Onto the thread pool, whatever the caller's synchronization context, and out of the lock the caller holds: a
        // check that blocks before its first await must not hold the caller, or the timeout could not answer on time.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        HealthResult result;
        try
        {
            // IsolatedWithoutScope: the invoker takes nothing from the provider, so no scope is made for it.
            result = Check.Invocation == CheckInvocation.IsolatedWithoutScope
                ? await Check.Invoke(_executor.Services, cancellationToken).ConfigureAwait(false)
                : await InvokeInScopeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            result = CheckResult.FromException(Check, exception);
        }

        IsolatedExecutionReturned(execution, result, cancellationToken);
    }

    /// <summary>The check in a DI scope of its own, disposed when it returns.</summary>
    /// <remarks>Awaited once, by <see cref="RunIsolatedAsync"/>: its state machine is pooled, a cache miss allocates it once per thread.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HealthResult> InvokeInScopeAsync(CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = _executor.Scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await Check.Invoke(scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The check returned: its result answers the execution's requests, unless the timeout answered them already.</summary>
    private void IsolatedExecutionReturned(long execution, HealthResult outcome, CancellationToken cancellationToken)
    {
        TimeSpan duration = _time.GetElapsedTime(_startedAt);
        CheckResult result = cancellationToken.IsCancellationRequested && outcome.Exception is OperationCanceledException
            ? CheckResult.Failed(Check, "The check was cancelled: the application has stopped.", CheckFailure.Cancelled, duration)
            : CheckResult.Of(outcome, duration);
        long now = _clock.NowMs;
        HealthStatus? previous;
        TaskCompletionSource<CheckResult> answer;
        lock (_lock)
        {
            if (execution != _execution || _running != Running.Isolated)
            {
                _stillRunning--; // abandoned at its timeout: the slot answered then, and may have run others since
                return;
            }

            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (!_cancellation.TryReset())
            {
                _cancellation = new CancellationTokenSource(); // cancelled by the host's stop
            }

            previous = Store(ref result, now);
            answer = _answer!;
            _answer = null;
            _running = Running.None;
        }

        Completed?.Invoke(this, in result, previous);
        answer.SetResult(result);
    }

    /// <summary>
    /// The slot's timer fired. It may fire a little early, or for an execution that has ended since (a later one may be
    /// running): only a running execution past its own deadline times out; one not yet there sets the timer again.
    /// </summary>
    private void TimeoutPassed()
    {
        CheckResult result;
        HealthStatus? previous;
        TaskCompletionSource<CheckResult> answer;
        CancellationTokenSource abandoned;
        lock (_lock)
        {
            if (_running != Running.Isolated)
            {
                return;
            }

            TimeSpan elapsed = _time.GetElapsedTime(_startedAt);
            if (elapsed < _timeout)
            {
                _timer.Change(_timeout - elapsed, Timeout.InfiniteTimeSpan);
                return;
            }

            result = CheckResult.TimedOut(Check, _timeout, elapsed);
            previous = Store(ref result, _clock.NowMs);
            answer = _answer!;
            _answer = null;
            _running = Running.None;
            _stillRunning++; // until the abandoned execution returns
            abandoned = _cancellation;
            _cancellation = new CancellationTokenSource(); // the abandoned execution keeps its cancelled token
        }

        Cancel(abandoned); // outside the lock: the check's own callbacks on its token run here
        Completed?.Invoke(this, in result, previous);
        answer.SetResult(result);
    }

    /// <summary>The host has stopped: the running execution's token is cancelled (it ends when the check honours it, or at its timeout).</summary>
    private void CancelRunning()
    {
        CancellationTokenSource cancellation;
        lock (_lock)
        {
            cancellation = _cancellation;
        }

        Cancel(cancellation);
    }

    private static void Cancel(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (AggregateException)
        {
            // A callback the check registered on its token threw; the check's own result reports what happened.
        }
    }

    /// <summary>
    /// Runs an inline check on this thread (the caller marked it running) and hands its result to the requests that
    /// joined meanwhile. It is timed on the <see cref="ProbeClock"/>; a result that arrives after the timeout counts as
    /// timed out, as it would for an isolated check.
    /// </summary>
    private CheckResult RunInline(long started)
    {
        HealthResult outcome = _executor.InvokeInline(Check); // turns every failure into a result: the slot is always released
        long now = _clock.NowMs;
        var duration = TimeSpan.FromMilliseconds(now - started);
        CheckResult result = duration > _timeout ? CheckResult.TimedOut(Check, _timeout, duration) : CheckResult.Of(outcome, duration);
        HealthStatus? previous;
        TaskCompletionSource<CheckResult>? joiners;
        lock (_lock)
        {
            previous = Store(ref result, now);
            _running = Running.None;
            joiners = _answer;
            _answer = null;
        }

        Completed?.Invoke(this, in result, previous);
        joiners?.SetResult(result);
        return result;
    }

    private async Task<CheckResult> JoinInlineAsync(Task<CheckResult> execution)
    {
        long started = _time.GetTimestamp();
        try
        {
            // ForceYielding: a timer callback never goes on to run the joining request's code.
            return await execution.WaitAsync(_timeout, _time).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (TimeoutException)
        {
            return CheckResult.TimedOut(Check, _timeout, _time.GetElapsedTime(started));
        }
    }

    /// <summary>Suppresses the flow of the execution context until disposed (nothing, if it is suppressed already).</summary>
    private static AsyncFlowControl? WithoutFlow() => ExecutionContext.IsFlowSuppressed() ? null : ExecutionContext.SuppressFlow();

    /// <summary>
    /// Stores an execution's raw <paramref name="result"/> and replaces it with the result as reported (the failure
    /// streak, and the tolerated status within the failure threshold); returns the reported status before it. Caller
    /// holds the lock.
    /// </summary>
    private HealthStatus? Store(ref CheckResult result, long completedAtMs)
    {
        HealthStatus? previous = _state.Status;
        _state = _state.After(result, completedAtMs, Check.FailureThreshold, _time);
        result = _state.Result;
        return previous;
    }
}
