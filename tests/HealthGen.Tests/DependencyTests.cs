using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using HealthGen.Serialization;

namespace HealthGen.Tests;

/// <summary><c>DependsOn</c>: a dependent is not run while a dependency of the same probe is not passing.</summary>
public sealed class DependencyTests : IDisposable
{
    private readonly TestServices _services = new(defaultTimeoutMs: 60_000);
    private bool _databaseUp;
    private int _ordersRuns;

    [Fact]
    public async Task While_a_dependency_fails_the_dependent_is_not_run_and_reported_unchecked()
    {
        ProbeChecks checks = Probe();

        CheckReport[] reports = (await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None))!;

        Assert.Equal(0, _ordersRuns);
        Assert.Equal("""{"status":"not ready","database":"fail","orders":"unchecked"}""", Body(reports));
        Assert.Contains("'database'", reports[1].Result.Result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recovery_shows_in_the_same_probe_the_dependent_waits_for_the_dependency_s_result()
    {
        using var release = new SemaphoreSlim(0);
        ProbeChecks checks = Probe(release);
        _databaseUp = true;

        ValueTask<CheckReport[]?> pending = ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, _ordersRuns); // it waits for the database's result of this probe
        release.Release();

        CheckReport[] reports = (await pending)!;
        Assert.Equal(1, _ordersRuns);
        Assert.Equal("""{"status":"ready","database":"OK","orders":"OK"}""", Body(reports));
    }

    [Fact]
    public async Task An_excluded_dependency_holds_nothing_back()
    {
        ProbeChecks checks = Probe();

        CheckReport[] reports = (await ProbeRunner.RunAsync(checks, new ProbeQuery(false, ["database"]), CancellationToken.None))!;

        Assert.Equal(1, _ordersRuns);
        Assert.Equal("""{"status":"ready","database":"excluded","orders":"OK"}""", Body(reports));
    }

    [Fact]
    public async Task The_single_check_path_evaluates_the_dependencies_first()
    {
        ProbeChecks checks = Probe();

        CheckResult orders = await ProbeRunner.ResultOfAsync(checks, 1);
        Assert.True(orders.IsUnchecked);
        _databaseUp = true;
        Assert.Equal(HealthStatus.Healthy, (await ProbeRunner.ResultOfAsync(checks, 1)).Status);
        Assert.Equal(1, _ordersRuns);
    }

    [Fact]
    public void Dependencies_are_asked_first_whatever_the_response_order()
    {
        CheckSlot a = _services.Slot(Healthy, name: "a", dependsOn: ["c"]);
        CheckSlot b = _services.Slot(Healthy, name: "b");
        CheckSlot c = _services.Slot(Healthy, name: "c", dependsOn: ["b"]);

        var checks = new ProbeChecks([a, b, c]);

        Assert.Equal([1, 2, 0], checks.Order);
        Assert.Same(c, Assert.Single(a.Dependencies));
    }

    [Fact]
    public void An_unknown_dependency_or_a_cycle_stops_start_up_naming_the_checks()
    {
        var unknown = Assert.Throws<InvalidOperationException>(() => new HealthCheckSet(
            [Registration("orders", ["databse"], "Orders.Checks")]));
        Assert.Contains("Readiness check 'orders' (from Orders.Checks) depends on 'databse'", unknown.Message, StringComparison.Ordinal);

        var cycle = Assert.Throws<InvalidOperationException>(() => new HealthCheckSet(
            [Registration("a", ["b"]), Registration("b", ["c"]), Registration("c", ["a"])]));
        Assert.Contains("a → b → c → a", cycle.Message, StringComparison.Ordinal);

        // A dependency on a check that is switched off holds nothing back.
        var set = new HealthCheckSet([Registration("orders", ["database"]), Registration("database", [])], ["readyz/database"]);
        Assert.Equal(["orders"], set.Readiness.Select(r => r.Name));
    }

    public void Dispose() => _services.Dispose();

    private static ValueTask<HealthResult> Healthy(IServiceProvider services, CancellationToken token) => new(HealthResult.Healthy());

    private static HealthCheckRegistration Registration(string name, string[] dependsOn, string? source = null)
        => new(name, ProbeKind.Readiness, null, -1, -1, Healthy) { DependsOn = dependsOn, Source = source };

    /// <summary>readyz: "database" (up or down; waiting for <paramref name="release"/> if given) and "orders", which depends on it.</summary>
    private ProbeChecks Probe(SemaphoreSlim? release = null)
    {
        CheckSlot database = _services.Slot(async (_, token) =>
        {
            if (release is not null)
            {
                await release.WaitAsync(token);
            }

            return _databaseUp ? HealthResult.Healthy() : HealthResult.Unhealthy("down");
        }, name: "database");
        CheckSlot orders = _services.Slot((_, _) =>
        {
            Interlocked.Increment(ref _ordersRuns);
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        }, name: "orders", dependsOn: ["database"]);
        return new ProbeChecks([database, orders]);
    }

    private static string Body(CheckReport[] reports)
        => Json.Write(new ProbeResponse(HealthProbes.AllPassed(reports) ? ProbeWords.Ready : ProbeWords.NotReady, reports, ResponseLayout.AllChecks));
}
