using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Tests;

/// <summary>How what a check does becomes its result: returned, reported unhealthy, thrown, timed out, in its own scope.</summary>
public sealed class CheckOutcomeTests : IDisposable
{
    private readonly TestServices _services = new(defaultTimeoutMs: 1000, collection => collection.AddScoped<ScopedProbe>());

    /// <summary>One execution, through a slot of its own with the cache off.</summary>
    private Task<CheckResult> ExecuteAsync(HealthCheckRegistration check)
        => new CheckSlot(check, _services.Executor, TimeSpan.Zero).GetResultAsync().AsTask();

    [Fact]
    public async Task A_healthy_check_passes()
    {
        CheckResult result = await ExecuteAsync(Check(static (_, _) => new(HealthResult.Healthy("fine"))));
        Assert.Equal((HealthStatus.Healthy, CheckFailure.None, "fine"), (result.Status, result.Failure, result.Result.Description));
    }

    [Fact]
    public async Task An_unhealthy_result_is_reported_as_such()
    {
        CheckResult result = await ExecuteAsync(Check(static (_, _) => new(HealthResult.Unhealthy("down"))));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.Reported), (result.Status, result.Failure));
    }

    [Fact]
    public async Task An_exception_fails_the_check_and_is_kept_for_the_details_endpoint()
    {
        var boom = new InvalidOperationException("boom");
        CheckResult result = await ExecuteAsync(Check((_, _) => throw boom));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.Threw), (result.Status, result.Failure));
        Assert.Same(boom, result.Result.Exception);
        Assert.Null(result.Result.Description); // arbitrary exception messages are not promoted to descriptions
    }

    [Fact]
    public async Task A_HealthCheckException_message_becomes_the_description()
    {
        CheckResult result = await ExecuteAsync(Check(static (_, _) => throw new HealthCheckException("token not present")));
        Assert.Equal((CheckFailure.Threw, "token not present"), (result.Failure, result.Result.Description));
    }

    [Fact]
    public async Task A_check_that_ignores_its_token_is_abandoned_at_its_timeout_and_cleans_up_later()
    {
        using var release = new ManualResetEventSlim();
        using var started = new SemaphoreSlim(0);
        ScopedProbe? scoped = null;
        HealthCheckRegistration blocking = Check((services, _) =>
        {
            scoped = services.GetRequiredService<ScopedProbe>();
            started.Release();
            release.Wait(); // ignores the token entirely
            return new(HealthResult.Healthy());
        }, timeoutMs: 250);

        Task<CheckResult> execution = ExecuteAsync(blocking);
        await started.WaitAsync();
        Assert.False(execution.IsCompleted);

        _services.Clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(execution.IsCompleted);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(1));
        CheckResult result = await execution;
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (result.Status, result.Failure));
        Assert.False(scoped!.Disposed); // the abandoned check still runs: its scope must stay alive

        release.Set();
        Assert.True(await scoped.WaitDisposedAsync(), "the abandoned execution's scope was never disposed");
    }

    [Fact]
    public async Task A_check_that_honours_its_token_is_reported_as_timed_out()
    {
        HealthCheckRegistration cooperative = Check(static async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return HealthResult.Healthy();
        });

        Task<CheckResult> execution = ExecuteAsync(cooperative);
        _services.Clock.Advance(TimeSpan.FromMilliseconds(1000)); // the options default
        Assert.Equal(CheckFailure.TimedOut, (await execution).Failure);
    }

    [Fact]
    public async Task Every_execution_gets_its_own_scope()
    {
        ScopedProbe? first = null, second = null;
        await ExecuteAsync(Check((services, _) => { first = services.GetRequiredService<ScopedProbe>(); return new(HealthResult.Healthy()); }));
        await ExecuteAsync(Check((services, _) => { second = services.GetRequiredService<ScopedProbe>(); return new(HealthResult.Healthy()); }));
        Assert.NotSame(first, second);
        Assert.True(first!.Disposed && second!.Disposed);
    }

    public void Dispose() => _services.Dispose();

    private static HealthCheckRegistration Check(Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke, int timeoutMs = HealthCheckRegistration.UseDefault, string name = "check")
        => new(name, ProbeKind.Readiness, null, timeoutMs, HealthCheckRegistration.UseDefault, invoke);

    private sealed class ScopedProbe : IDisposable
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed => _disposed.Task.IsCompleted;

        public void Dispose() => _disposed.TrySetResult();

        public async Task<bool> WaitDisposedAsync()
        {
            await _disposed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return true;
        }
    }
}
