using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using Microsoft.Extensions.DependencyInjection;
using HealthGen.Testing;

namespace HealthGen.Tests;

/// <summary>The HealthGen services on a fake clock, and slots made from plain delegates: what the execution tests share.</summary>
internal sealed class TestServices : IDisposable
{
    public TestServices(int defaultTimeoutMs, Action<IServiceCollection>? configure = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Clock);
        configure?.Invoke(collection);
        collection.AddHealthGen(options => options.DefaultTimeoutMs = defaultTimeoutMs);
        Provider = collection.BuildServiceProvider();
    }

    /// <summary>The clock of every check, timeout, cache and schedule: it moves only when a test advances it.</summary>
    public TimerCountingTimeProvider Clock { get; } = new();

    public ServiceProvider Provider { get; }

    public CheckExecutor Executor => Provider.GetRequiredService<CheckExecutor>();

    public CheckSlot Slot(
        Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke,
        int cacheMs = 0,
        string name = "check",
        CheckInvocation invocation = CheckInvocation.Isolated,
        int timeoutMs = HealthCheckRegistration.UseDefault,
        ProbeKind probe = ProbeKind.Readiness,
        int periodMs = 0,
        int failureThreshold = 1,
        string[]? dependsOn = null)
        => new(
            new HealthCheckRegistration(name, probe, null, timeoutMs, cacheMs, invoke, invocation)
            {
                PeriodMs = periodMs,
                FailureThreshold = failureThreshold,
                DependsOn = dependsOn ?? [],
            },
            Executor,
            TimeSpan.FromMilliseconds(cacheMs));

    public void Dispose() => Provider.Dispose();
}
