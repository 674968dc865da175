using System;

namespace HealthGen.Execution;

/// <summary>One execution's outcome as the probes report it.</summary>
/// <param name="Result">What the check returned (or what its failure became).</param>
/// <param name="Failure">Why it did not pass, if it did not.</param>
/// <param name="Duration">How long the execution took (the timeout, if it passed it).</param>
/// <param name="Cached">Whether a request got it from the cache rather than from an execution of its own.</param>
internal readonly record struct CheckResult(HealthResult Result, CheckFailure Failure, TimeSpan Duration, bool Cached = false)
{
    public HealthStatus Status => Result.Status;

    public bool Passed => Result.Status != HealthStatus.Unhealthy;

    public static CheckResult Of(HealthResult result, TimeSpan duration) => new(result, FailureOf(result), duration);

    /// <summary>The result of a check that did not finish within <paramref name="timeout"/>, with its failure status.</summary>
    public static CheckResult TimedOut(HealthCheckRegistration check, TimeSpan timeout, TimeSpan duration)
        => Failed(check, $"The check did not finish within {timeout.TotalMilliseconds:0} ms.", CheckFailure.TimedOut, duration);

    /// <summary>
    /// A failure HealthGen reports on the check's behalf (a timeout, a hung check, a cancellation): with the check's
    /// <see cref="HealthCheckRegistration.FailureStatus"/>, unhealthy unless an imported registration says degraded.
    /// </summary>
    public static CheckResult Failed(HealthCheckRegistration check, string description, CheckFailure failure, TimeSpan duration)
        => new(HealthResult.Of(check.FailureStatus, description, null), failure, duration);

    /// <summary>
    /// A check that threw fails with its failure status and the exception (a <see cref="HealthCheckException"/>'s message
    /// is the description).
    /// </summary>
    public static HealthResult FromException(HealthCheckRegistration check, Exception exception)
        => exception is HealthCheckException expected
            ? HealthResult.Of(check.FailureStatus, expected.Message, expected)
            : HealthResult.Of(check.FailureStatus, null, exception);

    private static CheckFailure FailureOf(HealthResult result)
        => result.Status != HealthStatus.Unhealthy ? CheckFailure.None
            : result.Exception is null ? CheckFailure.Reported
            : CheckFailure.Threw;
}
