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
/// It registers one continuation on every pending result at once and counts them down; whichever result comes last
/// (on whatever thread ends that execution) reads them all, each once — a result may come from a pooled source that
/// must not be read twice — and completes the answer, whose continuation runs right there.
/// </para>
/// <para>
/// An async method rented its state machine from a per-thread pool that misses whenever a request starts on one thread
/// and its last check ends on another (always, under BenchmarkDotNet; sometimes, under Kestrel), and copied every
/// result through its own fields.
/// </para>
/// </remarks>
internal sealed class PendingProbe<TAnswer> : IValueTaskSource<TAnswer>
{
    private readonly ProbeChecks _owner;
    private readonly ValueTask<CheckResult>[] _pending;
    private readonly Action _onResult;
    private ManualResetValueTaskSourceCore<TAnswer> _core; // continuations run on the thread that completes the answer
    private CheckReport[]? _reports;
    private ProbeQuery _query;
    private Func<CheckReports, ProbeQuery, TAnswer>? _answer;
    private CheckReports? _allHealthy;
    private int _remaining;

    /// <param name="owner">The probe whose checks this waits for, and whose spare it becomes again once its answer has been read.</param>
    public PendingProbe(ProbeChecks owner)
    {
        _owner = owner;
        _pending = new ValueTask<CheckResult>[owner.Slots.Length];
        _onResult = OnResult;
    }

    /// <summary>Where <see cref="ProbeRunner"/> puts the results still to come, at their checks' positions.</summary>
    public ValueTask<CheckResult>[] Pending => _pending;

    /// <summary>
    /// Waits for the results put in <see cref="Pending"/> (the others are in <paramref name="reports"/> already; a
    /// pending check's report has no check yet), then answers as <see cref="ProbeRunner"/> would.
    /// </summary>
    public ValueTask<TAnswer> Start(CheckReport[] reports, int pendingCount, ProbeQuery query, Func<CheckReports, ProbeQuery, TAnswer> answer, CheckReports? allHealthy)
    {
        _reports = reports;
        _query = query;
        _answer = answer;
        _allHealthy = allHealthy;
        var wait = new ValueTask<TAnswer>(this, _core.Version);
        _remaining = pendingCount + 1; // + 1 until every continuation is registered: none may finish before that
        for (int i = 0; i < _pending.Length; i++)
        {
            if (reports[i].Check is null)
            {
                _pending[i].ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onResult);
            }
        }

        OnResult();
        return wait;
    }

    private void OnResult()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Answer();
        }
    }

    /// <summary>Every pending result has come: read each once, then complete the answer (or the first failure: a request that went away).</summary>
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
            _core.Reset();
            _owner.ReturnPending(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
