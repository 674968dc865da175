using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen.Execution;

/// <summary>
/// What running a check needs: scopes, the services of inline checks, timeouts, the shutdown token, and how a
/// result is classified. Probes run checks through their <see cref="CheckSlot"/>s (isolated checks as pooled
/// <see cref="IsolatedExecution"/>s, inline checks via <see cref="InvokeInline"/>); <see cref="ExecuteAsync"/> runs
/// one isolated execution for a single caller (the <c>IHealthCheck</c> interop).
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

    public IServiceScopeFactory Scopes => _scopes;

    /// <summary>The root provider, for checks that take no services (inline and scope-less ones).</summary>
    public IServiceProvider Services => _services;

    /// <summary>ApplicationStopped: cancels running checks (not ApplicationStopping: liveness must work while draining).</summary>
    public CancellationToken Stopped => _stopped;

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
        catch (Exception exception)
        {
            return FromException(exception);
        }
    }

    /// <summary>A check that threw fails, with the exception (a <see cref="HealthCheckException"/>'s message is the description).</summary>
    public static HealthResult FromException(Exception exception)
        => exception is HealthCheckException expected ? HealthResult.Unhealthy(expected.Message, expected) : HealthResult.Unhealthy(null, exception);

    /// <summary>
    /// Runs a check once for one caller, isolated: on the thread pool, in its own DI scope, under its own timeout.
    /// The caller gets an answer when the check finishes or when the timeout fires, whichever is first, even if the
    /// check ignores its token and blocks a thread; the abandoned execution disposes its scope when it ends.
    /// </summary>
    /// <param name="check">The check to run.</param>
    /// <param name="requestAborted">Stops the wait and cancels the check's token (the execution is this caller's alone).</param>
    public async Task<CheckResult> ExecuteAsync(HealthCheckRegistration check, CancellationToken requestAborted)
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
        catch (Exception exception)
        {
            // Any failure of the check (or of resolving its services) fails the check, never the request.
            return FromException(exception);
        }
    }
}
