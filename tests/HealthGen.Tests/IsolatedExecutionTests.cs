using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static HealthGen.Testing.Eventually;

namespace HealthGen.Tests;

/// <summary>
/// Every isolated execution gets its own scope, its own result and its own timeout, runs off the caller's thread and
/// outside the caller's execution context, and shutdown cancels it.
/// </summary>
public sealed class IsolatedExecutionTests : IDisposable
{
    private readonly Lifetime _lifetime = new();
    private readonly TestServices _services;

    public IsolatedExecutionTests()
        => _services = new TestServices(defaultTimeoutMs: 1_000, collection =>
        {
            collection.AddSingleton<IHostApplicationLifetime>(_lifetime);
            collection.AddScoped<ScopedThing>();
        });

    [Fact]
    public async Task Consecutive_executions_each_get_their_own_result_and_scope()
    {
        int calls = 0;
        var scoped = new List<ScopedThing>();
        CheckSlot slot = _services.Slot(async (services, _) =>
        {
            scoped.Add(services.GetRequiredService<ScopedThing>());
            await Task.Yield();
            return ++calls % 2 == 0 ? HealthResult.Unhealthy("even") : HealthResult.Healthy("odd");
        });

        for (int i = 1; i <= 200; i++)
        {
            CheckResult result = await slot.GetResultAsync();
            Assert.Equal(i % 2 == 0 ? "even" : "odd", result.Result.Description);
        }

        Assert.Equal(200, scoped.Count);
        Assert.Equal(200, new HashSet<ScopedThing>(scoped).Count);
        Assert.All(scoped, s => Assert.True(s.Disposed));
    }

    [Fact]
    public async Task A_check_without_services_runs_off_the_caller_s_thread_without_a_scope()
    {
        using var release = new ManualResetEventSlim();
        var providers = new List<IServiceProvider>();
        CheckSlot slot = _services.Slot((services, _) =>
        {
            providers.Add(services);
            release.Wait(); // blocks before returning: the caller must not be held
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        }, invocation: CheckInvocation.IsolatedWithoutScope);

        ValueTask<CheckResult> first = slot.GetResultAsync();
        Assert.False(first.IsCompleted);
        release.Set();
        Assert.Equal(HealthStatus.Healthy, (await first).Status);
        await slot.GetResultAsync();

        Assert.Same(providers[0], providers[1]); // the root provider, not a new scope each time
        Assert.Same(_services.Executor.Services, providers[0]);
    }

    [Fact]
    public async Task An_execution_does_not_run_in_the_execution_context_of_the_request_that_started_it()
    {
        var requestValue = new AsyncLocal<string?>();
        string? seenByCheck = "not run";
        CheckSlot slot = _services.Slot((_, _) =>
        {
            seenByCheck = requestValue.Value;
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        });

        requestValue.Value = "the first request's";
        await slot.GetResultAsync();

        Assert.Null(seenByCheck);
    }

    [Fact]
    public async Task Each_execution_times_out_on_its_own_deadline()
    {
        CheckSlot slot = _services.Slot(HealthyOnceThenHanging());

        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync()).Status);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(900)); // 900 ms after the first start
        Task<CheckResult> second = slot.GetResultAsync().AsTask();
        _services.Clock.Advance(TimeSpan.FromMilliseconds(200)); // past the first's deadline, not the second's
        Assert.False(second.IsCompleted);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(800)); // the second's deadline
        CheckResult result = await second.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (result.Status, result.Failure));
        Assert.Equal(TimeSpan.FromMilliseconds(1_000), result.Duration);
    }

    [Fact]
    public async Task Application_stopped_cancels_the_running_check_and_later_executions_still_run()
    {
        int calls = 0;
        CheckSlot slot = _services.Slot(async (_, token) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(Timeout.Infinite, token); // honours its token
            }

            return HealthResult.Healthy();
        });

        Task<CheckResult> running = slot.GetResultAsync().AsTask();
        await WaitUntil(() => Volatile.Read(ref calls) == 1);
        _lifetime.Stop();

        CheckResult cancelled = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.Cancelled), (cancelled.Status, cancelled.Failure));
        Assert.Contains("stopped", cancelled.Result.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync()).Status);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>A check whose first execution ends at once, healthy; every later one waits until its token is cancelled.</summary>
    private static Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> HealthyOnceThenHanging()
    {
        int calls = 0;
        return async (_, token) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                return HealthResult.Healthy();
            }

            await Task.Delay(Timeout.Infinite, token);
            return HealthResult.Healthy();
        };
    }

    private sealed class ScopedThing : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopped = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => _stopped.Token;

        public void Stop() => _stopped.Cancel();

        public void StopApplication() => Stop();
    }
}
