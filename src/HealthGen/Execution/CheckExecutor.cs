using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen.Execution;

/// <summary>
/// Runs one execution of a check: inline on the caller's thread (<see cref="InvokeInline"/>), or isolated
/// (<see cref="ExecuteAsync"/>): on the thread pool, in its own DI scope, under its own timeout. Probes reach it through
/// their <see cref="CheckSlot"/>s, which add single flight and caching; the <c>IHealthCheck</c> interop calls it directly.
/// </summary>
internal sealed class CheckExecutor
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IServiceProvider _services;
    private readonly int _defaultTimeoutMs;
    private readonly CancellationToken _stopped;

    public CheckExecutor(IServiceScopeFactory scopes, TimeProvider time, IOptions<HealthGenOptions> options, IServiceProvider services)
    {
        _scopes = scopes;
        _services = services;
        Time = time;
        _defaultTimeoutMs = options.Value.DefaultTimeoutMs;
        // ApplicationStopped, not ApplicationStopping: while the application drains, checks must keep working
        // (liveness stays 200). Absent outside a host; then only timeouts cancel.
        _stopped = services.GetService<IHostApplicationLifetime>()?.ApplicationStopped ?? CancellationToken.None;
    }

    public TimeProvider Time { get; }

    /// <summary>The root provider: what checks that take no services are handed (they do not use it).</summary>
    public IServiceProvider Services => _services;

    public TimeSpan TimeoutOf(HealthCheckRegistration check)
        => TimeSpan.FromMilliseconds(check.TimeoutMs == HealthCheckRegistration.UseDefault ? _defaultTimeoutMs : check.TimeoutMs);

    /// <summary>
    /// Calls a <see cref="CheckInvocation.Inline"/> check on the calling thread: no scope (it takes no services), no
    /// timer and no token (it takes none and cannot be abandoned). The caller times it.
    /// </summary>
    public HealthResult InvokeInline(HealthCheckRegistration check)
    {
        try
        {
            ValueTask<HealthResult> invocation = check.Invoke(_services, CancellationToken.None);
            // Inline invokers are synchronous (the generator marks only synchronous methods inline).
            return invocation.IsCompletedSuccessfully ? invocation.Result : invocation.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            return CheckResult.FromException(exception);
        }
    }

    /// <summary>
    /// Runs a check once, isolated, and answers when it returns or when its timeout passes, whichever is first — even if
    /// the check ignores its token and blocks a thread. At the timeout the check's token is cancelled and the execution is
    /// abandoned: <see cref="ExecutionOutcome.StillRunning"/> ends when it returns, and it disposes its scope then.
    /// </summary>
    /// <param name="check">The check to run.</param>
    /// <param name="cancellation">Cancels the check's token (a caller that owns the execution alone); the host's stop does too.</param>
    /// <remarks>
    /// The caller must not hold a lock it takes again when the execution ends: the answer always completes
    /// asynchronously (<see cref="ConfigureAwaitOptions.ForceYielding"/>), never inside this call.
    /// </remarks>
    public async Task<ExecutionOutcome> ExecuteAsync(HealthCheckRegistration check, CancellationToken cancellation)
    {
        TimeSpan timeout = TimeoutOf(check);
        long started = Time.GetTimestamp();
        CancellationTokenSource source = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stopped);
        Task<HealthResult> invocation = InvokeIsolatedAsync(check, source.Token);
        HealthResult result;
        try
        {
            result = await invocation.WaitAsync(timeout, Time).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (TimeoutException)
        {
            Cancel(source);
            _ = invocation.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Dispose(), source, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return new ExecutionOutcome(CheckResult.TimedOut(timeout, Time.GetElapsedTime(started)), invocation);
        }

        TimeSpan duration = Time.GetElapsedTime(started);
        bool cancelled = source.IsCancellationRequested && result.Exception is OperationCanceledException;
        source.Dispose();
        return new ExecutionOutcome(
            cancelled
                ? new CheckResult(HealthResult.Unhealthy("The check was cancelled: the request was aborted or the application has stopped."), CheckFailure.Cancelled, duration)
                : CheckResult.Of(result, duration),
            StillRunning: null);
    }

    private async Task<HealthResult> InvokeIsolatedAsync(HealthCheckRegistration check, CancellationToken cancellationToken)
    {
        // Onto the thread pool, whatever the caller's synchronization context: a check that blocks before its first
        // await (or is synchronous and slow) must not hold the caller, or the timeout could not answer on time.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        try
        {
            if (check.Invocation == CheckInvocation.IsolatedWithoutScope)
            {
                return await check.Invoke(_services, cancellationToken).ConfigureAwait(false);
            }

            AsyncServiceScope scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                return await check.Invoke(scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Any failure of the check, of resolving its services or of disposing them fails the check, never the caller.
            return CheckResult.FromException(exception);
        }
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (AggregateException)
        {
            // A callback the check registered on its token threw; the check is abandoned either way.
        }
    }
}
