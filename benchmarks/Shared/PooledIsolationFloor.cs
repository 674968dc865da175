using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using HealthGen;

namespace HealthGen.Benchmarks;

/// <summary>
/// The cheapest isolation there is, for the <c>/floor-pooled/readyz</c> floor: each check is started on the thread pool
/// by a work item that is allocated once and reused (no <see cref="Task"/>, no captured execution context, no closure),
/// and the request awaits it through the same object as a reusable <see cref="IValueTaskSource{TResult}"/>. No timeout,
/// scope, cache or single flight: one request at a time (the benchmark drives one), so one object per check suffices.
/// </summary>
/// <remarks>
/// <c>Task.Run</c> (the <c>/floor-isolated/readyz</c> floor, and what <c>MapHealthChecks</c> does per check) allocates a
/// task and a closure and flows the execution context; this is what is left when none of that is paid. A target
/// below this floor cannot be met by anything that starts each check on the thread pool.
/// </remarks>
public class PooledIsolationFloor : IThreadPoolWorkItem, IValueTaskSource<HealthResult>
{
    private readonly Func<CancellationToken, Task<HealthResult>> _check;
    private readonly Action _onCheckCompleted;
    private ManualResetValueTaskSourceCore<HealthResult> _core;
    private Task<HealthResult>? _running;
    private CancellationToken _token;

    public PooledIsolationFloor(Func<CancellationToken, Task<HealthResult>> check)
    {
        _check = check;
        _onCheckCompleted = OnCheckCompleted;
    }

    /// <summary>Starts the check on the thread pool; the returned task completes with its result.</summary>
    public ValueTask<HealthResult> Start(CancellationToken token)
    {
        _token = token;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        return new ValueTask<HealthResult>(this, _core.Version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        Task<HealthResult> running = _check(_token);
        _running = running;
        if (running.IsCompleted)
        {
            OnCheckCompleted();
        }
        else
        {
            running.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCheckCompleted);
        }
    }

    private void OnCheckCompleted()
    {
        Task<HealthResult> running = _running!;
        _running = null;
        OnCheckReturned(running.GetAwaiter().GetResult());
    }

    /// <summary>The check returned <paramref name="result"/>: here the request gets it at once; a derived floor may first do its own work.</summary>
    protected virtual void OnCheckReturned(HealthResult result) => Answer(result);

    /// <summary>Completes the request's wait with <paramref name="result"/> (once per <see cref="Start"/>).</summary>
    protected void Answer(HealthResult result) => _core.SetResult(result);

    public HealthResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
