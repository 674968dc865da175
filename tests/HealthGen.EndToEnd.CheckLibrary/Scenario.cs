using System;
using System.Collections.Concurrent;
using System.Threading;

namespace HealthGen.EndToEnd.CheckLibrary;

/// <summary>What a scenario check does when it runs.</summary>
public enum Behavior
{
    Healthy,
    Unhealthy,
    Degraded,
    ReturnFalse,
    Throw,
    ThrowHealthCheckException,

    /// <summary>Blocks a thread, ignoring its CancellationToken, until the scenario is released.</summary>
    Hang,

    /// <summary>Passes after 200 ms of asynchronous work (async checks only).</summary>
    Slow,
}

/// <summary>
/// Drives the test checks: each test sets what each check does and counts how often it ran. Failures
/// carry secrets in their messages so tests can prove that no probe body ever shows them.
/// </summary>
public sealed class Scenario : IDisposable
{
    public const string Secret = "Password=hunter2;Host=db.internal.example:5432";

    private readonly ConcurrentDictionary<string, Behavior> _behaviors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _invocations = new(StringComparer.Ordinal);
    private readonly ManualResetEventSlim _release = new(false);

    public Behavior this[string check]
    {
        get => _behaviors.TryGetValue(check, out Behavior behavior) ? behavior : Behavior.Healthy;
        set => _behaviors[check] = value;
    }

    public int Invocations(string check) => _invocations.TryGetValue(check, out int count) ? count : 0;

    public HealthResult Evaluate(string check)
    {
        _invocations.AddOrUpdate(check, 1, static (_, count) => count + 1);
        switch (this[check])
        {
            case Behavior.Unhealthy:
            case Behavior.ReturnFalse:
                return HealthResult.Unhealthy($"{check} is down: {Secret}");
            case Behavior.Degraded:
                return HealthResult.Degraded($"{check} is slow: {Secret}");
            case Behavior.Throw:
                throw new InvalidOperationException($"{check} exploded: {Secret}");
            case Behavior.ThrowHealthCheckException:
                throw new HealthCheckException($"{check} refused: {Secret}");
            case Behavior.Hang:
                _release.Wait(); // deliberately ignores every token, like a stuck native call
                return HealthResult.Healthy();
            default:
                return HealthResult.Healthy();
        }
    }

    /// <summary>Like <see cref="Evaluate"/>, and for <see cref="Behavior.Slow"/> takes 200 ms without blocking a thread.</summary>
    public async System.Threading.Tasks.Task<HealthResult> EvaluateAsync(string check, CancellationToken cancellationToken)
    {
        if (this[check] != Behavior.Slow)
        {
            return Evaluate(check);
        }

        _invocations.AddOrUpdate(check, 1, static (_, count) => count + 1);
        await System.Threading.Tasks.Task.Delay(200, cancellationToken);
        return HealthResult.Healthy();
    }

    public bool EvaluateBoolean(string check) => this[check] != Behavior.ReturnFalse && Evaluate(check).Status != HealthStatus.Unhealthy;

    /// <summary>Lets hanging checks finish, so a test leaves no blocked threads behind.</summary>
    public void Dispose() => _release.Set();
}

/// <summary>A check declared in this library; applications that reference it serve it too.</summary>
public static class LibraryChecks
{
    [ReadinessCheck("library_store")]
    public static bool Store(Scenario scenario) => scenario.EvaluateBoolean("library_store");
}
