using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen.Hosting;

/// <summary>
/// Keeps the application serving for <see cref="HealthGenOptions.DrainDelayMs"/> after it was asked to
/// stop. Readiness answers 503 "shutting down" from that moment, so Kubernetes takes the pod out of its
/// Service before the server stops accepting requests: a rolling deployment drops no request.
/// </summary>
/// <remarks>
/// <see cref="IHostedLifecycleService.StoppingAsync"/> runs before any hosted service (the web server
/// included) is stopped, which is what makes the delay happen while requests are still served.
/// </remarks>
internal sealed class DrainDelay(IOptions<HealthGenOptions> options, TimeProvider time, IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    private int _drained;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        int delayMs = options.Value.DrainDelayMs;
        if (delayMs <= 0 || Interlocked.Exchange(ref _drained, 1) == 1)
        {
            // A host may be stopped more than once (StopAsync, then disposal): drain only the first time.
            return Task.CompletedTask;
        }

        // Readiness turns 503 on ApplicationStopping; make sure it has fired before we wait, whatever order
        // the host runs its stop steps in (StopApplication is idempotent).
        lifetime.StopApplication();
        return Task.Delay(TimeSpan.FromMilliseconds(delayMs), time, cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
