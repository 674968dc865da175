using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>An execution of <paramref name="slot"/>'s check ended with <paramref name="result"/>; <paramref name="previous"/> is the status before it.</summary>
internal delegate void CheckCompleted(CheckSlot slot, in CheckResult result, HealthStatus? previous);

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
    /// <summary>See <see cref="TryHealthyAtOnce"/>.</summary>
    internal enum AtOnce
    {
        Healthy,
        Ran,
        Ask,
    }

    private readonly CheckExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ProbeClock _clock;
    private readonly long _cacheMs;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();

    // Isolated checks: the execution in flight, the one kept for the next execution, and who waits.
    private IsolatedExecution? _running;
    private IsolatedExecution? _idle;
    private ResultSink? _firstWaiter;
    private int _firstPosition;
    private List<(ResultSink Sink, int Position)>? _moreWaiters;
    private ResultWaiter? _spareWaiter;
    private int _abandonedRunning;

    // Inline checks: whether one is running (claimed without the lock), and who joined it (under the lock).
    private const int InlineIdle = 0;
    private const int InlineRunning = 1;
    private const int InlineRunningWithWaiters = 2;
    private int _inlineState;
    private TaskCompletionSource<CheckResult>? _inlineWaiters;

    // The latest result, written under the lock and read without it on a cache hit: a sequence lock. _version is
    // odd while a write is in progress and 0 before the first result; a reader that sees the same even version before
    // and after reading the fields (each read in order, Volatile) has a consistent copy, else it does not use it.
    private long _version;
    private int _lastStatus;
    private string? _lastDescription;
    private Exception? _lastException;
    private int _lastFailure;
    private long _lastDurationTicks;
    private long _lastCompletedAt;

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
    public int AbandonedRunning => Volatile.Read(ref _abandonedRunning);

    /// <summary>
    /// Raised once per finished execution (not per request), with the status before it (none before the first), for
    /// transition logs and metrics.
    /// </summary>
    public event CheckCompleted? Completed;

    /// <summary>The latest result, cached or not; <see langword="null"/> before the first execution ends.</summary>
    public CheckResult? Latest
    {
        get
        {
            while (true)
            {
                long version = Volatile.Read(ref _version);
                if (version == 0)
                {
                    return null;
                }

                CheckResult latest = ReadLast();
                if ((version & 1) == 0 && Volatile.Read(ref _version) == version)
                {
                    return latest;
                }

                Thread.Yield(); // a write is in progress
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
        if (TryGetCached(ref now, out CheckResult cached))
        {
            return new ValueTask<CheckResult>(cached); // no lock: the common case
        }

        if (Check.Invocation == CheckInvocation.Inline)
        {
            return GetInlineResult(ref now, requestAborted);
        }

        lock (_gate)
        {
            if (TryAnswerLocked(ref now, out cached))
            {
                return new ValueTask<CheckResult>(cached);
            }

            ResultWaiter waiter = Interlocked.Exchange(ref _spareWaiter, null) ?? new ResultWaiter(this);
            ValueTask<CheckResult> wait = waiter.Wait(requestAborted);
            var start = default(ExecutionStart);
            SubscribeLocked(waiter, 0, ref start);
            return wait;
        }
    }

    /// <summary>The result if it is cached and still fresh, read without the lock: a probe asks this first.</summary>
    /// <param name="now">As for <see cref="GetResultAsync(ref long, CancellationToken)"/>.</param>
    /// <param name="cached">The cached result.</param>
    public bool TryGetCached(ref long now, out CheckResult cached)
    {
        if (_cacheMs > 0)
        {
            return TryReadFresh(ref now, out cached);
        }

        cached = default;
        return false;
    }

    /// <summary>
    /// An isolated check's result for a probe that collects several, after <see cref="TryGetCached"/> said no:
    /// <see langword="true"/> with the result when it is at hand after all (an execution ended meanwhile, or the check
    /// hangs); otherwise <paramref name="sink"/> gets it at <paramref name="position"/> when the execution in flight (or a
    /// new one) ends, possibly before this returns.
    /// </summary>
    /// <param name="now">As for <see cref="GetResultAsync(ref long, CancellationToken)"/>.</param>
    /// <param name="start">The probe's <see cref="ExecutionStart"/>, if this starts an execution.</param>
    /// <param name="sink">Who gets the result later; it must be ready for it before this is called.</param>
    /// <param name="position">Handed back with the result.</param>
    /// <param name="result">The result, when at hand.</param>
    public bool TryGetOrSubscribe(ref long now, ref ExecutionStart start, ResultSink sink, int position, out CheckResult result)
    {
        lock (_gate)
        {
            if (TryAnswerLocked(ref now, out result))
            {
                return true;
            }

            SubscribeLocked(sink, position, ref start);
            return false;
        }
    }

    /// <summary>An isolated check's answer without an execution: the cache, filled meanwhile, or a hung check. Caller holds the lock.</summary>
    private bool TryAnswerLocked(ref long now, out CheckResult result)
    {
        if (TryGetCached(ref now, out result))
        {
            return true; // an execution ended meanwhile
        }

        if (_running is null && _abandonedRunning > 0)
        {
            // The last execution hung past its timeout and still holds a thread: do not start another.
            result = new CheckResult(
                HealthResult.Unhealthy("still hung: an earlier execution passed its timeout and has not ended"), CheckFailure.TimedOut, TimeSpan.Zero);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary><paramref name="sink"/> waits for the execution in flight, started now if there is none. Caller holds the lock.</summary>
    private void SubscribeLocked(ResultSink sink, int position, ref ExecutionStart start)
    {
        if (_firstWaiter is null)
        {
            _firstWaiter = sink;
            _firstPosition = position;
        }
        else
        {
            (_moreWaiters ??= []).Add((sink, position));
        }

        if (_running is null)
        {
            _running = _idle ?? new IsolatedExecution(this, Check, _executor, _time, _timeout);
            _idle = null;
            _running.Start(start.On(_time));
        }
    }

    /// <summary>
    /// An inline check: run it on this thread if no other request is running it (claimed without a lock: the common
    /// case is one request at a time), else join that execution.
    /// </summary>
    private ValueTask<CheckResult> GetInlineResult(ref long now, CancellationToken requestAborted)
    {
        if (!TryClaimInline())
        {
            ValueTask<CheckResult>? joined = JoinOrClaimInline(requestAborted);
            if (joined is { } waiting)
            {
                return waiting;
            }
        }

        return new ValueTask<CheckResult>(RunClaimed(ref now));
    }

    private bool TryClaimInline() => Interlocked.CompareExchange(ref _inlineState, InlineRunning, InlineIdle) == InlineIdle;

    /// <summary>
    /// The caller holds the inline claim: runs the check, unless another request's execution filled the cache since
    /// this one looked (then gives the claim back and answers from the cache).
    /// </summary>
    private CheckResult RunClaimed(ref long now)
        => TryGetCached(ref now, out CheckResult cached) ? ReleaseInline(cached) : RunInline(ref now);

    /// <summary>Joins the inline execution another request is running, or claims the check if that one has ended (null).</summary>
    private ValueTask<CheckResult>? JoinOrClaimInline(CancellationToken requestAborted)
    {
        lock (_gate)
        {
            while (true)
            {
                int state = Volatile.Read(ref _inlineState);
                if (state == InlineIdle)
                {
                    if (TryClaimInline())
                    {
                        return null; // it ended meanwhile: the caller runs it, outside the lock
                    }

                    continue;
                }

                // Another request is running it right now: share its result, but answer at the timeout.
                TaskCompletionSource<CheckResult> waiters = _inlineWaiters ??= new TaskCompletionSource<CheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (state == InlineRunningWithWaiters
                    || Interlocked.CompareExchange(ref _inlineState, InlineRunningWithWaiters, InlineRunning) == InlineRunning)
                {
                    return WaitForInlineAsync(waiters.Task, requestAborted);
                }
            }
        }
    }

    /// <summary>
    /// Runs an inline check on this thread (the caller holds the claim) and hands its result to any request that
    /// joined meanwhile. It is timed with the <see cref="ProbeClock"/>; a result that arrives after the timeout counts
    /// as timed out, as it would for an isolated check. The claim makes this the only writer of the latest result, so
    /// it stores it without the lock.
    /// </summary>
    private CheckResult RunInline(ref long now)
    {
        long started = now != 0 ? now : _clock.NowMs;
        HealthResult outcome = _executor.InvokeInline(Check); // turns every failure into a result: the claim is always given back
        now = _clock.NowMs;
        TimeSpan duration = TimeSpan.FromMilliseconds(now - started);
        CheckResult result = duration > _timeout ? CheckExecutor.TimedOut(_timeout, duration) : new CheckResult(outcome, CheckExecutor.FailureOf(outcome), duration);
        HealthStatus? previous = Remember(result, now);
        ReleaseInline(result);
        Completed?.Invoke(this, in result, previous);
        return result;
    }

    /// <summary>Gives the claim back and answers the requests that joined, if any, with <paramref name="result"/>.</summary>
    private CheckResult ReleaseInline(CheckResult result)
    {
        if (Interlocked.Exchange(ref _inlineState, InlineIdle) == InlineRunningWithWaiters)
        {
            TaskCompletionSource<CheckResult>? waiters;
            lock (_gate)
            {
                waiters = _inlineWaiters;
                _inlineWaiters = null;
            }

            waiters?.TrySetResult(result);
        }

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

    /// <summary>An isolated execution returned in time: remember its result, keep the execution for the next one, answer the waiters.</summary>
    internal void OnExecutionEnded(IsolatedExecution execution, CheckResult result)
    {
        HealthStatus? previous;
        Waiters waiters;
        lock (_gate)
        {
            previous = Remember(result, _clock.NowMs);
            waiters = TakeWaiters(execution);
            _idle = execution;
        }

        Answer(waiters, result, previous);
    }

    /// <summary>An isolated execution passed its timeout: answer the waiters with that; it goes on, abandoned.</summary>
    internal void OnExecutionAbandoned(IsolatedExecution execution, CheckResult result)
    {
        HealthStatus? previous;
        Waiters waiters;
        lock (_gate)
        {
            _abandonedRunning++;
            previous = Remember(result, _clock.NowMs);
            waiters = TakeWaiters(execution);
        }

        Answer(waiters, result, previous);
    }

    /// <summary>An abandoned execution finally returned (its result was answered as a timeout long ago).</summary>
    internal void OnAbandonedEnded()
    {
        lock (_gate)
        {
            _abandonedRunning--;
        }
    }

    internal void ReturnWaiter(ResultWaiter waiter) => Volatile.Write(ref _spareWaiter, waiter);

    /// <summary>Who waited for an execution that ended, taken out of the slot under its lock.</summary>
    private readonly record struct Waiters(ResultSink? First, int FirstPosition, List<(ResultSink Sink, int Position)>? More);

    /// <summary>Ends the execution in flight and takes its waiters. Caller holds the lock.</summary>
    private Waiters TakeWaiters(IsolatedExecution execution)
    {
        if (ReferenceEquals(_running, execution))
        {
            _running = null;
        }

        var waiters = new Waiters(_firstWaiter, _firstPosition, _moreWaiters);
        _firstWaiter = null;
        _moreWaiters = null;
        return waiters;
    }

    /// <summary>
    /// Outside the lock: observers log and record metrics, then the waiters get the result here (so a request that
    /// has the result finds its transition already logged).
    /// </summary>
    private void Answer(in Waiters waiters, CheckResult result, HealthStatus? previous)
    {
        Completed?.Invoke(this, in result, previous);
        waiters.First?.OnResult(waiters.FirstPosition, in result);
        if (waiters.More is { } more)
        {
            foreach ((ResultSink sink, int position) in more)
            {
                sink.OnResult(position, in result);
            }
        }
    }

    /// <summary>
    /// What a plain all-healthy answer needs of a check, without waiting and without handing a result around:
    /// <see cref="AtOnce.Healthy"/> for a fresh healthy cached result or an inline check run here that was healthy;
    /// <see cref="AtOnce.Ran"/> with the result when it ran here (or was cached) and is not healthy;
    /// <see cref="AtOnce.Ask"/> when the result has to come from <see cref="GetResultAsync(ref long, CancellationToken)"/>
    /// (an isolated check, an expired cache, or an inline check another request is running).
    /// </summary>
    /// <param name="now">As for <see cref="GetResultAsync(ref long, CancellationToken)"/>.</param>
    /// <param name="result">The result, for <see cref="AtOnce.Ran"/>.</param>
    public AtOnce TryHealthyAtOnce(ref long now, out CheckResult result)
    {
        result = default;
        if (IsFreshAndHealthy(ref now))
        {
            return AtOnce.Healthy;
        }

        if (Check.Invocation != CheckInvocation.Inline || !TryClaimInline())
        {
            return AtOnce.Ask;
        }

        CheckResult outcome = RunClaimed(ref now);
        if (outcome.Status == HealthStatus.Healthy)
        {
            return AtOnce.Healthy;
        }

        result = outcome;
        return AtOnce.Ran;
    }

    /// <summary>
    /// Whether the cached result is fresh and healthy: all a plain all-healthy answer needs to know of a check, read
    /// without the lock and without copying the result.
    /// </summary>
    /// <param name="now">As for <see cref="GetResultAsync(ref long, CancellationToken)"/>.</param>
    private bool IsFreshAndHealthy(ref long now)
    {
        long version = Volatile.Read(ref _version);
        return _cacheMs > 0
            && version != 0 && (version & 1) == 0
            && Volatile.Read(ref _lastStatus) == (int)HealthStatus.Healthy
            && Volatile.Read(ref _lastCompletedAt) is long completedAt
            && Volatile.Read(ref _version) == version
            && (now = now != 0 ? now : _clock.NowMs) - completedAt < _cacheMs;
    }

    /// <summary>The cached result if it is still fresh, read without the lock (see <see cref="_version"/>).</summary>
    private bool TryReadFresh(ref long now, out CheckResult cached)
    {
        long version = Volatile.Read(ref _version);
        if (version != 0 && (version & 1) == 0)
        {
            long completedAt = Volatile.Read(ref _lastCompletedAt);
            CheckResult last = ReadLast();
            if (Volatile.Read(ref _version) == version && (now = now != 0 ? now : _clock.NowMs) - completedAt < _cacheMs)
            {
                cached = last with { Cached = true };
                return true;
            }
        }

        cached = default;
        return false;
    }

    /// <summary>The latest result's fields, read in order (consistent only if <see cref="_version"/> did not change meanwhile).</summary>
    private CheckResult ReadLast()
    {
        var status = (HealthStatus)Volatile.Read(ref _lastStatus);
        string? description = Volatile.Read(ref _lastDescription);
        Exception? exception = Volatile.Read(ref _lastException);
        var failure = (CheckFailure)Volatile.Read(ref _lastFailure);
        return new CheckResult(HealthResult.Of(status, description, exception), failure, new TimeSpan(Volatile.Read(ref _lastDurationTicks)));
    }

    /// <summary>
    /// Stores the newest result and returns the status before it. The caller is the only writer: it holds the lock
    /// (isolated checks) or the inline claim (inline checks; a check is one or the other).
    /// </summary>
    private HealthStatus? Remember(CheckResult result, long completedAt)
    {
        long version = _version;
        HealthStatus? previous = version != 0 ? (HealthStatus)_lastStatus : null;
        Volatile.Write(ref _version, version + 1); // odd: readers retry
        Volatile.Write(ref _lastStatus, (int)result.Status);
        // References are written only when they change: a write barrier per field per execution adds up on the
        // liveness path, where the same healthy result (no description, no exception) is stored on every request.
        if (!ReferenceEquals(_lastDescription, result.Result.Description))
        {
            Volatile.Write(ref _lastDescription, result.Result.Description);
        }

        if (!ReferenceEquals(_lastException, result.Result.Exception))
        {
            Volatile.Write(ref _lastException, result.Result.Exception);
        }

        Volatile.Write(ref _lastFailure, (int)result.Failure);
        Volatile.Write(ref _lastDurationTicks, result.Duration.Ticks);
        Volatile.Write(ref _lastCompletedAt, completedAt);
        Volatile.Write(ref _version, version + 2);
        return previous;
    }
}
