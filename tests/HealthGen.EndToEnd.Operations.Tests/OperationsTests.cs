using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HealthGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static HealthGen.Testing.Eventually;

namespace HealthGen.EndToEnd.Operations.Tests;

/// <summary>
/// The operations features as an application declares them, over a real Kestrel, on a fake clock (the scheduler's,
/// the caches' and the timeouts'): nothing here waits for real time to pass.
/// </summary>
public sealed class OperationsTests
{
    private const string Token = "ops-Token-40c1";

    [Fact]
    public async Task Many_concurrent_probes_cost_one_run_of_a_background_check_per_period()
    {
        var dependencies = new Dependencies();
        var clock = new TimerCountingTimeProvider();
        await using LoopbackWebHost host = await StartAsync(dependencies, clock);
        await WaitUntil(() => dependencies.Runs("search_index") == 1); // the run at start

        (int Status, string Body)[] storm = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(() => host.GetAsync("/healthz/readyz"))));

        Assert.All(storm, answer => Assert.Equal(200, answer.Status));
        Assert.Equal(1, dependencies.Runs("search_index"));
        await WaitUntil(() => clock.ArmedTimers >= 1); // the scheduler waits for the next period
        clock.Advance(TimeSpan.FromMilliseconds(OperationsChecks.SearchIndexPeriodMs));
        await WaitUntil(() => dependencies.Runs("search_index") == 2);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => host.GetAsync("/healthz/readyz"))));
        Assert.Equal(2, dependencies.Runs("search_index"));
    }

    [Fact]
    public async Task A_failing_dependency_leaves_its_dependent_unrun_and_a_recovery_shows_at_once()
    {
        var dependencies = new Dependencies { DatabaseUp = false };
        await using LoopbackWebHost host = await StartAsync(dependencies, new TimerCountingTimeProvider());
        await WaitUntil(() => dependencies.Runs("search_index") == 1);

        Assert.Equal((503, """{"status":"not ready","database":"fail","orders":"unchecked","payments":"OK","search_index":"OK"}"""), await host.GetAsync("/healthz/readyz"));
        Assert.Equal((503, """{"status":"unchecked"}"""), await host.GetAsync("/healthz/readyz/orders"));
        Assert.Equal(0, dependencies.Runs("orders"));

        dependencies.DatabaseUp = true;
        Assert.Equal((200, """{"status":"ready","database":"OK","orders":"OK","payments":"OK","search_index":"OK"}"""), await host.GetAsync("/healthz/readyz"));
        Assert.Equal(1, dependencies.Runs("orders"));
    }

    [Fact]
    public async Task A_failure_threshold_tolerates_failures_below_it_and_verbose_and_details_show_the_streak()
    {
        var dependencies = new Dependencies();
        await using LoopbackWebHost host = await StartAsync(dependencies, new TimerCountingTimeProvider());
        await WaitUntil(() => dependencies.Runs("search_index") == 1);
        Assert.Equal(200, (await host.GetAsync("/healthz/readyz")).Status);

        dependencies.PaymentsUp = false;
        (int status, string body) = await host.GetAsync("/healthz/readyz?verbose");
        Assert.Equal(200, status); // one failure of three tolerated
        using (JsonDocument verbose = JsonDocument.Parse(body))
        {
            JsonElement payments = verbose.RootElement.GetProperty("checks").GetProperty("payments");
            Assert.Equal(("OK", 1, "fail"), (payments.GetProperty("status").GetString(), payments.GetProperty("consecutive_failures").GetInt32(), payments.GetProperty("last").GetString()));
        }

        Assert.Equal(200, (await host.GetAsync("/healthz/readyz")).Status);
        Assert.Equal((503, """{"status":"not ready","database":"OK","orders":"OK","payments":"fail","search_index":"OK"}"""), await host.GetAsync("/healthz/readyz"));

        dependencies.PaymentsUp = true;
        Assert.Equal(200, (await host.GetAsync("/healthz/readyz")).Status);
        using JsonDocument details = JsonDocument.Parse((await host.GetAsync("/healthz/details", Token)).Body);
        JsonElement check = details.RootElement.GetProperty("readyz").GetProperty("checks").GetProperty("payments");
        Assert.Equal(0, check.GetProperty("consecutive_failures").GetInt32());
        Assert.Equal(["OK", "fail", "OK"], check.GetProperty("history").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Before_its_first_run_a_background_check_is_unchecked_and_readiness_fails()
    {
        var dependencies = new Dependencies();
        dependencies.SearchIndexAnswers.Reset(); // the run at start does not end yet
        await using LoopbackWebHost host = await StartAsync(dependencies, new TimerCountingTimeProvider());

        Assert.Equal((503, """{"status":"not ready","database":"OK","orders":"OK","payments":"OK","search_index":"unchecked"}"""), await host.GetAsync("/healthz/readyz"));
        Assert.Equal(0, dependencies.Runs("search_index"));

        dependencies.SearchIndexAnswers.Set();
        await WaitUntil(() => dependencies.Runs("search_index") == 1);
        (int, string) ready = default;
        await WaitUntil(() => (ready = host.GetAsync("/healthz/readyz").GetAwaiter().GetResult()).Item1 == 200);
        Assert.Equal((200, """{"status":"ready","database":"OK","orders":"OK","payments":"OK","search_index":"OK"}"""), ready);
        Assert.Equal(1, dependencies.Runs("search_index")); // the probes read its result, they did not run it
    }

    /// <summary>The application, on a real Kestrel, with the given clock for every timeout, cache and schedule.</summary>
    private static Task<LoopbackWebHost> StartAsync(Dependencies dependencies, TimerCountingTimeProvider clock)
        => LoopbackWebHost.StartAsync(
            services =>
            {
                services.AddSingleton(dependencies);
                services.AddSingleton<TimeProvider>(clock);
                services.AddHealthGen(o => o.DetailsToken = Token);
            },
            app => app.MapHealthGen());
}
