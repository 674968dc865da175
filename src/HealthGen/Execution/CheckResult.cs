using System;

namespace HealthGen.Execution;

/// <summary>Why a check did not pass; shown on the details endpoint, never on the probe endpoints.</summary>
internal enum CheckFailure
{
    /// <summary>The check passed or reported degraded.</summary>
    None = 0,

    /// <summary>The check returned an unhealthy result or <see langword="false"/>.</summary>
    Reported,

    /// <summary>The check threw.</summary>
    Threw,

    /// <summary>The check did not finish within its timeout.</summary>
    TimedOut,

    /// <summary>The request was aborted or the host is shutting down.</summary>
    Cancelled,
}

/// <summary>One execution's outcome as the probes report it.</summary>
internal readonly record struct CheckResult(HealthResult Result, CheckFailure Failure, TimeSpan Duration, bool Cached = false)
{
    public HealthStatus Status => Result.Status;

    public bool Passed => Result.Status != HealthStatus.Unhealthy;
}
