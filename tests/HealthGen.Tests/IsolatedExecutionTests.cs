using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static HealthGen.Testing.Eventually;

namespace HealthGen.Tests;

/// <summary>
/// A slot reuses one <see cref="IsolatedExecution"/> (and its waiters) for execution after execution: each execution
/// must still get its own scope, its own result and its own timeout, and shutdown must still cancel it.
/// </summary>
public sealed class IsolatedExecutionTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly Lifetime _lifetime = new();
    private readonly ServiceProvider _services;

    public IsolatedExecutionTests()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(_clock);
        collection.AddSingleton<IHostApplicationLifetime>(_lifetime);
        collection.AddScoped<ScopedThing>();
        collection.AddHealthGen(options => options.DefaultTimeoutMs = 1_000);
        _services = collection.BuildServiceProvider();
    }

    [Fact]
    public async Task Consecutive_executions_each_get_their_own_result_and_scope()
    {
        int calls = 0;
        var scoped = new List<ScopedThing>();
        CheckSlot slot = Slot(async (services, _) =>
        {
            scoped.Add(services.GetRequiredService<ScopedThing>());
            await Task.Yield();
            return ++calls % 2 == 0 ? HealthResult.Unhealthy("even") : HealthResult.Healthy("odd");
        });

        for (int i = 1; i <= 200; i++)
        {
            CheckResult result = await slot.GetResultAsync(CancellationToken.None);
            Assert.Equal(i % 2 == 0 ? "even" : "odd", result.Result.Description);
        }

        Assert.Equal(200, scoped.Count);
        Assert.Equal(200, new HashSet<ScopedThing>(scoped).Count);
        Assert.All(scoped, s => Assert.True(s.Disposed));
    }

    [Fact]
    public async Task A_check_without_services_runs_isolated_without_a_scope()
    {
        using var release = new ManualResetEventSlim();
        var providers = new List<IServiceProvider>();
        CheckSlot slot = Slot((services, _) =>
        {
            providers.Add(services);
            release.Wait(); // blocks before returning: the caller must not be held
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        }, CheckInvocation.IsolatedWithoutScope);

        ValueTask<CheckResult> first = slot.GetResultAsync(CancellationToken.None);
        Assert.False(first.IsCompleted);
        release.Set();
        Assert.Equal(HealthStatus.Healthy, (await first).Status);
        await slot.GetResultAsync(CancellationToken.None);

        Assert.Same(providers[0], providers[1]); // the root provider, not a new scope each time
        Assert.Same(_services.GetRequiredService<CheckExecutor>().Services, providers[0]);
    }

    [Fact]
    public async Task A_reused_execution_times_out_on_its_own_deadline()
    {
        CheckSlot slot = Slot(HealthyOnceThenHanging());

        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync(CancellationToken.None)).Status);
        _clock.Advance(TimeSpan.FromMilliseconds(900)); // 900 ms after the first start: its deadline is near
        Task<CheckResult> second = slot.GetResultAsync(CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(200)); // past the first deadline, not the second
        Assert.False(second.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(800)); // the second's deadline
        CheckResult result = await second.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (result.Status, result.Failure));
    }

    [Fact]
    public async Task After_an_idle_deadline_the_timer_is_unarmed_and_the_next_execution_arms_it_again()
    {
        CheckSlot slot = Slot(HealthyOnceThenHanging());

        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync(CancellationToken.None)).Status);
        Assert.Equal(1, _clock.ActiveTimers); // an ended execution leaves its timer armed: the next one may use it
        _clock.Advance(TimeSpan.FromMilliseconds(1_000)); // it fires with nothing running
        Assert.Equal(0, _clock.ActiveTimers); // and stays unarmed while the slot is idle
        _clock.Advance(TimeSpan.FromSeconds(5));

        Task<CheckResult> hung = slot.GetResultAsync(CancellationToken.None).AsTask();
        Assert.Equal(1, _clock.ActiveTimers);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(hung.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        CheckResult result = await hung.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (result.Status, result.Failure));
    }

    [Fact]
    public async Task Application_stopped_cancels_the_running_check_and_later_executions_still_run()
    {
        int calls = 0;
        CheckSlot slot = Slot(async (_, token) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(Timeout.Infinite, token); // honours its token
            }

            return HealthResult.Healthy();
        });

        Task<CheckResult> running = slot.GetResultAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => Volatile.Read(ref calls) == 1);
        _lifetime.Stop();

        CheckResult cancelled = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.Cancelled), (cancelled.Status, cancelled.Failure));
        Assert.Contains("stopped", cancelled.Result.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_waiter_that_left_is_never_handed_a_later_execution_s_result()
    {
        using var release = new SemaphoreSlim(0);
        int calls = 0;
        CheckSlot slot = Slot(async (_, token) =>
        {
            int call = Interlocked.Increment(ref calls);
            await release.WaitAsync(token);
            return HealthResult.Healthy("execution " + call);
        });
        using var abort = new CancellationTokenSource();

        Task<CheckResult> leaving = slot.GetResultAsync(abort.Token).AsTask();
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        release.Release();
        await WaitUntil(() => slot.Latest is not null); // the first execution ended, with nobody left to answer
        for (int i = 2; i <= 20; i++)
        {
            Task<CheckResult> next = slot.GetResultAsync(CancellationToken.None).AsTask();
            release.Release();
            CheckResult result = await next.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("execution " + i, result.Result.Description);
        }
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

    private CheckSlot Slot(Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke, CheckInvocation invocation = CheckInvocation.Isolated)
        => new(new HealthCheckRegistration("check", ProbeKind.Readiness, null, -1, -1, invoke, invocation),
            _services.GetRequiredService<CheckExecutor>(), _clock, TimeSpan.Zero);

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
