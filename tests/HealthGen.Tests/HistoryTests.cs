using System;
using System.Linq;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Serialization;

namespace HealthGen.Tests;

/// <summary>Each check remembers its last 16 transitions (status and UTC time) for the details endpoint; memory stays bounded.</summary>
public sealed class HistoryTests : IDisposable
{
    private readonly TestServices _services = new(defaultTimeoutMs: 1_000);

    [Fact]
    public async Task Transitions_are_recorded_with_their_time_and_repeats_are_not()
    {
        HealthResult[] script = [HealthResult.Healthy(), HealthResult.Healthy(), HealthResult.Unhealthy("down"), HealthResult.Unhealthy("down"), HealthResult.Degraded("slow")];
        int call = 0;
        CheckSlot slot = _services.Slot((_, _) => new ValueTask<HealthResult>(script[call++]), invocation: CheckInvocation.Inline);
        DateTimeOffset start = _services.Clock.GetUtcNow();

        for (int i = 0; i < script.Length; i++)
        {
            await slot.GetResultAsync();
            _services.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(
            [(HealthStatus.Healthy, start), (HealthStatus.Unhealthy, start.AddSeconds(20)), (HealthStatus.Degraded, start.AddSeconds(40))],
            slot.History.Select(t => (t.Status, t.At)));
    }

    [Fact]
    public async Task Only_the_last_sixteen_transitions_are_kept()
    {
        int call = 0;
        CheckSlot slot = _services.Slot((_, _) => new ValueTask<HealthResult>(call++ % 2 == 0 ? HealthResult.Healthy() : HealthResult.Unhealthy()), invocation: CheckInvocation.Inline);

        for (int i = 0; i < 100; i++)
        {
            await slot.GetResultAsync();
        }

        Assert.Equal(CheckState.HistoryLength, slot.History.Length);
        Assert.Equal(HealthStatus.Unhealthy, slot.History[^1].Status); // the 100th result
    }

    [Fact]
    public void The_details_body_shows_the_streak_and_the_history()
    {
        var check = new HealthCheckRegistration("database", ProbeKind.Readiness, null, -1, -1, (_, _) => default);
        var at = new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero);
        var report = new CheckReport(check, new CheckResult(HealthResult.Unhealthy("down"), CheckFailure.Reported, TimeSpan.Zero, ConsecutiveFailures: 2),
            History: [new CheckTransition(HealthStatus.Healthy, at), new CheckTransition(HealthStatus.Unhealthy, at.AddMinutes(5))]);
        var words = new JsonWordsForDetails(ProbeWords.NotReady, ProbeWords.Ok, ProbeWords.NotReady, ProbeWords.Started, ProbeWords.Ready);

        string body = Json.Write(new DetailsResponse(words, [], [report], [], []));

        Assert.Contains(
            """readyz":{"status":"not ready","checks":{"database":{"status":"fail","response_time":0,"cached":false,"consecutive_failures":2,"failure":"unhealthy","description":"down","history":[{"status":"OK","at":"2026-12-02T09:30:00Z"},{"status":"fail","at":"2026-12-02T09:35:00Z"}]}}}""",
            body, StringComparison.Ordinal);
    }

    public void Dispose() => _services.Dispose();
}
