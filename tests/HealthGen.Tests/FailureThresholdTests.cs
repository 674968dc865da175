using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using HealthGen.Serialization;

namespace HealthGen.Tests;

/// <summary><c>FailureThreshold</c>: a check is reported failing only after that many consecutive failed executions.</summary>
public sealed class FailureThresholdTests : IDisposable
{
    private readonly TestServices _services = new(defaultTimeoutMs: 1_000);
    private int _call;


    [Fact]
    public async Task Failures_below_the_threshold_report_the_last_passing_status_with_the_streak()
    {
        CheckSlot slot = Scripted(3, HealthResult.Degraded("slow"), HealthResult.Unhealthy("down 1"), HealthResult.Unhealthy("down 2"),
            HealthResult.Unhealthy("down 3"), HealthResult.Healthy("back"));

        CheckResult first = await slot.GetResultAsync();
        Assert.Equal((HealthStatus.Degraded, 0, (HealthStatus?)null), (first.Status, first.ConsecutiveFailures, first.Tolerated));

        CheckResult tolerated = await slot.GetResultAsync();
        Assert.Equal((HealthStatus.Degraded, true, 1), (tolerated.Status, tolerated.Passed, tolerated.ConsecutiveFailures));
        Assert.Equal(("down 1", HealthStatus.Unhealthy), (tolerated.Result.Description, tolerated.Result.Status)); // the raw result stays visible

        Assert.Equal((HealthStatus.Degraded, 2), Streak(await slot.GetResultAsync()));
        CheckResult failing = await slot.GetResultAsync();
        Assert.Equal((HealthStatus.Unhealthy, false, 3, (HealthStatus?)null), (failing.Status, failing.Passed, failing.ConsecutiveFailures, failing.Tolerated));

        Assert.Equal((HealthStatus.Healthy, 0), Streak(await slot.GetResultAsync()));
    }

    [Fact]
    public async Task A_check_that_never_passed_fails_at_its_first_failure()
    {
        CheckSlot slot = Scripted(5, HealthResult.Unhealthy("down"));

        CheckResult result = await slot.GetResultAsync();

        Assert.Equal((HealthStatus.Unhealthy, 1), Streak(result));
    }

    [Fact]
    public async Task The_default_threshold_reports_the_first_failure()
    {
        CheckSlot slot = Scripted(1, HealthResult.Healthy(), HealthResult.Unhealthy("down"));
        await slot.GetResultAsync();

        Assert.Equal((HealthStatus.Unhealthy, 1), Streak(await slot.GetResultAsync()));
    }

    [Fact]
    public async Task A_verbose_body_shows_the_raw_last_result_and_the_streak_while_a_failure_is_tolerated()
    {
        CheckSlot slot = Scripted(3, HealthResult.Healthy(), HealthResult.Unhealthy("down"));
        var checks = new ProbeChecks([slot]);
        await ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);

        CheckReport[] reports = (await ProbeRunner.RunAsync(checks, ProbeQuery.EveryResult, CancellationToken.None))!;
        string body = Json.Write(new ProbeResponse(ProbeWords.Ready, reports, ResponseLayout.AllChecks, verbose: true));

        Assert.Equal("""{"status":"ready","check":"OK","checks":{"check":{"status":"OK","response_time":0,"cached":false,"consecutive_failures":1,"last":"fail"}}}""", body);
    }

    public void Dispose() => _services.Dispose();

    private static (HealthStatus, int) Streak(CheckResult result) => (result.Status, result.ConsecutiveFailures);

    /// <summary>An inline check that returns <paramref name="script"/> one after the other (the last one from then on).</summary>
    private CheckSlot Scripted(int failureThreshold, params HealthResult[] script)
        => _services.Slot((_, _) => new ValueTask<HealthResult>(script[Math.Min(Interlocked.Increment(ref _call) - 1, script.Length - 1)]),
            invocation: CheckInvocation.Inline, failureThreshold: failureThreshold);
}
