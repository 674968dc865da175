using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Execution;

/// <summary>
/// A slot's execution of an isolated check: on the thread pool, in its own DI scope, under its own timeout. The
/// slot reuses one of these for execution after execution (single flight means one runs at a time), so a check
/// that passes costs no allocation of ours: the object is its own thread-pool work item and its own continuation,
/// and its timer and cancellation source are reset, not rebuilt.
/// </summary>
/// <remarks>
/// <para>
/// Whichever comes first ends the execution for the waiting requests: the check's result, or the timer at the
/// check's timeout. At the timeout the check's token is cancelled and the execution is abandoned: it goes on in the
/// background (a check that ignores its token and blocks holds its thread until it returns), disposes its scope
/// when it ends, and is never reused.
/// </para>
/// <para>
/// The execution belongs to no request, so it does not run in any request's execution context (no
/// <see cref="System.Diagnostics.Activity"/> or async-local of whichever request happened to start it).
/// </para>
/// </remarks>
internal sealed class IsolatedExecution : IThreadPoolWorkItem, IDisposable
{
    // _run: the number of the execution (its generation) times 4 plus its phase, changed as one value, so the timer
    // can never time out an execution that began after the one it looked at.
    private const long Idle = 0;
    private const long Running = 1;
    private const long Finished = 2;
    private const long TimedOut = 3;
    private const long PhaseMask = 3;
    private const long NextGeneration = 4;

    private readonly CheckSlot _slot;
    private readonly HealthCheckRegistration _check;
    private readonly IServiceScopeFactory _scopes;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _stoppedRegistration;
    private readonly Action _onInvocationCompleted;
    private CancellationTokenSource _cancellation = new();
    private AsyncServiceScope? _scope; // none for IsolatedWithoutScope
    private ValueTask<HealthResult> _invocation;
    private long _started;
    private long _run;
    private int _timerArmed; // 1 while the timer is set to fire (or firing); see Start and OnTimer

