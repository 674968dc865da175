using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen.Execution;

/// <summary>
/// Runs one check once. An isolated check (<see cref="ExecuteAsync(HealthCheckRegistration, CancellationToken, AbandonedExecutions?)"/>)
/// runs on the thread pool, in its own DI scope, under its own timeout: the caller gets an answer when the check
/// finishes or when the timeout fires, whichever is first, even if the check ignores its token and blocks a thread;
/// the abandoned execution disposes its scope when it ends. An inline check (<see cref="InvokeInline"/>) is called
/// directly.
/// </summary>
internal sealed class CheckExecutor
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly HealthGenOptions _options;
    private readonly CancellationToken _stopped;

    public CheckExecutor(IServiceScopeFactory scopes, TimeProvider time, IOptions<HealthGenOptions> options, IServiceProvider services)
    {
        _scopes = scopes;
        _services = services;
        _time = time;
        _options = options.Value;
        // ApplicationStopped, not ApplicationStopping: while the application drains, checks must keep
        // working (liveness stays 200). Absent outside a host; then only timeouts cancel.
        _stopped = services.GetService<IHostApplicationLifetime>()?.ApplicationStopped ?? CancellationToken.None;
    }

    public TimeSpan TimeoutOf(HealthCheckRegistration check)
        => TimeSpan.FromMilliseconds(check.TimeoutMs == HealthCheckRegistration.UseDefault ? _options.DefaultTimeoutMs : check.TimeoutMs);

    /// <summary>The result of a check that did not finish within <paramref name="timeout"/>.</summary>
    public static CheckResult TimedOut(TimeSpan timeout, TimeSpan duration)
        => new(HealthResult.Unhealthy($"The check did not finish within {timeout.TotalMilliseconds:0} ms."), CheckFailure.TimedOut, duration);

    /// <summary>
    /// Calls a <see cref="CheckInvocation.Inline"/> check on the calling thread: no scope (it takes no services), no
    /// timer and no token (it takes none and cannot be abandoned), so a passing call allocates nothing. The caller
    /// times it (<see cref="CheckSlot"/>).
    /// </summary>
    public HealthResult InvokeInline(HealthCheckRegistration check)
    {
        try
        {
            ValueTask<HealthResult> invocation = check.Invoke(_services, CancellationToken.None);
            // Inline invokers are synchronous (the generator only marks synchronous methods inline).
            return invocation.IsCompletedSuccessfully ? invocation.Result : invocation.AsTask().GetAwaiter().GetResult();
        }
        catch (HealthCheckException exception)
        {
            return HealthResult.Unhealthy(exception.Message, exception);
        }
        catch (Exception exception)
        {
            return HealthResult.Unhealthy(null, exception);
        }
    }

    public Task<CheckResult> ExecuteAsync(HealthCheckRegistration check, CancellationToken requestAborted)
        => ExecuteAsync(check, requestAborted, abandoned: null);

    /// <param name="check">The check to run.</param>
    /// <param name="requestAborted">Stops the wait (and cancels the check's token).</param>
    /// <param name="abandoned">Counts executions that were given up on at their timeout but still run.</param>
    public async Task<CheckResult> ExecuteAsync(HealthCheckRegistration check, CancellationToken requestAborted, AbandonedExecutions? abandoned)
    {
        TimeSpan timeout = TimeoutOf(check);
        long started = _time.GetTimestamp();

        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var executionSource = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, requestAborted, _stopped);
        CancellationToken executionToken = executionSource.Token;

        // Task.Run: a check that blocks before its first await (or is synchronous and slow) must not hold
        // the request thread, or the timeout below could not answer on time.
        Task<HealthResult> execution = Task.Run(() => InvokeInScopeAsync(check, executionToken), CancellationToken.None);

        HealthResult result = default;
        bool wasAbandoned = false;
        try
        {
            result = await execution.WaitAsync(executionToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (executionToken.IsCancellationRequested)
        {
            wasAbandoned = true; // the execution goes on in the background and disposes its own scope
            if (abandoned is not null)
            {
                abandoned.Add(execution);
            }
        }

        TimeSpan duration = _time.GetElapsedTime(started);
        if (wasAbandoned || (executionToken.IsCancellationRequested && result.Exception is OperationCanceledException))
        {
            return timeoutSource.IsCancellationRequested
                ? TimedOut(timeout, duration)
                : new CheckResult(HealthResult.Unhealthy("The check was cancelled: the request was aborted or the application has stopped."), CheckFailure.Cancelled, duration);
        }

        return new CheckResult(result, FailureOf(result), duration);
    }

    public static CheckFailure FailureOf(HealthResult result)
        => result.Status != HealthStatus.Unhealthy ? CheckFailure.None
            : result.Exception is null ? CheckFailure.Reported
            : CheckFailure.Threw;

    private async Task<HealthResult> InvokeInScopeAsync(HealthCheckRegistration check, CancellationToken cancellationToken)
    {
        try
        {
            AsyncServiceScope scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                return await check.Invoke(scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HealthCheckException exception)
        {
            return HealthResult.Unhealthy(exception.Message, exception);
        }
        catch (Exception exception)
        {
            // Any failure of the check (or of resolving its services) fails the check, never the request.
            return HealthResult.Unhealthy(null, exception);
        }
    }
}

/// <summary>
/// Executions of one check that were given up on at their timeout but have not ended (a check that ignores
/// its token and blocks). While one is still running, the slot starts no new execution: a hung dependency
/// must cost one blocked thread, not one per cache window.
/// </summary>
internal sealed class AbandonedExecutions
{
    private int _running;

    public int Running => Volatile.Read(ref _running);

    public void Add(Task execution)
    {
        Interlocked.Increment(ref _running);
        execution.ContinueWith(static (_, state) => Interlocked.Decrement(ref ((AbandonedExecutions)state!)._running), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
