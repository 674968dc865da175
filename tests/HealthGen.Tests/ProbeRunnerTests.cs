using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;

namespace HealthGen.Tests;

/// <summary>
/// A probe asks all its checks before it waits for any, reports them in check order whatever order they end in, and
/// a request that goes away stops waiting without taking the shared executions with it.
/// </summary>
public sealed class ProbeRunnerTests : IDisposable
{
    private readonly TestServices _services = new(defaultTimeoutMs: 60_000);

    [Fact]
    public async Task Checks_of_a_probe_run_concurrently()
    {
        // Each check waits until the other has started: run one after the other, they would never end.
        using var aStarted = new SemaphoreSlim(0);
        using var bStarted = new SemaphoreSlim(0);
        var checks = new ProbeChecks(
        [
            _services.Slot(async (_, token) => { aStarted.Release(); await bStarted.WaitAsync(token); return HealthResult.Healthy(); }, name: "a"),
            _services.Slot(async (_, token) => { bStarted.Release(); await aStarted.WaitAsync(token); return HealthResult.Healthy(); }, name: "b"),
        ]);

        CheckReport[]? reports = await ProbeRunner.RunAsync(checks, ProbeQuery.EveryResult, CancellationToken.None).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(60)); // a generous guard so a regression fails instead of hanging
        Assert.True(HealthProbes.AllPassed(reports));
        Assert.Equal(["a", "b"], reports!.Select(r => r.Check.Name));
    }

    [Fact]
    public async Task Results_that_come_in_reverse_order_are_reported_in_check_order()
    {
        SemaphoreSlim[] releases = [.. Enumerable.Range(0, 4).Select(_ => new SemaphoreSlim(0))];
        var checks = new ProbeChecks([.. Enumerable.Range(0, 4).Select(i => _services.Slot(async (_, token) =>
        {
            await releases[i].WaitAsync(token);
            return HealthResult.Healthy("result " + i);
        }, name: "check" + i))]);

        for (int round = 0; round < 20; round++)
        {
            ValueTask<CheckReport[]?> pending = ProbeRunner.RunAsync(checks, ProbeQuery.EveryResult, CancellationToken.None);
            Assert.False(pending.IsCompleted);
            for (int i = releases.Length - 1; i >= 0; i--)
            {
                releases[i].Release();
            }

            CheckReport[] reports = (await pending)!;
            Assert.Equal(["check0", "check1", "check2", "check3"], reports.Select(r => r.Check.Name));
            Assert.Equal(["result 0", "result 1", "result 2", "result 3"], reports.Select(r => r.Result.Result.Description));
        }
    }

    [Fact]
    public async Task A_request_that_goes_away_stops_waiting_and_the_next_one_gets_the_shared_execution_s_result()
    {
        using var release = new SemaphoreSlim(0);
        var checks = new ProbeChecks([_services.Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy("fast")), name: "fast"), Gated("slow", release)]);
        using var abort = new CancellationTokenSource();

        ValueTask<CheckReport[]?> leaving = ProbeRunner.RunAsync(checks, ProbeQuery.EveryResult, abort.Token);
        ValueTask<CheckReport[]?> staying = ProbeRunner.RunAsync(checks, ProbeQuery.EveryResult, CancellationToken.None);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await leaving);

        release.Release(); // the shared execution goes on for the request that stayed
        CheckReport[] reports = (await staying)!;
        Assert.Equal(["fast", "slow 1"], reports.Select(r => r.Result.Result.Description));
        for (int i = 2; i <= 10; i++)
        {
            ValueTask<CheckReport[]?> next = ProbeRunner.RunAsync(checks, ProbeQuery.EveryResult, CancellationToken.None);
            release.Release();
            Assert.Equal(["fast", "slow " + i], (await next)!.Select(r => r.Result.Result.Description));
        }
    }

    [Fact]
    public async Task A_plain_probe_whose_checks_are_healthy_at_once_collects_nothing_but_a_verbose_one_does()
    {
        var checks = new ProbeChecks([_services.Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy("fine")), name: "a", invocation: CheckInvocation.Inline)]);

        ValueTask<CheckReport[]?> plain = ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        ValueTask<CheckReport[]?> verbose = ProbeRunner.RunAsync(checks, new ProbeQuery(Verbose: true, Excluded: null), CancellationToken.None);
        ValueTask<CheckReport[]?> excluding = ProbeRunner.RunAsync(checks, new ProbeQuery(Verbose: false, Excluded: ["a"]), CancellationToken.None);

        Assert.True(plain.IsCompletedSuccessfully && verbose.IsCompletedSuccessfully && excluding.IsCompletedSuccessfully); // inline: at once
        Assert.Null(await plain);
        Assert.Equal("fine", Assert.Single((await verbose)!).Result.Result.Description); // the check's own result
        Assert.True(Assert.Single((await excluding)!).Excluded);
    }

    [Fact]
    public async Task Concurrent_probes_that_wait_each_get_the_shared_execution_s_result()
    {
        int executions = 0;
        var checks = new ProbeChecks([.. Enumerable.Range(0, 3).Select(i => _services.Slot(async (_, _) =>
        {
            await Task.Yield();
            return HealthResult.Healthy("execution " + Interlocked.Increment(ref executions));
        }, name: "check" + i))]);

        async Task Probe()
        {
            for (int n = 0; n < 300; n++)
            {
                CheckReport[] reports = (await ProbeRunner.RunAsync(checks, ProbeQuery.EveryResult, CancellationToken.None))!;
                Assert.Equal(["check0", "check1", "check2"], reports.Select(r => r.Check.Name));
                Assert.All(reports, r => Assert.StartsWith("execution ", r.Result.Result.Description, StringComparison.Ordinal));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Probe))).WaitAsync(TimeSpan.FromSeconds(120));
    }

    public void Dispose() => _services.Dispose();

    /// <summary>A check that waits for <paramref name="release"/>, then answers "<paramref name="name"/> N" on its Nth execution.</summary>
    private CheckSlot Gated(string name, SemaphoreSlim release)
    {
        int calls = 0;
        return _services.Slot(async (_, token) =>
        {
            int call = Interlocked.Increment(ref calls);
            await release.WaitAsync(token);
            return HealthResult.Healthy(name + " " + call);
        }, name: name);
    }
}