    public IsolatedExecution(CheckSlot slot, HealthCheckRegistration check, CheckExecutor executor, TimeProvider time, TimeSpan timeout)
    {
        _slot = slot;
        _check = check;
        _scopes = executor.Scopes;
        _services = executor.Services;
        _time = time;
        _timeout = timeout;
        _onInvocationCompleted = OnInvocationCompleted;
        bool restoreFlow = !ExecutionContext.IsFlowSuppressed();
        if (restoreFlow)
        {
            ExecutionContext.SuppressFlow(); // the timer outlives the request that happens to create it
        }

        try
        {
            _timer = time.CreateTimer(static state => ((IsolatedExecution)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            // ApplicationStopped, not ApplicationStopping: while the application drains, checks keep working.
            _stoppedRegistration = executor.Stopped.UnsafeRegister(static state => ((IsolatedExecution)state!).Cancel(), this);
        }
        finally
        {
            if (restoreFlow)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    /// <summary>Starts the check on the thread pool and its timeout. The slot calls this under its lock.</summary>
    /// <param name="startedAt">
    /// The execution's start on the precise clock (<see cref="ExecutionStart"/>): its duration and its timeout count from it.
    /// </param>
    /// <remarks>
    /// The timer is armed only if it is not armed already: an execution that ends does not disarm it. Setting a timer
    /// costs a lock on the runtime's timer queue each way (70–110 ns here, twice per execution), and nearly every
    /// execution ends long before its timeout. A timer still armed by an earlier execution fires before this one's
    /// deadline, or within microseconds after it (that one started earlier, or later by at most the microseconds
    /// between one probe's shared start and this call, with the same timeout), as does a timer armed here for the
    /// whole timeout; <see cref="OnTimer"/> then times this one out, or sets the timer again for the
    /// rest of this one's time, or, finding no execution running, leaves it unarmed for the next <see cref="Start"/>.
    /// </remarks>
    public void Start(long startedAt)
    {
        _started = startedAt;
        long run = Volatile.Read(ref _run);
        Interlocked.Exchange(ref _run, (run & ~PhaseMask) + NextGeneration + Running); // a full fence: see OnTimer
        if (Volatile.Read(ref _timerArmed) == 0 && Interlocked.CompareExchange(ref _timerArmed, 1, 0) == 0)
        {
            _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
        }

        // Not inline: a check that blocks before its first await must not hold the request's thread, or the
        // timeout could not answer on time. Local queue: the request thread, about to wait, usually runs it.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            IServiceProvider services = _services; // IsolatedWithoutScope: the invoker takes nothing from it
            if (_check.Invocation != CheckInvocation.IsolatedWithoutScope)
            {
                AsyncServiceScope scope = _scopes.CreateAsyncScope();
                _scope = scope;
                services = scope.ServiceProvider;
            }

            _invocation = _check.Invoke(services, _cancellation.Token);
        }
        catch (Exception exception)
        {
            // Resolving the check's services, or the check itself, threw before returning a task.
            _invocation = new ValueTask<HealthResult>(CheckExecutor.FromException(exception));
        }

        if (_invocation.IsCompleted)
        {
            OnInvocationCompleted();
        }
        else
        {
            _invocation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onInvocationCompleted);
        }
    }

    private void OnInvocationCompleted()
    {
        HealthResult result;
        try
        {
            result = _invocation.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            result = CheckExecutor.FromException(exception);
        }

        _invocation = default;
        ValueTask disposal;
        try
        {
            disposal = _scope?.DisposeAsync() ?? default;
        }
        catch (Exception exception)
        {
            disposal = default;
            result = CheckExecutor.FromException(exception);
        }

        if (disposal.IsCompletedSuccessfully)
        {
            _scope = null;
            End(result);
        }
        else
        {
            _ = EndAfterDisposalAsync(disposal, result);
        }
    }

    /// <summary>A scope whose services dispose asynchronously: the execution ends once they have.</summary>
    private async Task EndAfterDisposalAsync(ValueTask disposal, HealthResult result)
    {
        try
        {
            await disposal.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            result = CheckExecutor.FromException(exception);
        }

        _scope = null;
        End(result);
    }

    /// <summary>The check returned: its result goes to the slot, unless the timeout has already answered.</summary>
    private void End(HealthResult result)
    {
        long run = Volatile.Read(ref _run);
        if ((run & PhaseMask) != Running || Interlocked.CompareExchange(ref _run, run - Running + Finished, run) != run)
        {
            _slot.OnAbandonedEnded(); // timed out earlier; the slot answered then
            Dispose();
            return;
        }

        TimeSpan duration = _time.GetElapsedTime(_started);
        CheckResult outcome = _cancellation.IsCancellationRequested && result.Exception is OperationCanceledException
            ? new CheckResult(HealthResult.Unhealthy("The check was cancelled: the application has stopped."), CheckFailure.Cancelled, duration)
            : new CheckResult(result, CheckExecutor.FailureOf(result), duration);

        // Ready for the next execution before the slot may start it: a source that was cancelled (shutdown) is replaced.
        if (!_cancellation.TryReset())
        {
            CancellationTokenSource spent = _cancellation;
            _cancellation = new CancellationTokenSource();
            spent.Dispose();
        }

        Volatile.Write(ref _run, run - Running + Idle);
        _slot.OnExecutionEnded(this, outcome);
    }

    /// <summary>
    /// The timer fired. It may fire early — armed by an earlier execution, or a little early as timers may — or with
    /// no execution running: only a running execution past its deadline times out; one not yet there sets the timer
    /// for the rest; with none running the timer stays unarmed until the next <see cref="Start"/>.
    /// </summary>
    private void OnTimer()
    {
        while (true)
        {
            long run = Volatile.Read(ref _run);
            if ((run & PhaseMask) != Running)
            {
                // Unarm, then look again: a Start that saw the timer still armed (and so did not arm it) has made its
                // execution visible before that look (both sides use a full fence), and is timed from here.
                Interlocked.Exchange(ref _timerArmed, 0);
                if ((Volatile.Read(ref _run) & PhaseMask) != Running || Interlocked.CompareExchange(ref _timerArmed, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            TimeSpan elapsed = _time.GetElapsedTime(Volatile.Read(ref _started)); // this execution's, or a later one's (then it is not late)
            if (elapsed < _timeout)
            {
                _timer.Change(_timeout - elapsed, Timeout.InfiniteTimeSpan);
                return;
            }

            if (Interlocked.CompareExchange(ref _run, run - Running + TimedOut, run) != run)
            {
                continue; // it returned meanwhile, or a later execution began: look again
            }

            _slot.OnExecutionAbandoned(this, CheckExecutor.TimedOut(_timeout, elapsed));
            Cancel();
            return;
        }
    }

    private void Cancel()
    {
        try
        {
            Volatile.Read(ref _cancellation).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The execution ended and was discarded meanwhile.
        }
        catch (AggregateException)
        {
            // A callback the check registered on its token threw; the check's own result reports what happened.
        }
    }

    public void Dispose()
    {
        _stoppedRegistration.Dispose();
        _timer.Dispose();
        _cancellation.Dispose();
    }
}
