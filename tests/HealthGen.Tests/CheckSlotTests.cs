using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using static HealthGen.Testing.Eventually;

namespace HealthGen.Tests;

/// <summary>Single flight and caching, on a fake clock: counts of executions, never elapsed times.</summary>
public sealed class CheckSlotTests : IDisposable
{
    private readonly TestServices _services = new(defaultTimeoutMs: 60_000);
    private int _executions;

    [Fact]
    public async Task Concurrent_requests_share_one_execution_even_with_the_cache_off()
    {
        using var release = new SemaphoreSlim(0);
        CheckSlot slot = _services.Slot(async (_, token) => { Interlocked.Increment(ref _executions); await release.WaitAsync(token); return HealthResult.Healthy(); });

        Task<CheckResult>[] waiting = Enumerable.Range(0, 50).Select(_ => slot.GetResultAsync().AsTask()).ToArray();
        await WaitUntil(() => Volatile.Read(ref _executions) == 1);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        release.Release();
        CheckResult[] results = await Task.WhenAll(waiting);
        Assert.Equal(1, _executions);
        Assert.All(results, r => Assert.Equal(HealthStatus.Healthy, r.Status));

        // With the cache off, the next request executes again.
        release.Release();
        await slot.GetResultAsync();
        Assert.Equal(2, _executions);
    }

    [Fact]
    public async Task A_result_is_reused_for_the_cache_duration_and_marked_cached()
    {
        CheckSlot slot = _services.Slot((_, _) => { Interlocked.Increment(ref _executions); return new(HealthResult.Healthy()); }, cacheMs: 1000);

        Assert.False((await slot.GetResultAsync()).Cached);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(999));
        CheckResult cached = await slot.GetResultAsync();
        Assert.True(cached.Cached);
        Assert.Equal(1, _executions);

        _services.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False((await slot.GetResultAsync()).Cached);
        Assert.Equal(2, _executions);
    }

    [Fact]
    public async Task Failures_are_cached_too_so_a_down_dependency_is_not_hammered()
    {
        CheckSlot slot = _services.Slot((_, _) => { Interlocked.Increment(ref _executions); return new(HealthResult.Unhealthy("down")); }, cacheMs: 5000);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(HealthStatus.Unhealthy, (await slot.GetResultAsync()).Status);
        }

        Assert.Equal(1, _executions);
    }

    [Fact]
    public async Task Each_finished_execution_is_reported_once_with_the_previous_result()
    {
        int calls = 0;
        CheckSlot slot = _services.Slot((_, _) => new(++calls == 1 ? HealthResult.Healthy() : HealthResult.Unhealthy()), cacheMs: 1000);
        var seen = new List<(HealthStatus Now, HealthStatus? Before)>();
        slot.Completed += (CheckSlot _, in CheckResult now, HealthStatus? before) => seen.Add((now.Status, before));

        await slot.GetResultAsync();
        await slot.GetResultAsync(); // cached: no new report
        _services.Clock.Advance(TimeSpan.FromSeconds(1));
        await slot.GetResultAsync();

        Assert.Equal([(HealthStatus.Healthy, (HealthStatus?)null), (HealthStatus.Unhealthy, HealthStatus.Healthy)], seen);
        Assert.Equal(HealthStatus.Unhealthy, slot.Latest?.Status);
    }

    [Fact]
    public async Task A_hung_check_costs_one_blocked_thread_not_one_per_request()
    {
        using var release = new ManualResetEventSlim();
        using var started = new SemaphoreSlim(0);
        CheckSlot slot = _services.Slot((_, _) =>
        {
            Interlocked.Increment(ref _executions);
            started.Release();
            release.Wait(); // ignores its token, like a stuck native call
            return new(HealthResult.Healthy());
        }, timeoutMs: 250);

        Task<CheckResult> first = slot.GetResultAsync().AsTask();
        await started.WaitAsync();
        _services.Clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(CheckFailure.TimedOut, (await first).Failure);
        Assert.Equal(1, slot.StillRunning);

        for (int i = 0; i < 20; i++)
        {
            CheckResult again = await slot.GetResultAsync();
            Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (again.Status, again.Failure));
            Assert.StartsWith("still hung", again.Result.Description, StringComparison.Ordinal);
        }

        Assert.Equal(1, _executions); // no second thread was sent into the hung check

        release.Set();
        await WaitUntil(() => slot.StillRunning == 0);
        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync()).Status);
        Assert.Equal(2, _executions);
    }

    [Fact]
    public async Task A_cached_failure_is_answered_as_a_failure_not_as_the_steady_answer()
    {
        int calls = 0;
        CheckSlot slot = _services.Slot((_, _) => new(++calls == 1 ? HealthResult.Unhealthy("down") : HealthResult.Healthy()), cacheMs: 60_000);
        var checks = new ProbeChecks([slot]);

        CheckReport[]? first = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        CheckReport[]? cached = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        _services.Clock.Advance(TimeSpan.FromSeconds(60));
        CheckReport[]? renewed = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        CheckReport[]? steady = await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);

        Assert.False(HealthProbes.AllPassed(first));
        Assert.NotNull(cached);
        Assert.False(HealthProbes.AllPassed(cached));
        Assert.True(cached[0].Result.Cached);
        Assert.Equal("down", cached[0].Result.Result.Description);
        Assert.True(HealthProbes.AllPassed(renewed));
        Assert.Null(steady); // healthy and fresh: the steady answer, nothing collected
        Assert.Equal(2, calls);
    }

    public void Dispose() => _services.Dispose();
}
