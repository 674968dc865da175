using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace HealthGen.Execution;

/// <summary>
/// One request waiting for a slot's execution. Reused: once the request has read its result the waiter goes back to
/// its slot, so waiting costs no task, no promise and no allocation in the steady state.
/// </summary>
/// <remarks>
/// A request that goes away stops waiting (its wait ends with <see cref="OperationCanceledException"/>); the execution
/// goes on for the others. Whichever comes first — the result or the abort — completes the waiter; the other is
/// ignored. An aborted waiter is not reused: the execution may still hold it, and must not complete somebody
/// else's wait with it later.
/// </remarks>
internal sealed class ResultWaiter : ResultSink, IValueTaskSource<CheckResult>
{
    private readonly CheckSlot _slot;
    private ManualResetValueTaskSourceCore<CheckResult> _core; // continuations run on the completing thread
    private CancellationTokenRegistration _abortRegistration;
    private const int Waiting = 0;
    private const int HasResult = 1;
    private const int Aborted = 2;

    private int _state;

    public ResultWaiter(CheckSlot slot) => _slot = slot;

    /// <summary>Starts a wait; <paramref name="requestAborted"/> ends it early.</summary>
    public ValueTask<CheckResult> Wait(CancellationToken requestAborted)
    {
        if (requestAborted.CanBeCanceled)
        {
            _abortRegistration = requestAborted.UnsafeRegister(static (state, token) => ((ResultWaiter)state!).Abort(token), this);
        }

        return new ValueTask<CheckResult>(this, _core.Version);
    }

    public override void OnResult(int position, in CheckResult result)
    {
        if (Interlocked.CompareExchange(ref _state, HasResult, Waiting) == Waiting)
        {
            _core.SetResult(result);
        }
    }

    private void Abort(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Aborted, Waiting) == Waiting)
        {
            _core.SetException(new OperationCanceledException(token));
        }
    }

    public CheckResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Waits for an abort callback that is running right now, so nothing touches this waiter once reused.
            _abortRegistration.Dispose();
            _abortRegistration = default;
            if (_state == HasResult)
            {
                _core.Reset();
                _state = Waiting;
                _slot.ReturnWaiter(this);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
