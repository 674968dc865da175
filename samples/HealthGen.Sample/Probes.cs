using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Sample;

/// <summary>The sample's checks. None needs an external server, so the sample runs anywhere.</summary>
public static class Probes
{
    /// <summary>
    /// Liveness looks at the process only: a liveness failure restarts the pod, so it must never depend on
    /// anything a restart cannot fix. Here: the thread pool still runs work items.
    /// </summary>
    [LivenessCheck]
    public static HealthResult Process()
        => ThreadPool.PendingWorkItemCount < 10_000 ? HealthResult.Healthy() : HealthResult.Unhealthy("thread pool backlog");

    /// <summary>Startup: the warm-up (cache priming, say) has finished. Latched once it passed.</summary>
    [StartupCheck("warmup")]
    public static bool WarmedUp(Warmup warmup) => warmup.IsComplete;

    /// <summary>Readiness: the work queue is not so far behind that new requests should go elsewhere.</summary>
    [ReadinessCheck("queue", TimeoutMs = 500)]
    public static HealthResult Queue(WorkQueue queue) => queue.Backlog switch
    {
        < 100 => HealthResult.Healthy(),
        < 1000 => HealthResult.Degraded($"backlog {queue.Backlog}"),
        _ => HealthResult.Unhealthy($"backlog {queue.Backlog}"),
    };

    /// <summary>A resolver: the embedded user store answers a lookup.</summary>
    [ResolverCheck("localusers", Kind = "localresolver")]
    public static async Task<bool> LocalUsers(InMemoryUserStore users, CancellationToken cancellationToken)
        => await users.CanResolveAsync("admin", cancellationToken);
}

/// <summary>Pretends to warm caches at start-up; the startup probe waits for it.</summary>
public sealed class Warmup(Microsoft.Extensions.Configuration.IConfiguration configuration) : Microsoft.Extensions.Hosting.BackgroundService
{
    private volatile bool _complete;

    public bool IsComplete => _complete;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int warmupMs = int.TryParse(configuration["Sample:WarmupMs"], out int value) ? value : 500;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, warmupMs)), stoppingToken);
        _complete = true;
    }
}

/// <summary>A stand-in for the service's work backlog.</summary>
public sealed class WorkQueue
{
    public int Backlog => 0;
}

/// <summary>A stand-in for a user store the service resolves users from.</summary>
public sealed class InMemoryUserStore
{
    private readonly string[] _users = ["admin", "operator"];

    public ValueTask<bool> CanResolveAsync(string user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Array.IndexOf(_users, user) >= 0);
    }
}
