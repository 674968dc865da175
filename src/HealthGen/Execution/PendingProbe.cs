using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace HealthGen.Execution;

/// <summary>
/// A probe waiting for the results of checks that are still running, then making its answer: the asynchronous part of
/// <see cref="ProbeRunner"/>. Written out rather than as an async method so a probe that waits costs no state machine:
/// each <see cref="ProbeChecks"/> keeps a spare one, and it is its own <see cref="IValueTaskSource{TResult}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Isolated checks hand their results to it directly (it is their <see cref="ResultSink"/>): each result goes into its
/// report at the check's position as it comes, on whatever thread ended that execution, and the last one to come
/// completes the answer, whose continuation runs right there. No waiter, task or continuation per check.
/// </para>
/// <para>
/// A check it waits for through a <see cref="ValueTask{TResult}"/> instead (an inline check another request is running)
/// counts down the same way and is read once, when the answer is made.
/// </para>
/// <para>
/// The request's abort is registered once for the probe, not once per check. A probe whose request went away ends at
/// once with <see cref="OperationCanceledException"/>; slots may still hold it and hand it results later, so it is
/// never reused (nor is its reports array, which those results may still be written into).
/// </para>
/// <para>
/// An async method rented its state machine from a per-thread pool that misses whenever a request starts on one thread
/// and its last check ends on another (always, under BenchmarkDotNet; sometimes, under Kestrel), and copied every
/// result through its own fields.
/// </para>
/// </remarks>
internal sealed class PendingProbe<TAnswer> : ResultSink, IValueTaskSource<TAnswer>
{
    private const int Collecting = 0;
    private const int Answered = 1;
    private const int Aborted = 2;

    private readonly ProbeChecks _owner;
    private readonly ValueTask<CheckResult>[] _pending;
    private readonly Action _onPendingResult;
    private ManualResetValueTaskSourceCore<TAnswer> _core; // continuations run on the thread that completes the answer
    private CancellationTokenRegistration _abortRegistration;
    private CheckReport[]? _reports;
    private ProbeQuery _query;
    private Func<CheckReports, ProbeQuery, TAnswer>? _answer;
    private CheckReports? _allHealthy;
    private int _remaining;
    private int _state;

    /// <param name="owner">The probe whose checks this waits for, and whose spare it becomes again once its answer has been read.</param>
    public PendingProbe(ProbeChecks owner)
    {
        _owner = owner;
        _pending = new ValueTask<CheckResult>[owner.Slots.Length];
        _onPendingResult = Arrived;
    }

    /// <summary>
    /// Starts collecting into <paramref name="reports"/>: at most <paramref name="expected"/> results will come (one per
    /// check still to be asked); <see cref="Asked"/> says how many did not have to. Call before subscribing it anywhere.
    /// </summary>
    public void Begin(CheckReport[] reports, int expected, ProbeQuery query, Func<CheckReports, ProbeQuery, TAnswer> answer, CheckReports? allHealthy, CancellationToken requestAborted)
    {
        _reports = reports;
        _query = query;
        _answer = answer;
        _allHealthy = allHealthy;
        _state = Collecting;
        _remaining = expected + 1; // + 1 until the request has asked every check: none may answer before that
        if (requestAborted.CanBeCanceled)
        {
            _abortRegistration = requestAborted.UnsafeRegister(static (state, token) => ((PendingProbe<TAnswer>)state!).Abort(token), this);
        }
    }

    /// <summary>Waits for <paramref name="result"/>, pending, for the check at <paramref name="position"/> (read once, when answering).</summary>
    public void Await(int position, ValueTask<CheckResult> result)
    {
        _pending[position] = result;
        result.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onPendingResult);
    }

    /// <inheritdoc/>
    public override void OnResult(int position, in CheckResult result)
    {
        _reports![position] = new CheckReport(_owner.Slots[position].Check, result);
        Arrived();
    }

    /// <summary>
    /// The request has asked every check; <paramref name="notComing"/> of the expected results will not come (they were
    /// at hand, or excluded). The answer, once every other result has come.
    /// </summary>
    public ValueTask<TAnswer> Asked(int notComing)
    {
        var answer = new ValueTask<TAnswer>(this, _core.Version);
        if (Interlocked.Add(ref _remaining, -(notComing + 1)) == 0)
        {
            Complete();
        }

        return answer;
    }

    private void Arrived()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Complete();
        }
    }

    private void Complete()
    {
        if (Interlocked.CompareExchange(ref _state, Answered, Collecting) == Collecting)
        {
            Answer();
        }

        // Else the request went away: the answer ended then, and nothing here is reused.
    }

    private void Abort(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Aborted, Collecting) == Collecting)
        {
            _core.SetException(new OperationCanceledException(token));
        }
    }

    /// <summary>Every result has come: read the pending ones, each once, then complete the answer (or the first failure: a request that went away).</summary>
    private void Answer()
    {
        CheckReport[] reports = _reports!;
        Exception? failure = null;
        for (int i = 0; i < _pending.Length; i++)
        {
            if (reports[i].Check is null)
            {
                try
                {
                    reports[i] = new CheckReport(_owner.Slots[i].Check, _pending[i].Result);
                }
                catch (Exception exception)
                {
                    failure ??= exception;
                }

                _pending[i] = default;
            }
        }

        Func<CheckReports, ProbeQuery, TAnswer> answer = _answer!;
        ProbeQuery query = _query;
        CheckReports? allHealthy = _allHealthy;
        _reports = null;
        _answer = null;
        _query = default;
        _allHealthy = null;
        if (failure is not null)
        {
            new CheckReports(reports, _pending.Length, pooled: true).Return();
            _core.SetException(failure);
            return;
        }

        TAnswer made;
        try
        {
            made = answer(ProbeRunner.Collected(reports, _pending.Length, allHealthy), query);
        }
        catch (Exception exception)
        {
            // Not expected (the answers are HealthGen's own constructors), but this runs on whichever thread ended the
            // last execution: a throw here must fail this probe, not that thread.
            _core.SetException(exception);
            return;
        }

        _core.SetResult(made);
    }

    public TAnswer GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Waits for an abort callback that is running right now (it lost to the answer), so nothing touches this once reused.
            _abortRegistration.Dispose();
            _abortRegistration = default;
            if (_state == Answered)
            {
                _core.Reset();
                _owner.ReturnPending(this);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
