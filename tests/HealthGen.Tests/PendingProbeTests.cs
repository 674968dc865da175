using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using static HealthGen.Testing.Eventually;

namespace HealthGen.Tests;

/// <summary>
/// A probe that has to wait for running checks waits through a <see cref="PendingProbe{TAnswer}"/> that its checks keep
/// and reuse: every report must still land at its check's place, each result must be read once, and a wait that
/// ends early must leave the next probe unharmed.
/// </summary>
public sealed class PendingProbeTests : IDisposable
{
    private readonly ServiceProvider _services;

    public PendingProbeTests()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(new ManualTimeProvider());
        collection.AddHealthGen(options => options.DefaultTimeoutMs = 60_000);
        _services = collection.BuildServiceProvider();
    }

    [Fact]
    public async Task Results_that_come_in_reverse_order_are_reported_in_check_order()
    {
        var releases = Enumerable.Range(0, 4).Select(_ => new SemaphoreSlim(0)).ToArray();
        var checks = new ProbeChecks([.. Enumerable.Range(0, 4).Select(i => Slot("check" + i, async (_, token) =>
        {
            await releases[i].WaitAsync(token);
            return HealthResult.Healthy("result " + i);
        }))]);

        for (int round = 0; round < 20; round++)
        {
            ValueTask<CheckReports> pending = ProbeRunner.RunEachAsync(checks, CancellationToken.None);
            Assert.False(pending.IsCompleted);
            for (int i = releases.Length - 1; i >= 0; i--)
            {
                releases[i].Release();
            }

            CheckReports reports = await pending;
            Assert.Equal(["check0", "check1", "check2", "check3"], reports.ToArray().Select(r => r.Check.Name));
            Assert.Equal(["result 0", "result 1", "result 2", "result 3"], reports.ToArray().Select(r => r.Result.Result.Description));
            reports.Return();
        }
    }

    [Fact]
    public async Task A_wait_that_ends_early_fails_that_probe_and_the_next_probe_gets_every_result()
    {
        using var release = new SemaphoreSlim(0);
        var checks = new ProbeChecks([Slot("fast", (_, _) => new ValueTask<HealthResult>(HealthResult.Healthy("fast"))), Gated("slow", release)]);
        using var abort = new CancellationTokenSource();

        ValueTask<CheckReports> leaving = ProbeRunner.RunEachAsync(checks, abort.Token);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await leaving);

        release.Release(); // the first execution ends with nobody waiting for it
        await WaitUntil(() => checks.Slots[1].Latest is not null);
        for (int i = 2; i <= 10; i++)
        {
            ValueTask<CheckReports> next = ProbeRunner.RunEachAsync(checks, CancellationToken.None);
            release.Release();
            CheckReports reports = await next;
            Assert.Equal(["fast", "slow " + i], reports.ToArray().Select(r => r.Result.Result.Description));
            reports.Return();
        }
    }

    [Fact]
    public async Task A_probe_whose_request_went_away_is_not_reused_while_a_check_may_still_answer_it()
    {
        using var releaseA = new SemaphoreSlim(0);
        using var releaseB = new SemaphoreSlim(0);
        var checks = new ProbeChecks([Gated("a", releaseA), Gated("b", releaseB)]);
        using var abort = new CancellationTokenSource();

        ValueTask<CheckReports> leaving = ProbeRunner.RunEachAsync(checks, abort.Token);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await leaving);
        releaseA.Release(); // a's first execution ends; b's goes on, still holding the probe that went away
        await WaitUntil(() => checks.Slots[0].Latest is not null);

        // The next probe starts a new execution of a and joins b's. If it were the probe that went away, reused, b's
        // result would reach it twice (once for each subscription) and answer it before a's new execution ends.
        ValueTask<CheckReports> next = ProbeRunner.RunEachAsync(checks, CancellationToken.None);
        Task<CheckResult> afterNext = checks.Slots[1].GetResultAsync(CancellationToken.None).AsTask(); // answered after both probes
        releaseB.Release();
        await afterNext.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.False(next.IsCompleted);

        releaseA.Release();
        CheckReports reports = await next;
        Assert.Equal(["a 2", "b 1"], reports.ToArray().Select(r => r.Result.Result.Description));
        reports.Return();
    }

    [Fact]
    public void A_probe_keeps_one_spare_and_a_second_concurrent_waiter_gets_its_own()
    {
        var checks = new ProbeChecks([Slot("check", (_, _) => new ValueTask<HealthResult>(HealthResult.Healthy()))]);

        PendingProbe<CheckReports> first = checks.RentPending<CheckReports>();
        PendingProbe<CheckReports> second = checks.RentPending<CheckReports>();
        Assert.NotSame(first, second);
        checks.ReturnPending(first);
        Assert.Same(first, checks.RentPending<CheckReports>());
        checks.ReturnPending(first);
        Assert.NotSame(first, checks.RentPending<int>()); // a spare of another answer type stays where it is
        Assert.Same(first, checks.RentPending<CheckReports>());
    }

    [Fact]
    public async Task Concurrent_probes_that_wait_each_get_the_shared_execution_s_result()
    {
        int executions = 0;
        var checks = new ProbeChecks([.. Enumerable.Range(0, 3).Select(i => Slot("check" + i, async (_, _) =>
        {
            await Task.Yield();
            return HealthResult.Healthy("execution " + Interlocked.Increment(ref executions));
        }))]);

        async Task Probe()
        {
            for (int n = 0; n < 300; n++)
            {
                CheckReports reports = await ProbeRunner.RunEachAsync(checks, CancellationToken.None);
                Assert.Equal(["check0", "check1", "check2"], reports.ToArray().Select(r => r.Check.Name));
                Assert.All(reports.ToArray(), r => Assert.StartsWith("execution ", r.Result.Result.Description, StringComparison.Ordinal));
                reports.Return();
            }
        }

        // A lost continuation or a spare handed to two probes at once would hang a probe or mix up its reports.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Probe))).WaitAsync(TimeSpan.FromSeconds(120));
    }

    public void Dispose() => _services.Dispose();

    /// <summary>A check that waits for <paramref name="release"/>, then answers "<paramref name="name"/> N" on its Nth execution.</summary>
    private CheckSlot Gated(string name, SemaphoreSlim release)
    {
        int calls = 0;
        return Slot(name, async (_, token) =>
        {
            int call = Interlocked.Increment(ref calls);
            await release.WaitAsync(token);
            return HealthResult.Healthy(name + " " + call);
        });
    }

    private CheckSlot Slot(string name, Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke)
        => new(new HealthCheckRegistration(name, ProbeKind.Readiness, null, -1, -1, invoke), _services.GetRequiredService<CheckExecutor>(), TimeProvider.System, TimeSpan.Zero);
}
