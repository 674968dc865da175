using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HealthGen.Testing.Eventually;

namespace HealthGen.Tests;

/// <summary>Single flight and caching, on a manual clock: counts of executions, never elapsed times.</summary>
public sealed class CheckSlotTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ServiceProvider _services;
    private int _executions;

    public CheckSlotTests()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(_clock);
        collection.AddHealthGen(options => options.DefaultTimeoutMs = 60_000);
        _services = collection.BuildServiceProvider();
    }

    [Fact]
    public async Task Concurrent_requests_share_one_execution_even_with_the_cache_off()
    {
        using var release = new SemaphoreSlim(0);
        CheckSlot slot = Slot(async (_, token) => { Interlocked.Increment(ref _executions); await release.WaitAsync(token); return HealthResult.Healthy(); }, cacheMs: 0);

        Task<CheckResult>[] waiting = Enumerable.Range(0, 50).Select(_ => slot.GetResultAsync(CancellationToken.None).AsTask()).ToArray();
        await WaitUntil(() => Volatile.Read(ref _executions) == 1);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        release.Release();
        CheckResult[] results = await Task.WhenAll(waiting);
        Assert.Equal(1, _executions);
        Assert.All(results, r => Assert.Equal(HealthStatus.Healthy, r.Status));

        // With the cache off, the next request executes again.
        release.Release();
        await slot.GetResultAsync(CancellationToken.None);
        Assert.Equal(2, _executions);
    }

    [Fact]
    public async Task A_result_is_reused_for_the_cache_duration_and_marked_cached()
    {
        CheckSlot slot = Slot((_, _) => { Interlocked.Increment(ref _executions); return new(HealthResult.Healthy()); }, cacheMs: 1000);

        Assert.False((await slot.GetResultAsync(CancellationToken.None)).Cached);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        CheckResult cached = await slot.GetResultAsync(CancellationToken.None);
        Assert.True(cached.Cached);
        Assert.Equal(1, _executions);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False((await slot.GetResultAsync(CancellationToken.None)).Cached);
        Assert.Equal(2, _executions);
    }

    [Fact]
    public async Task Failures_are_cached_too_so_a_down_dependency_is_not_hammered()
    {
        CheckSlot slot = Slot((_, _) => { Interlocked.Increment(ref _executions); return new(HealthResult.Unhealthy("down")); }, cacheMs: 5000);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(HealthStatus.Unhealthy, (await slot.GetResultAsync(CancellationToken.None)).Status);
        }

        Assert.Equal(1, _executions);
    }

    [Fact]
    public async Task A_request_that_goes_away_stops_waiting_but_the_shared_execution_goes_on()
    {
        using var release = new SemaphoreSlim(0);
        CheckSlot slot = Slot(async (_, token) => { Interlocked.Increment(ref _executions); await release.WaitAsync(token); return HealthResult.Healthy(); }, cacheMs: 60_000);
        using var abort = new CancellationTokenSource();

        Task<CheckResult> leaving = slot.GetResultAsync(abort.Token).AsTask();
        Task<CheckResult> staying = slot.GetResultAsync(CancellationToken.None).AsTask();
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);

        release.Release();
        Assert.Equal(HealthStatus.Healthy, (await staying).Status);
        Assert.Equal(1, _executions);
    }

    [Fact]
    public async Task Each_finished_execution_is_reported_once_with_the_previous_result()
    {
        int calls = 0;
        CheckSlot slot = Slot((_, _) => new(++calls == 1 ? HealthResult.Healthy() : HealthResult.Unhealthy()), cacheMs: 1000);
        var seen = new System.Collections.Generic.List<(HealthStatus Now, HealthStatus? Before)>();
        slot.Completed += (CheckSlot _, in CheckResult now, HealthStatus? before) => seen.Add((now.Status, before));

        await slot.GetResultAsync(CancellationToken.None);
        await slot.GetResultAsync(CancellationToken.None); // cached: no new report
        _clock.Advance(TimeSpan.FromSeconds(1));
        await slot.GetResultAsync(CancellationToken.None);

        Assert.Equal([(HealthStatus.Healthy, (HealthStatus?)null), (HealthStatus.Unhealthy, HealthStatus.Healthy)], seen);
    }

    [Fact]
    public async Task A_hung_check_costs_one_blocked_thread_not_one_per_request()
    {
        using var release = new ManualResetEventSlim();
        using var started = new SemaphoreSlim(0);
        var registration = new HealthCheckRegistration("hung", ProbeKind.Readiness, null, timeoutMs: 250, cacheMs: 0, (_, _) =>
        {
            Interlocked.Increment(ref _executions);
            started.Release();
            release.Wait(); // ignores its token, like a stuck native call
            return new(HealthResult.Healthy());
        });
        var slot = new CheckSlot(registration, _services.GetRequiredService<CheckExecutor>(), _clock, TimeSpan.Zero);

        Task<CheckResult> first = slot.GetResultAsync(CancellationToken.None).AsTask();
        await started.WaitAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(CheckFailure.TimedOut, (await first).Failure);
        Assert.Equal(1, slot.AbandonedRunning);

        for (int i = 0; i < 20; i++)
        {
            CheckResult again = await slot.GetResultAsync(CancellationToken.None);
            Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (again.Status, again.Failure));
            Assert.StartsWith("still hung", again.Result.Description, StringComparison.Ordinal);
        }

        Assert.Equal(1, _executions); // no second thread was sent into the hung check

        release.Set();
        await WaitUntil(() => slot.AbandonedRunning == 0);
        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync(CancellationToken.None)).Status);
        Assert.Equal(2, _executions);
    }

    [Fact]
    public async Task A_cached_failure_is_answered_as_a_failure_not_as_the_steady_answer()
    {
        int calls = 0;
        CheckSlot slot = Slot((_, _) => new(++calls == 1 ? HealthResult.Unhealthy("down") : HealthResult.Healthy()), cacheMs: 60_000);
        var checks = new ProbeChecks([slot]);

        CheckReports first = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        CheckReports cached = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(60));
        CheckReports renewed = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        CheckReports steady = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);

        Assert.False(first.AllPassed);
        Assert.False(cached.AllPassed);
        Assert.False(cached.IsAllHealthy);
        Assert.True(cached.Span[0].Result.Cached);
        Assert.Equal("down", cached.Span[0].Result.Result.Description);
        Assert.True(renewed.AllPassed);
        Assert.True(steady.IsAllHealthy); // healthy and fresh: the prebuilt answer
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Checks_that_were_pending_and_all_came_back_healthy_give_the_steady_answer()
    {
        using var release = new SemaphoreSlim(0);
        int calls = 0;
        CheckSlot slot = Slot(async (_, token) =>
        {
            await release.WaitAsync(token);
            return ++calls == 2 ? HealthResult.Degraded("slow") : HealthResult.Healthy("a description a plain body does not show");
        }, cacheMs: 0);
        var checks = new ProbeChecks([slot]);

        ValueTask<CheckReports> pending = ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        Assert.False(pending.IsCompleted);
        release.Release();
        CheckReports healthy = await pending;
        Assert.True(healthy.IsAllHealthy); // the prebuilt reports: their body is serialized once

        ValueTask<CheckReports> pendingAgain = ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        release.Release();
        CheckReports degraded = await pendingAgain;
        Assert.False(degraded.IsAllHealthy); // passed, but not healthy: its own reports
        Assert.Equal(HealthStatus.Degraded, degraded.Span[0].Result.Status);

        ValueTask<CheckReports> verbose = ProbeRunner.RunAsync(checks, new ProbeQuery(Verbose: true, Excluded: null), CancellationToken.None);
        release.Release();
        CheckReports own = await verbose;
        Assert.False(own.IsAllHealthy); // a verbose body shows each check's own result
        Assert.Equal("a description a plain body does not show", own.Span[0].Result.Result.Description);
    }

    public void Dispose() => _services.Dispose();

    private CheckSlot Slot(Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke, int cacheMs)
        => new(new HealthCheckRegistration("check", ProbeKind.Readiness, null, -1, -1, invoke), _services.GetRequiredService<CheckExecutor>(), _clock, TimeSpan.FromMilliseconds(cacheMs));
}
