using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using Microsoft.Extensions.DependencyInjection;
using static HealthGen.Testing.Eventually;

namespace HealthGen.Tests;

/// <summary>
/// Background checks (<c>PeriodMs</c>) on a fake clock: the scheduler runs them from start, a period after each run
/// ended; probes only read their last result; no result yet is unchecked; a stalled schedule's result goes stale.
/// The tests wait until the scheduler's delay is set on the clock (its armed timers) before they move it.
/// </summary>
public sealed class BackgroundCheckTests : IDisposable
{
    private const int PeriodMs = 1_000;
    private const int TimeoutMs = 200;

    private readonly TestServices _services = new(defaultTimeoutMs: TimeoutMs);
    private int _executions;

    private CheckScheduler Scheduler => _services.Provider.GetRequiredService<CheckScheduler>();

    [Fact]
    public async Task Before_its_first_result_it_is_unchecked_failing_readiness_and_passing_liveness_and_probes_never_run_it()
    {
        CheckSlot readiness = Background(() => HealthResult.Healthy(), "queue");
        CheckSlot liveness = Background(() => HealthResult.Healthy(), "heartbeat", ProbeKind.Liveness);

        CheckResult[] results = [await readiness.GetResultAsync(), await liveness.GetResultAsync(), await readiness.GetResultAsync()];

        Assert.All(results, r => Assert.True(r.IsUnchecked));
        Assert.False(HealthProbes.AllPassed([new CheckReport(readiness.Check, results[0])]));
        Assert.True(HealthProbes.AllPassed([new CheckReport(liveness.Check, results[1])], uncheckedPasses: true));
        Assert.Equal(0, _executions); // a probe never runs a background check
    }

    [Fact]
    public async Task The_scheduler_runs_it_from_start_then_a_period_after_each_run_and_probes_read_the_last_result()
    {
        int calls = 0;
        CheckSlot slot = Background(() => ++calls % 2 == 1 ? HealthResult.Healthy("odd") : HealthResult.Unhealthy("even"));
        Scheduler.Schedule(slot);
        await Scheduler.StartAsync(CancellationToken.None);

        await WaitForNextRunToBeDueAsync(1, () => slot.Latest is not null); // ran at start
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal("odd", (await slot.GetResultAsync()).Result.Description); // probes read, never run
        }

        _services.Clock.Advance(TimeSpan.FromMilliseconds(PeriodMs - 1));
        Assert.Equal(1, _executions);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForNextRunToBeDueAsync(2, () => slot.Latest?.Status == HealthStatus.Unhealthy);
        CheckResult second = await slot.GetResultAsync();
        Assert.Equal(("even", true), (second.Result.Description, second.Cached));

        await Scheduler.StopAsync(CancellationToken.None);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(PeriodMs * 5));
        Assert.Equal(2, _executions); // stopped at shutdown
    }

    [Fact]
    public async Task Runs_never_overlap_and_the_period_counts_from_the_end_of_a_run()
    {
        using var release = new SemaphoreSlim(0);
        CheckSlot slot = _services.Slot(async (_, token) =>
        {
            Interlocked.Increment(ref _executions);
            await release.WaitAsync(token);
            return HealthResult.Healthy();
        }, timeoutMs: 60_000, periodMs: PeriodMs);
        Scheduler.Schedule(slot);
        await Scheduler.StartAsync(CancellationToken.None);
        await WaitUntil(() => Volatile.Read(ref _executions) == 1);

        _services.Clock.Advance(TimeSpan.FromMilliseconds(PeriodMs * 3)); // the first run is still going
        Assert.Equal(1, _executions);
        release.Release();
        await WaitForNextRunToBeDueAsync(1, () => slot.Latest is not null); // the run has ended and the next one is due
        _services.Clock.Advance(TimeSpan.FromMilliseconds(PeriodMs - 1));
        Assert.Equal(1, _executions);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntil(() => Volatile.Read(ref _executions) == 2);
        release.Release();
        await Scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_result_older_than_three_periods_and_the_timeout_counts_as_failed()
    {
        CheckSlot slot = Background(() => HealthResult.Healthy());
        await slot.RunScheduledAsync(); // the only run: the schedule then stalls

        _services.Clock.Advance(TimeSpan.FromMilliseconds(3 * PeriodMs + TimeoutMs));
        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync()).Status);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(1));
        CheckResult stale = await slot.GetResultAsync();
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.Stale), (stale.Status, stale.Failure));
        Assert.StartsWith("stale", stale.Result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scheduled_run_is_skipped_while_a_dependency_is_not_passing()
    {
        bool databaseUp = false;
        CheckSlot database = _services.Slot((_, _) => new ValueTask<HealthResult>(databaseUp ? HealthResult.Healthy() : HealthResult.Unhealthy()), name: "database");
        CheckSlot orders = _services.Slot((_, _) =>
        {
            Interlocked.Increment(ref _executions);
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        }, name: "orders", periodMs: PeriodMs, dependsOn: ["database"]);
        _ = new ProbeChecks([database, orders]); // wires the dependency
        Scheduler.Schedule(orders);
        await Scheduler.StartAsync(CancellationToken.None);

        await WaitForNextRunToBeDueAsync(0, () => database.Latest is not null); // the first run asked the database and did not run the check
        Assert.Equal(HealthStatus.Unhealthy, database.Latest?.Status);

        databaseUp = true;
        _services.Clock.Advance(TimeSpan.FromMilliseconds(PeriodMs));
        await WaitForNextRunToBeDueAsync(1, () => database.Latest?.Status == HealthStatus.Healthy);
        await Scheduler.StopAsync(CancellationToken.None);
    }

    public void Dispose() => _services.Dispose();

    private CheckSlot Background(Func<HealthResult> result, string name = "check", ProbeKind probe = ProbeKind.Readiness)
        => _services.Slot((_, _) =>
        {
            Interlocked.Increment(ref _executions);
            return new ValueTask<HealthResult>(result());
        }, name: name, probe: probe, periodMs: PeriodMs);

    /// <summary>
    /// Waits until the scheduler has set its delay before the next run — the one armed timer once the run has ended
    /// (<paramref name="also"/>: a check's timeout timer is unset before its result is stored) — then checks how many
    /// runs there were.
    /// </summary>
    private async Task WaitForNextRunToBeDueAsync(int executions, Func<bool>? also = null)
    {
        // Read in this order: once the run's result is stored its timeout timer is unset already, so an armed timer
        // read afterwards is the scheduler's delay. (Read the other way round, a timeout timer seen before the run ended
        // and a result seen after it made the condition true while the delay was not yet set.)
        await WaitUntil(() => (also?.Invoke() ?? true) && Volatile.Read(ref _executions) == executions && _services.Clock.ArmedTimers == 1);
        Assert.Equal(executions, Volatile.Read(ref _executions));
    }
}
