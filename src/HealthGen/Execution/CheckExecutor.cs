using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen.Execution;

/// <summary>
/// What running a check needs, shared by every <see cref="CheckSlot"/>: the scope factory and root provider, the clock,
/// the default timeout and the host's stop. It calls inline checks itself (<see cref="InvokeInline"/>); isolated
/// executions are run by their slot, which owns their timeout.
/// </summary>
internal sealed class CheckExecutor
{
    private readonly int _defaultTimeoutMs;

    public CheckExecutor(IServiceScopeFactory scopes, TimeProvider time, IOptions<HealthGenOptions> options, IServiceProvider services)
    {
        Scopes = scopes;
        Services = services;
        Time = time;
        _defaultTimeoutMs = options.Value.DefaultTimeoutMs;
        // ApplicationStopped, not ApplicationStopping: while the application drains, checks must keep working
        // (liveness stays 200). Absent outside a host; then only timeouts cancel.
        Stopped = services.GetService<IHostApplicationLifetime>()?.ApplicationStopped ?? CancellationToken.None;
    }

    public IServiceScopeFactory Scopes { get; }

    /// <summary>The root provider: what checks that take no services are handed (they do not use it).</summary>
    public IServiceProvider Services { get; }

    public TimeProvider Time { get; }

    /// <summary>ApplicationStopped: cancels running checks (not ApplicationStopping: liveness must work while draining).</summary>
    public CancellationToken Stopped { get; }

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
            ValueTask<HealthResult> invocation = check.Invoke(Services, CancellationToken.None);
            // Inline invokers are synchronous (the generator marks only synchronous methods inline).
            return invocation.IsCompletedSuccessfully ? invocation.Result : invocation.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            return CheckResult.FromException(check, exception);
        }
    }
}
