using System;

namespace HealthGen.Execution;

/// <summary>A check's result as the probes report it: its last execution's outcome, and what the probe makes of it.</summary>
/// <param name="Result">What the last execution returned (or what its failure became): the raw result.</param>
/// <param name="Failure">Why it did not pass, if it did not (<see cref="CheckFailure.NotRun"/>: it was not run).</param>
/// <param name="Duration">How long the execution took (the timeout, if it passed it).</param>
/// <param name="Cached">Whether a request got it from the cache rather than from an execution of its own.</param>
/// <param name="ConsecutiveFailures">How many executions in a row have failed, this one included (0 if it passed).</param>
/// <param name="Tolerated">
/// The status still reported although the raw result failed: the check's <c>FailureThreshold</c> has not been reached,
/// so it reports its last passing status. <see langword="null"/> when the raw result is what is reported.
/// </param>
internal readonly record struct CheckResult(
    HealthResult Result, CheckFailure Failure, TimeSpan Duration, bool Cached = false, int ConsecutiveFailures = 0, HealthStatus? Tolerated = null)
{
    /// <summary>The status the probe reports: the raw one, or the last passing one while a failure is tolerated.</summary>
    public HealthStatus Status => Tolerated ?? Result.Status;

    public bool Passed => Status != HealthStatus.Unhealthy;

    /// <summary>Not run: a background check before its first result, a dependent of a failing check, a check before start-up.</summary>
    public bool IsUnchecked => Failure == CheckFailure.NotRun;

    /// <summary>A check that was not run, and why (for the details endpoint): reported <c>"unchecked"</c>, not passing.</summary>
    public static CheckResult NotRun(string why) => new(HealthResult.Unhealthy(why), CheckFailure.NotRun, TimeSpan.Zero);

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
